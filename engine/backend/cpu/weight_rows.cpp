#include "backend/cpu/weight_rows.h"

#include "backend/cpu/block_decoders.h"

#include "core/error.h"
#include "formats/quant.h"
#include "formats/tensor_type.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

namespace ponder::cpu {
namespace {

void decodeF32(const std::uint8_t* row, std::int64_t first, std::int64_t count, float* dst)
{
    // memcpy rather than a cast: file data is only as aligned as its format promises (safetensors: 1 byte).
    std::memcpy(dst, row + first * 4, static_cast<std::size_t>(count) * 4);
}

// fp16 -> fp32 without branches, so the loop vectorises; bit-exact with core/half.h fp16ToFloat.
// Placing the half's exponent and mantissa in a float's low bits gives a float 2^112 times too small (the
// exponent biases differ by 127 - 15), for subnormal halves too; multiplying by 2^112 is exact. Only the
// all-ones exponent (inf, NaN) needs the float's all-ones exponent instead, chosen with a mask.
inline float halfToFloat(std::uint16_t h)
{
    const std::uint32_t magnitude = h & 0x7FFFu;
    const std::uint32_t shifted = magnitude << 13;
    const std::uint32_t scaled = std::bit_cast<std::uint32_t>(std::bit_cast<float>(shifted) * 0x1p112f);
    const std::uint32_t special = 0u - static_cast<std::uint32_t>(magnitude >= 0x7C00u);
    const std::uint32_t bits = (scaled & ~special) | ((shifted | 0x7F800000u) & special);
    return std::bit_cast<float>(bits | (static_cast<std::uint32_t>(h & 0x8000u) << 16));
}

inline float bf16ToFloatBits(std::uint16_t b) { return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16); }

// Converts count 16-bit values; groups of 16 fully unrolled so that GCC's -O2 cost model vectorises them.
template <float (*Convert)(std::uint16_t)>
void decode16Bit(const std::uint8_t* row, std::int64_t first, std::int64_t count, float* dst)
{
    std::uint16_t bits[kChunk];
    std::memcpy(bits, row + first * 2, static_cast<std::size_t>(count) * 2);
    std::int64_t i = 0;
    for (; i + 16 <= count; i += 16) {
#pragma GCC unroll 16
        for (int l = 0; l < 16; ++l)
            dst[i + l] = Convert(bits[i + l]);
    }
    for (; i < count; ++i)
        dst[i] = Convert(bits[i]);
}

// Block formats without a decoder in block_decoders.cpp go through formats/quant.h a chunk at a time
// (kChunk values: 8 simple blocks or one k-quant super-block), which keeps the per-call cost small next to
// the decoding itself.
template <TensorType Type>
void decodeBlocks(const std::uint8_t* row, std::int64_t first, std::int64_t count, float* dst)
{
    const TensorTypeInfo& info = tensorTypeInfo(Type);
    dequantizeRow(Type, row + first / info.blockElems * info.blockBytes, dst, count);
}

std::string shapeText(const TensorView& w)
{
    std::string s = "[";
    for (std::size_t i = 0; i < w.dims.size(); ++i)
        s += (i ? ", " : "") + std::to_string(w.dims[i]);
    return s + "]";
}

} // namespace

ChunkDecoder chunkDecoder(TensorType type)
{
    if (ChunkDecoder fast = fastBlockDecoder(type))
        return fast;
    switch (type) {
    case TensorType::F32: return decodeF32;
    case TensorType::F16: return decode16Bit<halfToFloat>;
    case TensorType::BF16: return decode16Bit<bf16ToFloatBits>;
    case TensorType::Q4_0: return decodeBlocks<TensorType::Q4_0>;
    case TensorType::Q4_1: return decodeBlocks<TensorType::Q4_1>;
    case TensorType::Q5_0: return decodeBlocks<TensorType::Q5_0>;
    case TensorType::Q5_1: return decodeBlocks<TensorType::Q5_1>;
    case TensorType::Q8_0: return decodeBlocks<TensorType::Q8_0>;
    case TensorType::Q4_K: return decodeBlocks<TensorType::Q4_K>;
    case TensorType::Q5_K: return decodeBlocks<TensorType::Q5_K>;
    case TensorType::Q6_K: return decodeBlocks<TensorType::Q6_K>;
    }
    throw Error("cpu backend: unsupported tensor type " + tensorTypeName(type));
}

WeightRows::WeightRows(const TensorView& weight, std::string_view what)
{
    const std::string where = "cpu backend: " + std::string(what) + ": tensor '" + weight.name + "' ";
    if (weight.dims.empty() || weight.dims.size() > 2)
        throw Error(where + "has shape " + shapeText(weight) + ", expected a vector or matrix");
    for (auto d : weight.dims)
        if (d <= 0)
            throw Error(where + "has shape " + shapeText(weight) + ", expected positive dimensions");
    decode_ = chunkDecoder(weight.type);
    rowLength_ = weight.rowLength();
    rowCount_ = weight.rowCount();
    const auto bytes = rowBytes(weight.type, static_cast<std::uint64_t>(rowLength_));
    if (!bytes)
        throw Error(where + "has rows of " + std::to_string(rowLength_) + " values, not a multiple of the " +
                    tensorTypeName(weight.type) + " block size");
    rowBytes_ = static_cast<std::int64_t>(*bytes);
    if (weight.data.size() / static_cast<std::uint64_t>(rowBytes_) < static_cast<std::uint64_t>(rowCount_))
        throw Error(where + "holds " + std::to_string(weight.data.size()) + " bytes, too few for shape " +
                    shapeText(weight) + " of type " + tensorTypeName(weight.type));
    data_ = weight.data.data();
}

void WeightRows::dot(std::int64_t row, const float* x, std::int64_t xStride, std::int64_t xCount, float* lanes,
                     float* results) const
{
    std::fill(lanes, lanes + xCount * kLanes, 0.0f);
    alignas(64) float chunk[kChunk];
    const std::uint8_t* data = rowData(row);
    for (std::int64_t first = 0; first < rowLength_; first += kChunk) {
        const std::int64_t count = std::min(kChunk, rowLength_ - first);
        decode_(data, first, count, chunk);
        for (std::int64_t r = 0; r < xCount; ++r)
            accumulateLanes(chunk, x + r * xStride + first, count, lanes + r * kLanes);
    }
    for (std::int64_t r = 0; r < xCount; ++r)
        results[r] = reduceLanes(lanes + r * kLanes);
}

void WeightRows::dequantize(std::int64_t row, float* dst) const
{
    const std::uint8_t* data = rowData(row);
    for (std::int64_t first = 0; first < rowLength_; first += kChunk)
        decode_(data, first, std::min(kChunk, rowLength_ - first), dst + first);
}

} // namespace ponder::cpu
