// Attention-side operations of the CPU backend: QK-norm with NeoX RoPE and the KV-cache write, and causal GQA
// attention over the fp32 KV cache. Work is spread over (row, head) pairs, each computed start to finish by one
// thread.
#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/cpu_storage.h"
#include "backend/cpu/weight_rows.h"

#include "core/error.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace ponder::cpu {
namespace {

std::string shape(const Activation& a) { return std::to_string(a.rows()) + "x" + std::to_string(a.cols()); }

// A norm weight of headDim values, dequantised into `dst`.
void loadHeadNorm(const TensorView& weight, std::int64_t headDim, float* dst)
{
    const WeightRows w(weight, "qkNormRopeStore");
    require(w.rowCount() == 1 && w.rowLength() == headDim, "qkNormRopeStore",
            "norm weight '" + weight.name + "' has " + std::to_string(w.rowLength()) + " values for heads of " +
                std::to_string(headDim));
    w.dequantize(0, dst);
}

// One head in place: RMSNorm over its values with `scale`, then rotate-half RoPE with the position's
// cos/sin (half values each): x'[i] = x[i] cos - x[i+half] sin, x'[i+half] = x[i+half] cos + x[i] sin.
void normRopeHead(float* x, std::int64_t headDim, const float* scale, float eps, const float* cosines,
                  const float* sines, float* normed)
{
    double sum = 0;
    for (std::int64_t i = 0; i < headDim; ++i)
        sum += static_cast<double>(x[i]) * x[i];
    const float inverse = static_cast<float>(1.0 / std::sqrt(sum / static_cast<double>(headDim) + eps));
    for (std::int64_t i = 0; i < headDim; ++i)
        normed[i] = (x[i] * inverse) * scale[i];
    const std::int64_t half = headDim / 2;
    for (std::int64_t i = 0; i < half; ++i) {
        const float a = normed[i], b = normed[i + half];
        x[i] = a * cosines[i] - b * sines[i];
        x[i + half] = b * cosines[i] + a * sines[i];
    }
}

// y += a * x over n values; the restrict locals let -O2 vectorise without run-time overlap checks.
void addScaled(float* __restrict y, const float* __restrict x, float a, std::int64_t n)
{
    for (std::int64_t i = 0; i < n; ++i)
        y[i] += a * x[i];
}

} // namespace

void qkNormRopeStore(Context& ctx, Activation& q, const Activation& k, const Activation& v, const TensorView& qNorm,
                     const TensorView& kNorm, float eps, std::int64_t headDim, const RopeParameters& rope,
                     KvCache& cache, std::int64_t layer, std::int64_t firstPosition)
{
    const char* op = "qkNormRopeStore";
    float* qv = hostValues(q, op);
    const float* kv = hostValues(k, op);
    const float* vv = hostValues(v, op);
    auto* kvCache = dynamic_cast<CpuKvCache*>(&cache);
    require(kvCache != nullptr, op, "the KV cache was not created by a CPU backend");
    require(headDim > 0 && headDim % 2 == 0, op, "head size " + std::to_string(headDim) + " is not even");
    require(headDim == kvCache->headDim(), op,
            "head size " + std::to_string(headDim) + " for a cache of heads of " + std::to_string(kvCache->headDim()));
    const std::int64_t rows = q.rows(), kvCols = kvCache->kvHeads() * headDim;
    require(q.cols() % headDim == 0 && k.rows() == rows && v.rows() == rows && k.cols() == kvCols &&
                v.cols() == kvCols,
            op,
            "q " + shape(q) + ", k " + shape(k) + " and v " + shape(v) + " are not rows of heads of " +
                std::to_string(headDim) + " for a cache of " + std::to_string(kvCache->kvHeads()) + " KV heads");
    const std::int64_t half = headDim / 2;
    require(static_cast<std::int64_t>(rope.inverseFrequencies.size()) == half, op,
            std::to_string(rope.inverseFrequencies.size()) + " RoPE frequencies for heads of " +
                std::to_string(headDim));
    require(layer >= 0 && layer < kvCache->layers(), op,
            "layer " + std::to_string(layer) + " of a cache for " + std::to_string(kvCache->layers()));
    require(firstPosition >= 0 && firstPosition + rows <= kvCache->capacity(), op,
            "positions " + std::to_string(firstPosition) + ".." + std::to_string(firstPosition + rows - 1) +
                " do not fit a cache of " + std::to_string(kvCache->capacity()));

    float* qScale = sized(ctx.shared.a, headDim);
    float* kScale = sized(ctx.shared.b, headDim);
    loadHeadNorm(qNorm, headDim, qScale);
    loadHeadNorm(kNorm, headDim, kScale);

    // cos and sin per row and frequency. The angle is the fp32 product position * inv_freq, as Hugging Face
    // computes it; cos and sin of that angle are then taken in double and scaled by YaRN's factor in fp32.
    float* cosines = sized(ctx.shared.c, rows * half);
    float* sines = sized(ctx.shared.d, rows * half);
    for (std::int64_t r = 0; r < rows; ++r) {
        const float position = static_cast<float>(firstPosition + r);
        for (std::int64_t i = 0; i < half; ++i) {
            const double angle = static_cast<double>(position * rope.inverseFrequencies[i]);
            cosines[r * half + i] = static_cast<float>(std::cos(angle)) * rope.attentionFactor;
            sines[r * half + i] = static_cast<float>(std::sin(angle)) * rope.attentionFactor;
        }
    }

    // Values go to the cache as they are; each key head is copied to its cache slot and normed and roped there.
    for (std::int64_t r = 0; r < rows; ++r) {
        std::memcpy(kvCache->keys(layer, firstPosition + r), kv + r * kvCols, sizeof(float) * kvCols);
        std::memcpy(kvCache->values(layer, firstPosition + r), vv + r * kvCols, sizeof(float) * kvCols);
    }
    const std::int64_t qHeads = q.cols() / headDim, kHeads = kvCache->kvHeads();
    const std::int64_t headsPerRow = qHeads + kHeads;
    ctx.pool.parallelFor(rows * headsPerRow, 16, [&](std::int64_t begin, std::int64_t end, unsigned worker) {
        float* normed = sized(ctx.scratch[worker].a, headDim);
        for (std::int64_t item = begin; item < end; ++item) {
            const std::int64_t r = item / headsPerRow, h = item % headsPerRow;
            float* head = h < qHeads ? qv + r * q.cols() + h * headDim
                                     : kvCache->keys(layer, firstPosition + r) + (h - qHeads) * headDim;
            normRopeHead(head, headDim, h < qHeads ? qScale : kScale, eps, cosines + r * half, sines + r * half,
                         normed);
        }
    });
}

