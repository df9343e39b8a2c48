#include "backend/cpu/block_decoders.h"

#include "core/half.h"
#include "formats/quant_blocks.h"

#include <cstddef>
#include <cstring>

namespace ponder::cpu {
namespace {

using namespace quant;

// Blocks are read in place through byte pointers at the offsets of formats/quant_blocks.h (byte loads need
// no alignment, so nothing is copied); only the fp16 scales go through memcpy.
std::uint16_t loadU16(const std::uint8_t* p)
{
    std::uint16_t v;
    std::memcpy(&v, p, 2);
    return v;
}

template <typename Block>
const std::uint8_t* firstBlock(const std::uint8_t* row, std::int64_t first, std::int64_t blockElems)
{
    return row + first / blockElems * static_cast<std::int64_t>(sizeof(Block));
}

void decodeQ8_0(const std::uint8_t* row, std::int64_t first, std::int64_t count, float* __restrict dst)
{
    const std::uint8_t* block = firstBlock<BlockQ8_0>(row, first, kBlock);
    for (std::int64_t i = 0; i < count; i += kBlock, block += sizeof(BlockQ8_0), dst += kBlock) {
        const float d = fp16ToFloat(loadU16(block + offsetof(BlockQ8_0, d)));
        const std::uint8_t* __restrict qs = block + offsetof(BlockQ8_0, qs);
        for (int j = 0; j < kBlock; ++j)
            dst[j] = static_cast<float>(static_cast<std::int8_t>(qs[j])) * d;
    }
}

void decodeQ4_0(const std::uint8_t* row, std::int64_t first, std::int64_t count, float* __restrict dst)
{
    const std::uint8_t* block = firstBlock<BlockQ4_0>(row, first, kBlock);
    for (std::int64_t i = 0; i < count; i += kBlock, block += sizeof(BlockQ4_0), dst += kBlock) {
        const float d = fp16ToFloat(loadU16(block + offsetof(BlockQ4_0, d)));
        const std::uint8_t* __restrict qs = block + offsetof(BlockQ4_0, qs);
        for (int j = 0; j < kBlock / 2; ++j) {
            dst[j] = static_cast<float>((qs[j] & 0xF) - 8) * d;
            dst[j + kBlock / 2] = static_cast<float>((qs[j] >> 4) - 8) * d;
        }
    }
}

// 32 values of a Q4_K/Q5_K sub-block: (d1 * q) - m1, with q the nibbles at `shift` plus, for Q5_K, bit
// `highBit` of qh as 16.
template <bool HasHighBit>
void decodeKSubBlock(const std::uint8_t* __restrict qs, const std::uint8_t* __restrict qh, int shift, int highBit,
                     float d1, float m1, float* __restrict out)
{
    for (int l = 0; l < 32; ++l) {
        int q = (qs[l] >> shift) & 0xF;
        if constexpr (HasHighBit)
            q += ((qh[l] >> highBit) & 1) << 4;
        const float scaled = d1 * static_cast<float>(q);
        out[l] = scaled - m1;
    }
}

template <typename Block, bool HasHighBit>
void decodeK(const std::uint8_t* row, std::int64_t first, std::int64_t count, float* __restrict dst)
{
    const std::uint8_t* block = firstBlock<Block>(row, first, kSuperBlock);
    for (std::int64_t i = 0; i < count; i += kSuperBlock, block += sizeof(Block), dst += kSuperBlock) {
        const float d = fp16ToFloat(loadU16(block + offsetof(Block, d)));
        const float dmin = fp16ToFloat(loadU16(block + offsetof(Block, dmin)));
        const std::uint8_t* scales = block + offsetof(Block, scales);
        const std::uint8_t* qs = block + offsetof(Block, qs);
        const std::uint8_t* qh = nullptr;
        if constexpr (HasHighBit)
            qh = block + offsetof(Block, qh);
        for (int t = 0; t < kSuperBlock / 64; ++t)
            for (int half = 0; half < 2; ++half) {
                std::uint8_t sc, m;
                unpackScaleMin(scales, 2 * t + half, sc, m);
                const float d1 = d * static_cast<float>(sc);
                const float m1 = dmin * static_cast<float>(m);
                decodeKSubBlock<HasHighBit>(qs + 32 * t, qh, 4 * half, 2 * t + half, d1, m1, dst + 64 * t + 32 * half);
            }
    }
}

// 16 values of a Q6_K half: bits from the ql nibble at `shift` and the qh bit pair at `highShift`, - 32,
// times (d * scale).
void decodeQ6Run(const std::uint8_t* __restrict ql, const std::uint8_t* __restrict qh, int shift, int highShift,
                 float dsc, float* __restrict out)
{
    for (int l = 0; l < 16; ++l) {
        const int q = (((ql[l] >> shift) & 0xF) | (((qh[l] >> highShift) & 3) << 4)) - 32;
        out[l] = dsc * static_cast<float>(q);
    }
}

void decodeQ6_K(const std::uint8_t* row, std::int64_t first, std::int64_t count, float* __restrict dst)
{
    const std::uint8_t* block = firstBlock<BlockQ6_K>(row, first, kSuperBlock);
    for (std::int64_t i = 0; i < count; i += kSuperBlock, block += sizeof(BlockQ6_K), dst += kSuperBlock) {
        const float d = fp16ToFloat(loadU16(block + offsetof(BlockQ6_K, d)));
        for (int h = 0; h < 2; ++h) {
            const std::uint8_t* ql = block + offsetof(BlockQ6_K, ql) + 64 * h;
            const std::uint8_t* qh = block + offsetof(BlockQ6_K, qh) + 32 * h;
            const std::uint8_t* sc = block + offsetof(BlockQ6_K, scales) + 8 * h;
            // Value 32 * part + l takes its low bits from ql[l] (parts 0, 2) or ql[l + 32] (parts 1, 3), low
            // nibble for parts 0-1 and high for 2-3, its high bits from pair `part` of qh[l], and its scale
            // from sc[l / 16 + 2 * part]; runs of 16 share one scale.
            for (int part = 0; part < 4; ++part)
                for (int run = 0; run < 2; ++run) {
                    const int l0 = 16 * run;
                    const float dsc = d * static_cast<float>(static_cast<std::int8_t>(sc[run + 2 * part]));
                    decodeQ6Run(ql + l0 + 32 * (part & 1), qh + l0, 4 * (part >> 1), 2 * part, dsc,
                                dst + 128 * h + 32 * part + l0);
                }
        }
    }
}

} // namespace

ChunkDecoder fastBlockDecoder(TensorType type)
{
    switch (type) {
    case TensorType::Q8_0: return decodeQ8_0;
    case TensorType::Q4_0: return decodeQ4_0;
    case TensorType::Q4_K: return decodeK<BlockQ4_K, false>;
    case TensorType::Q5_K: return decodeK<BlockQ5_K, true>;
    case TensorType::Q6_K: return decodeQ6_K;
    default: return nullptr;
    }
}

} // namespace ponder::cpu
