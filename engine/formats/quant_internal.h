#pragma once
// Private to engine/formats: helpers shared by the (de)quantisation files and the per-format quantisers
// that quantizeRow dispatches to. Each quantiser takes whole blocks: `blocks` blocks of input values in,
// `blocks` packed blocks out.
#include "core/error.h"
#include "core/half.h"
#include "formats/tensor_type.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace ponder::quant {

// Checks the arguments of dequantizeRow/quantizeRow and returns the number of blocks in the row.
inline std::int64_t checkedBlockCount(const char* function, TensorType type, const void* src, const void* dst,
                                      std::int64_t count)
{
    const auto known = tensorTypeInfo(static_cast<std::uint32_t>(type));
    if (!known)
        throw Error(std::string(function) + ": unsupported tensor type " + tensorTypeName(type));
    if (count < 0)
        throw Error(std::string(function) + ": negative value count " + std::to_string(count));
    if (count % known->blockElems != 0)
        throw Error(std::string(function) + ": " + std::to_string(count) + " values is not a multiple of the " +
                    std::string(known->name) + " block size (" + std::to_string(known->blockElems) + ")");
    if (count > 0 && (src == nullptr || dst == nullptr))
        throw Error(std::string(function) + ": null buffer for " + std::to_string(count) + " values");
    return count / known->blockElems;
}

// Rounds to the nearest integer (ties to even) after clamping to [lo, hi]. Adding 1.5 * 2^23 pushes the
// fraction bits out of the float, so the addition itself rounds; this is branch-free and inlined, unlike
// std::nearbyint on baseline x86-64, which matters because the k-quant searches round millions of values.
// The clamp keeps |v| far below 2^22, where the trick is exact.
inline float roundClamped(float v, float lo, float hi)
{
    constexpr float kMagic = 12582912.0f; // 1.5 * 2^23
    const float clamped = std::min(std::max(v, lo), hi);
    return (clamped + kMagic) - kMagic;
}

// No block format can represent a magnitude this large (the biggest, Q6_K, tops out at 65504 * 128 * 32
// = 2.7e8). quantizeRow rejects such values up front, which also keeps the quantisers' float sums of
// squares far from overflow.
constexpr float kMaxQuantisableMagnitude = 1e9f;

// A block scale or min as fp16. Throws when the values are too large for the format to hold (the scale
// would overflow fp16 to infinity and the block would decode to inf/NaN).
inline std::uint16_t scaleToFp16(float scale, const char* typeName)
{
    const std::uint16_t bits = floatToFp16(scale);
    if ((bits & 0x7C00u) == 0x7C00u)
        throw Error(std::string("quantizeRow: ") + typeName + " block scale " + std::to_string(scale) +
                    " is beyond the fp16 range; the values are too large to quantise");
    return bits;
}

void quantizeQ8_0(const float* src, std::uint8_t* dst, std::int64_t blocks);
void quantizeQ4_0(const float* src, std::uint8_t* dst, std::int64_t blocks);
void quantizeQ4_1(const float* src, std::uint8_t* dst, std::int64_t blocks);
void quantizeQ5_0(const float* src, std::uint8_t* dst, std::int64_t blocks);
void quantizeQ5_1(const float* src, std::uint8_t* dst, std::int64_t blocks);
void quantizeQ4_K(const float* src, std::uint8_t* dst, std::int64_t blocks);
void quantizeQ5_K(const float* src, std::uint8_t* dst, std::int64_t blocks);
void quantizeQ6_K(const float* src, std::uint8_t* dst, std::int64_t blocks);

} // namespace ponder::quant