void attention(Context& ctx, const Activation& q, const KvCache& cache, std::int64_t layer,
               std::int64_t firstPosition, std::int64_t headDim, Activation& out)
{
    const float* qv = hostValues(q, "attention");
    float* o = hostValues(out, "attention");
    const auto* kvCache = dynamic_cast<const CpuKvCache*>(&cache);
    require(kvCache != nullptr, "attention", "the KV cache was not created by a CPU backend");
    require(headDim > 0 && headDim == kvCache->headDim(), "attention",
            "head size " + std::to_string(headDim) + " for a cache of heads of " + std::to_string(kvCache->headDim()));
    const std::int64_t rows = q.rows(), kvHeads = kvCache->kvHeads(), kvCols = kvHeads * headDim;
    require(q.cols() % headDim == 0 && (q.cols() / headDim) % kvHeads == 0, "attention",
            "q " + shape(q) + " is not a multiple of the " + std::to_string(kvHeads) + " KV heads of " +
                std::to_string(headDim));
    require(out.rows() == rows && out.cols() == q.cols(), "attention", "output " + shape(out) + " for q " + shape(q));
    require(layer >= 0 && layer < kvCache->layers(), "attention",
            "layer " + std::to_string(layer) + " of a cache for " + std::to_string(kvCache->layers()));
    require(firstPosition >= 0 && firstPosition + rows <= kvCache->capacity(), "attention",
            "positions " + std::to_string(firstPosition) + ".." + std::to_string(firstPosition + rows - 1) +
                " do not fit a cache of " + std::to_string(kvCache->capacity()));

    const std::int64_t heads = q.cols() / headDim, group = heads / kvHeads;
    const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(headDim)));
    const float* keys = kvCache->keys(layer, 0);
    const float* values = kvCache->values(layer, 0);
    ctx.pool.parallelFor(rows * heads, 1, [&](std::int64_t begin, std::int64_t end, unsigned worker) {
        Scratch& s = ctx.scratch[worker];
        for (std::int64_t item = begin; item < end; ++item) {
            const std::int64_t r = item / heads, h = item % heads;
            const std::int64_t positions = firstPosition + r + 1; // causal: up to and including its own
            const std::int64_t kvOffset = (h / group) * headDim;
            float* query = sized(s.a, headDim);
            std::memcpy(query, qv + r * q.cols() + h * headDim, sizeof(float) * headDim);
            float* scores = sized(s.b, positions);
            float* acc = sized(s.c, headDim);

            float maxScore = -std::numeric_limits<float>::infinity();
            for (std::int64_t p = 0; p < positions; ++p) {
                scores[p] = dotLanes(query, keys + p * kvCols + kvOffset, headDim) * scale;
                maxScore = std::max(maxScore, scores[p]);
            }
            double sum = 0;
            for (std::int64_t p = 0; p < positions; ++p) {
                scores[p] = std::exp(scores[p] - maxScore);
                sum += scores[p];
            }
            std::fill(acc, acc + headDim, 0.0f);
            for (std::int64_t p = 0; p < positions; ++p)
                addScaled(acc, values + p * kvCols + kvOffset, scores[p], headDim);
            const float inverse = static_cast<float>(1.0 / sum);
            float* orow = o + r * out.cols() + h * headDim;
            for (std::int64_t d = 0; d < headDim; ++d)
                orow[d] = acc[d] * inverse;
        }
    });
}

} // namespace ponder::cpu
