// quantizeRow: checks its arguments, converts the float formats here and hands the block formats to their
// quantisers (quantize_simple.cpp, quantize_k.cpp).
#include "formats/quant.h"

#include "core/half.h"
#include "formats/quant_internal.h"

#include <cmath>
#include <cstring>

namespace ponder {
namespace {

void storeU16(std::uint8_t* dst, std::int64_t index, std::uint16_t v) { std::memcpy(dst + 2 * index, &v, 2); }

// Block formats store small integers times fp16 scales: inf/NaN and huge magnitudes cannot be represented
// and would poison the whole block's scale, so they are rejected instead of silently written as garbage.
void requireQuantisable(TensorType type, const float* src, std::int64_t count)
{
    for (std::int64_t i = 0; i < count; ++i)
        if (!(std::fabs(src[i]) <= quant::kMaxQuantisableMagnitude)) // also false for NaN
            throw Error("quantizeRow: value " + std::to_string(i) + " of the row is " + std::to_string(src[i]) +
                        ", which " + tensorTypeName(type) + " cannot store");
}

} // namespace

void quantizeRow(TensorType type, const float* src, std::uint8_t* dst, std::int64_t count)
{
    const std::int64_t blocks = quant::checkedBlockCount("quantizeRow", type, src, dst, count);
    if (blocks == 0)
        return;
    switch (type) {
    case TensorType::F32: std::memcpy(dst, src, static_cast<std::size_t>(count) * sizeof(float)); return;
    case TensorType::F16:
        for (std::int64_t i = 0; i < count; ++i)
            storeU16(dst, i, floatToFp16(src[i]));
        return;
    case TensorType::BF16:
        for (std::int64_t i = 0; i < count; ++i)
            storeU16(dst, i, floatToBf16(src[i]));
        return;
    default: break;
    }
    requireQuantisable(type, src, count);
    switch (type) {
    case TensorType::Q8_0: quant::quantizeQ8_0(src, dst, blocks); return;
    case TensorType::Q4_0: quant::quantizeQ4_0(src, dst, blocks); return;
    case TensorType::Q4_1: quant::quantizeQ4_1(src, dst, blocks); return;
    case TensorType::Q5_0: quant::quantizeQ5_0(src, dst, blocks); return;
    case TensorType::Q5_1: quant::quantizeQ5_1(src, dst, blocks); return;
    case TensorType::Q4_K: quant::quantizeQ4_K(src, dst, blocks); return;
    case TensorType::Q5_K: quant::quantizeQ5_K(src, dst, blocks); return;
    case TensorType::Q6_K: quant::quantizeQ6_K(src, dst, blocks); return;
    default: break;
    }
    throw Error("quantizeRow: unsupported tensor type " + tensorTypeName(type));
}

} // namespace ponder
