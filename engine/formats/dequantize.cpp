// dequantizeRow: bit-exact with ggml's reference dequantisers (ggml-quants.c, dequantize_row_*), by doing
// the same float operations in the same order (e.g. Q4_K: d1 = d * sc, m1 = dmin * m, x = d1 * q - m1).
// Every product here that feeds an addition is exact in float (an fp16 scale has 11 significant bits and
// the integers it multiplies have at most 8), so each such value is rounded once, at the add, and a
// compiler that fuses multiply and add (FMA contraction) cannot change the result either; Q6_K's
// (d * sc) * q is the one product that can round, and it is the last operation.
#include "formats/quant.h"

#include "core/half.h"
#include "formats/quant_blocks.h"
#include "formats/quant_internal.h"

#include <cstring>

namespace ponder {
namespace {

using namespace quant;

template <typename Block>
Block loadBlock(const std::uint8_t* src, std::int64_t index)
{
    Block block;
    std::memcpy(&block, src + index * static_cast<std::int64_t>(sizeof(Block)), sizeof(Block));
    return block;
}

std::uint16_t loadU16(const std::uint8_t* src, std::int64_t index)
{
    std::uint16_t v;
    std::memcpy(&v, src + 2 * index, 2);
    return v;
}

void dequantizeQ8_0(const std::uint8_t* src, float* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, dst += kBlock) {
        const auto b = loadBlock<BlockQ8_0>(src, i);
        const float d = fp16ToFloat(b.d);
        for (int j = 0; j < kBlock; ++j)
            dst[j] = static_cast<float>(b.qs[j]) * d;
    }
}

void dequantizeQ4_0(const std::uint8_t* src, float* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, dst += kBlock) {
        const auto b = loadBlock<BlockQ4_0>(src, i);
        const float d = fp16ToFloat(b.d);
        for (int j = 0; j < kBlock / 2; ++j) {
            dst[j] = static_cast<float>((b.qs[j] & 0xF) - 8) * d;
            dst[j + kBlock / 2] = static_cast<float>((b.qs[j] >> 4) - 8) * d;
        }
    }
}

void dequantizeQ4_1(const std::uint8_t* src, float* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, dst += kBlock) {
        const auto b = loadBlock<BlockQ4_1>(src, i);
        const float d = fp16ToFloat(b.d);
        const float m = fp16ToFloat(b.m);
        for (int j = 0; j < kBlock / 2; ++j) {
            const float lo = static_cast<float>(b.qs[j] & 0xF) * d;
            const float hi = static_cast<float>(b.qs[j] >> 4) * d;
            dst[j] = lo + m;
            dst[j + kBlock / 2] = hi + m;
        }
    }
}

// The 5-bit value j of a Q5_0/Q5_1 block: low nibble from qs, bit 4 from bit j of qh (little-endian u32).
int fiveBitValue(const std::uint8_t* qs, std::uint32_t qh, int j)
{
    const int nibble = j < kBlock / 2 ? (qs[j] & 0xF) : (qs[j - kBlock / 2] >> 4);
    return nibble | static_cast<int>(((qh >> j) & 1u) << 4);
}

void dequantizeQ5_0(const std::uint8_t* src, float* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, dst += kBlock) {
        const auto b = loadBlock<BlockQ5_0>(src, i);
        const float d = fp16ToFloat(b.d);
        std::uint32_t qh;
        std::memcpy(&qh, b.qh, 4);
        for (int j = 0; j < kBlock; ++j)
            dst[j] = static_cast<float>(fiveBitValue(b.qs, qh, j) - 16) * d;
    }
}

void dequantizeQ5_1(const std::uint8_t* src, float* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, dst += kBlock) {
        const auto b = loadBlock<BlockQ5_1>(src, i);
        const float d = fp16ToFloat(b.d);
        const float m = fp16ToFloat(b.m);
        std::uint32_t qh;
        std::memcpy(&qh, b.qh, 4);
        for (int j = 0; j < kBlock; ++j) {
            const float scaled = static_cast<float>(fiveBitValue(b.qs, qh, j)) * d;
            dst[j] = scaled + m;
        }
    }
}

