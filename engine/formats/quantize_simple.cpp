// Quantisers for the 32-value block formats, following ggml's reference quantisers: the scale comes from
// the block's extreme values and every value is rounded to the nearest level. One deliberate difference:
// values are divided by the scale as stored (rounded to fp16), not the exact one, so each value lands on
// the level nearest to it after decoding, and re-quantising a decoded block reproduces it.
#include "formats/quant_blocks.h"
#include "formats/quant_internal.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ponder::quant {
namespace {

template <typename Block>
void storeBlock(const Block& block, std::uint8_t* dst, std::int64_t index)
{
    std::memcpy(dst + index * static_cast<std::int64_t>(sizeof(Block)), &block, sizeof(Block));
}

// The value with the largest magnitude, keeping its sign (the first one on ties).
float signedAbsMax(const float* x, int n)
{
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < n; ++j) {
        if (std::fabs(x[j]) > amax) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    }
    return max;
}

float inverseOrZero(float d) { return d != 0.0f ? 1.0f / d : 0.0f; }

// Symmetric formats (Q4_0, Q5_0): x = d * (q - half), q in [0, 2 * half - 1]. The scale is chosen so that
// the largest-magnitude value maps to level 0 exactly (d = max / -half), which uses the extra negative
// level for whichever sign that value has.
void quantizeSymmetric(const float* x, int half, const char* typeName, std::uint16_t& dBits, std::uint8_t* q)
{
    const float max = signedAbsMax(x, kBlock);
    // (An all-zero block gets d = +0, not -0, so it decodes to +0.)
    dBits = scaleToFp16(max != 0.0f ? max / static_cast<float>(-half) : 0.0f, typeName);
    const float id = inverseOrZero(fp16ToFloat(dBits));
    const float lo = static_cast<float>(-half), hi = static_cast<float>(half - 1);
    for (int j = 0; j < kBlock; ++j)
        q[j] = static_cast<std::uint8_t>(static_cast<int>(roundClamped(x[j] * id, lo, hi)) + half);
}

// Offset formats (Q4_1, Q5_1): x = d * q + m, q in [0, levels - 1], spanning the block's [min, max].
void quantizeMinMax(const float* x, int levels, const char* typeName, std::uint16_t& dBits, std::uint16_t& mBits,
                    std::uint8_t* q)
{
    float min = x[0], max = x[0];
    for (int j = 1; j < kBlock; ++j) {
        min = std::min(min, x[j]);
        max = std::max(max, x[j]);
    }
    dBits = scaleToFp16((max - min) / static_cast<float>(levels - 1), typeName);
    mBits = scaleToFp16(min, typeName);
    const float id = inverseOrZero(fp16ToFloat(dBits));
    const float m = fp16ToFloat(mBits);
    for (int j = 0; j < kBlock; ++j)
        q[j] = static_cast<std::uint8_t>(roundClamped((x[j] - m) * id, 0.0f, static_cast<float>(levels - 1)));
}

// Value j < 16 goes to the low nibble of byte j, value j + 16 to its high nibble.
void packNibbles(const std::uint8_t* q, std::uint8_t* qs)
{
    for (int j = 0; j < kBlock / 2; ++j)
        qs[j] = static_cast<std::uint8_t>((q[j] & 0xF) | ((q[j + kBlock / 2] & 0xF) << 4));
}

// Bit 4 of value j goes to bit j of the little-endian u32 qh.
void packFifthBits(const std::uint8_t* q, std::uint8_t* qh)
{
    std::uint32_t bits = 0;
    for (int j = 0; j < kBlock; ++j)
        bits |= static_cast<std::uint32_t>((q[j] >> 4) & 1) << j;
    std::memcpy(qh, &bits, 4);
}

} // namespace

void quantizeQ8_0(const float* src, std::uint8_t* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, src += kBlock) {
        float amax = 0.0f;
        for (int j = 0; j < kBlock; ++j)
            amax = std::max(amax, std::fabs(src[j]));
        BlockQ8_0 b;
        b.d = scaleToFp16(amax / 127.0f, "Q8_0");
        const float id = inverseOrZero(fp16ToFloat(b.d));
        for (int j = 0; j < kBlock; ++j)
            b.qs[j] = static_cast<std::int8_t>(roundClamped(src[j] * id, -127.0f, 127.0f));
        storeBlock(b, dst, i);
    }
}

void quantizeQ4_0(const float* src, std::uint8_t* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, src += kBlock) {
        std::uint8_t q[kBlock];
        BlockQ4_0 b;
        quantizeSymmetric(src, 8, "Q4_0", b.d, q);
        packNibbles(q, b.qs);
        storeBlock(b, dst, i);
    }
}

void quantizeQ4_1(const float* src, std::uint8_t* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, src += kBlock) {
        std::uint8_t q[kBlock];
        BlockQ4_1 b;
        quantizeMinMax(src, 16, "Q4_1", b.d, b.m, q);
        packNibbles(q, b.qs);
        storeBlock(b, dst, i);
    }
}

void quantizeQ5_0(const float* src, std::uint8_t* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, src += kBlock) {
        std::uint8_t q[kBlock];
        BlockQ5_0 b;
        quantizeSymmetric(src, 16, "Q5_0", b.d, q);
        packNibbles(q, b.qs);
        packFifthBits(q, b.qh);
        storeBlock(b, dst, i);
    }
}

void quantizeQ5_1(const float* src, std::uint8_t* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, src += kBlock) {
        std::uint8_t q[kBlock];
        BlockQ5_1 b;
        quantizeMinMax(src, 32, "Q5_1", b.d, b.m, q);
        packNibbles(q, b.qs);
        packFifthBits(q, b.qh);
        storeBlock(b, dst, i);
    }
}

} // namespace ponder::quant
