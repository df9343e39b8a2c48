#pragma once
// Reading a weight tensor row by row in its file type, for matmuls. A row is dequantised kChunk values at
// a time into a buffer that stays in L1 and dotted right away with every activation row of the pass, so
// each weight byte is read once per pass and the model is never expanded to fp32.
//
// Dot products accumulate in kLanes fp32 partial sums (value i goes to sum i % kLanes) that are added in a
// fixed tree at the end. The sums are independent, so -O2 keeps them in vector registers, and the order of
// every addition is fixed by the row length alone: a result does not depend on the thread count, on how
// many activation rows share a pass, or on where the weight bytes came from.
#include "formats/tensor_view.h"

#include <cstdint>
#include <string_view>

namespace ponder::cpu {

constexpr int kLanes = 16;
constexpr std::int64_t kChunk = 256; // a multiple of every block size and of kLanes

// lanes[i % kLanes] += a[i] * b[i] for i < n; `a` and `b` start at a multiple of kLanes in their row.
inline void accumulateLanes(const float* __restrict a, const float* __restrict b, std::int64_t n,
                            float* __restrict lanes)
{
    float acc[kLanes];
    for (int l = 0; l < kLanes; ++l)
        acc[l] = lanes[l];
    std::int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        // Unrolled, the kLanes sums live in vector registers for the whole loop (GCC 12 at -O2 otherwise
        // vectorises only this inner loop and keeps the sums in memory).
#pragma GCC unroll 16
        for (int l = 0; l < kLanes; ++l)
            acc[l] += a[i + l] * b[i + l];
    }
    for (int l = 0; i < n; ++i, ++l)
        acc[l] += a[i] * b[i];
    for (int l = 0; l < kLanes; ++l)
        lanes[l] = acc[l];
}

// The sum of the kLanes partial sums, in a fixed pairwise order.
inline float reduceLanes(const float* lanes)
{
    float s[kLanes];
    for (int l = 0; l < kLanes; ++l)
        s[l] = lanes[l];
    for (int width = kLanes / 2; width > 0; width /= 2)
        for (int l = 0; l < width; ++l)
            s[l] += s[l + width];
    return s[0];
}

// dot(a, b) over n values with the lane scheme above (attention's q.k).
inline float dotLanes(const float* a, const float* b, std::int64_t n)
{
    float lanes[kLanes] = {};
    accumulateLanes(a, b, n, lanes);
    return reduceLanes(lanes);
}

// Decodes values [first, first + count) of one row (first and count multiples of the block size) to fp32.
using ChunkDecoder = void (*)(const std::uint8_t* row, std::int64_t first, std::int64_t count, float* dst);

class WeightRows {
public:
    // Checks that the view is a matrix (or vector) of a loadable type whose data holds all its rows;
    // `what` names the caller in errors ("matmul", "embed").
    WeightRows(const TensorView& weight, std::string_view what);

    std::int64_t rowLength() const { return rowLength_; }
    std::int64_t rowCount() const { return rowCount_; }

    // results[r] = dot(weight row `row`, x_r) for r < xCount, where x_r = x + r * xStride holds rowLength()
    // values. `lanes` is scratch for xCount * kLanes floats.
    void dot(std::int64_t row, const float* x, std::int64_t xStride, std::int64_t xCount, float* lanes,
             float* results) const;

    // The whole row as fp32, bit-exact with formats/quant.h dequantizeRow.
    void dequantize(std::int64_t row, float* dst) const;

private:
    const std::uint8_t* rowData(std::int64_t row) const { return data_ + row * rowBytes_; }

    const std::uint8_t* data_;
    std::int64_t rowLength_, rowCount_, rowBytes_;
    ChunkDecoder decode_;
};

// The decoder WeightRows uses for a type (exposed so tests can hold it to dequantizeRow bit for bit).
ChunkDecoder chunkDecoder(TensorType type);

} // namespace ponder::cpu