// Q4_K and Q5_K share everything but the 5th bit; `qh` is null for Q4_K.
void dequantizeKBlock(float d, float dmin, const std::uint8_t* scales, const std::uint8_t* qs,
                      const std::uint8_t* qh, float* dst)
{
    for (int t = 0; t < kSuperBlock / 64; ++t) {
        for (int half = 0; half < 2; ++half) {
            std::uint8_t sc, m;
            unpackScaleMin(scales, 2 * t + half, sc, m);
            const float d1 = d * static_cast<float>(sc);
            const float m1 = dmin * static_cast<float>(m);
            const int shift = 4 * half;
            const int highBit = 2 * t + half;
            float* out = dst + 64 * t + 32 * half;
            for (int l = 0; l < 32; ++l) {
                int q = (qs[32 * t + l] >> shift) & 0xF;
                if (qh)
                    q += ((qh[l] >> highBit) & 1) << 4;
                const float scaled = d1 * static_cast<float>(q);
                out[l] = scaled - m1;
            }
        }
    }
}

void dequantizeQ4_K(const std::uint8_t* src, float* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, dst += kSuperBlock) {
        const auto b = loadBlock<BlockQ4_K>(src, i);
        dequantizeKBlock(fp16ToFloat(b.d), fp16ToFloat(b.dmin), b.scales, b.qs, nullptr, dst);
    }
}

void dequantizeQ5_K(const std::uint8_t* src, float* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, dst += kSuperBlock) {
        const auto b = loadBlock<BlockQ5_K>(src, i);
        dequantizeKBlock(fp16ToFloat(b.d), fp16ToFloat(b.dmin), b.scales, b.qs, b.qh, dst);
    }
}

void dequantizeQ6_K(const std::uint8_t* src, float* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, dst += kSuperBlock) {
        const auto b = loadBlock<BlockQ6_K>(src, i);
        const float d = fp16ToFloat(b.d);
        for (int h = 0; h < 2; ++h) {
            const std::uint8_t* ql = b.ql + 64 * h;
            const std::uint8_t* qh = b.qh + 32 * h;
            const std::int8_t* sc = b.scales + 8 * h;
            float* out = dst + 128 * h;
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q[4] = {
                    ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32,
                    ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32,
                    ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32,
                    ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32,
                };
                for (int part = 0; part < 4; ++part) {
                    const float dsc = d * static_cast<float>(sc[is + 2 * part]);
                    out[l + 32 * part] = dsc * static_cast<float>(q[part]);
                }
            }
        }
    }
}

} // namespace

void dequantizeRow(TensorType type, const std::uint8_t* src, float* dst, std::int64_t count)
{
    const std::int64_t blocks = checkedBlockCount("dequantizeRow", type, src, dst, count);
    if (blocks == 0)
        return;
    switch (type) {
    case TensorType::F32: std::memcpy(dst, src, static_cast<std::size_t>(count) * sizeof(float)); return;
    case TensorType::F16:
        for (std::int64_t i = 0; i < count; ++i)
            dst[i] = fp16ToFloat(loadU16(src, i));
        return;
    case TensorType::BF16:
        for (std::int64_t i = 0; i < count; ++i)
            dst[i] = bf16ToFloat(loadU16(src, i));
        return;
    case TensorType::Q8_0: dequantizeQ8_0(src, dst, blocks); return;
    case TensorType::Q4_0: dequantizeQ4_0(src, dst, blocks); return;
    case TensorType::Q4_1: dequantizeQ4_1(src, dst, blocks); return;
    case TensorType::Q5_0: dequantizeQ5_0(src, dst, blocks); return;
    case TensorType::Q5_1: dequantizeQ5_1(src, dst, blocks); return;
    case TensorType::Q4_K: dequantizeQ4_K(src, dst, blocks); return;
    case TensorType::Q5_K: dequantizeQ5_K(src, dst, blocks); return;
    case TensorType::Q6_K: dequantizeQ6_K(src, dst, blocks); return;
    }
    throw Error("dequantizeRow: unsupported tensor type " + tensorTypeName(type));
}

} // namespace ponder
