#pragma once
// The CPU backend's operations as free functions over host fp32 data (the semantics are those of
// backend.h). Every function checks the shapes it is given and throws ponder::Error naming the operation
// when they do not fit, before touching any output.
#include "backend/backend.h"
#include "backend/cpu/thread_pool.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ponder::cpu {

// Reusable buffers of one pool thread, grown on demand and kept between operations so the hot path does
// not allocate. Only the thread with that worker id touches them during a parallel loop.
struct Scratch {
    std::vector<float> a, b, c, d;
};

struct Context {
    explicit Context(unsigned threads) : pool(threads), scratch(pool.size()) {}
    ThreadPool pool;
    std::vector<Scratch> scratch; // indexed by worker id
    Scratch shared;               // one operation's data that all threads read (e.g. a norm's weights)
};

// Grows `v` to at least n values and returns its data.
inline float* sized(std::vector<float>& v, std::int64_t n)
{
    if (v.size() < static_cast<std::size_t>(n))
        v.resize(static_cast<std::size_t>(n));
    return v.data();
}

// Weight rows per range of a parallel matmul: small enough that every thread gets several ranges (the
// dynamic hand-out then evens out uneven progress), large enough that a range is at least ~64K
// multiply-adds. `valuesPerRow`: multiply-adds per weight row (row length x activation rows).
inline std::int64_t matmulGrain(std::int64_t weightRows, std::int64_t valuesPerRow, unsigned threads)
{
    const std::int64_t balanced = weightRows / (static_cast<std::int64_t>(threads) * 8);
    const std::int64_t minimum = (65536 + valuesPerRow - 1) / std::max<std::int64_t>(1, valuesPerRow);
    return std::max<std::int64_t>({1, balanced, minimum});
}

// Throws ponder::Error "cpu backend: OP: MESSAGE" unless `ok`.
void require(bool ok, const char* op, const std::string& message);

// basic_ops.cpp
void embed(const TensorView& embedding, std::span<const std::int32_t> ids, Activation& out);
void rmsNorm(Context& ctx, const Activation& x, const TensorView& weight, float eps, Activation& out);
void matmul(Context& ctx, const Activation& x, const TensorView& weight, Activation& out);
void swiglu(Context& ctx, const Activation& gate, const Activation& up, Activation& out);
void addInPlace(Context& ctx, Activation& x, const Activation& y);
void readRow(const Activation& x, std::int64_t row, std::span<float> out);
std::vector<TokenCandidate> topLogits(const Activation& x, std::int64_t row, std::int64_t count);

// attention_ops.cpp
void qkNormRopeStore(Context& ctx, Activation& q, const Activation& k, const Activation& v, const TensorView& qNorm,
                     const TensorView& kNorm, float eps, std::int64_t headDim, const RopeParameters& rope,
                     KvCache& cache, std::int64_t layer, std::int64_t firstPosition);
void attention(Context& ctx, const Activation& q, const KvCache& cache, std::int64_t layer,
               std::int64_t firstPosition, std::int64_t headDim, Activation& out);

// moe_ops.cpp
void moeRoute(const Activation& routerLogits, bool normalize, ExpertRouting& routing);
void moeExperts(Context& ctx, const Activation& x, std::span<const ExpertWeights> experts,
                const ExpertRouting& routing, Activation& out);

} // namespace ponder::cpu
