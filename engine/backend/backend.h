#pragma once
// What a compute backend does for the Qwen3 schedule (inference/qwen3_forward). The schedule is written once;
// a backend (the CPU reference, Vulkan) implements these operations on its own activations. Weights are
// passed as the TensorViews of ModelWeights: a backend that keeps copies (a GPU) finds its copy by the view's
// data pointer, set up in prepareWeights().
//
// Row convention: every activation row is one token. Matrices in ggml order: a weight with dims {in, out}
// maps a row of `in` values to a row of `out` values.
#include "backend/activation.h"
#include "core/token_candidate.h"
#include "formats/tensor_view.h"
#include "model/model_config.h"
#include "model/model_weights.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ponder {

// Keys and values of every layer for `capacity` positions. Backend-owned; the session tracks how many
// positions hold valid data.
class KvCache {
public:
    virtual ~KvCache() = default;
    virtual std::int64_t capacity() const = 0;
};

// The experts each row was routed to: expertsPerToken ids and weights per row. Backend-owned so a GPU keeps
// routing on the device.
class ExpertRouting {
public:
    virtual ~ExpertRouting() = default;
};

// Rotary embedding parameters shared by all layers: inv_freq per pair (headDim / 2 values, YaRN applied)
// and YaRN's attention factor that scales cos and sin (1 without YaRN).
struct RopeParameters {
    std::vector<float> inverseFrequencies;
    float attentionFactor = 1.0f;
};

// The most candidates Backend::topLogits returns (the Vulkan shader's limit, kept by every backend).
inline constexpr std::int64_t kMaxTopLogits = 256;

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0;

    // Called once per model before any operation (upload, repacking...). `progress`, when set, is told the
    // fraction of the weights prepared so far (0..1, rising; see runtime/load_progress.h for throttling).
    virtual void prepareWeights(const ModelConfig& config, const ModelWeights& weights,
                                const std::function<void(double fraction)>& progress) = 0;
    void prepareWeights(const ModelConfig& config, const ModelWeights& weights)
    {
        prepareWeights(config, weights, {});
    }
    virtual Activation allocate(std::int64_t rows, std::int64_t cols) = 0;
    virtual std::unique_ptr<KvCache> createKvCache(const ModelConfig& config, std::int64_t capacity) = 0;
    virtual std::unique_ptr<ExpertRouting> createExpertRouting(std::int64_t rows, std::int64_t expertsPerToken) = 0;

    // out[r] = embedding row ids[r] (dequantised). out.rows() == ids.size().
    virtual void embed(const TensorView& embedding, std::span<const std::int32_t> ids, Activation& out) = 0;
    // out[r] = x[r] / sqrt(mean(x[r]^2) + eps) * weight   (fp32 reduction, no +1).
    virtual void rmsNorm(const Activation& x, const TensorView& weight, float eps, Activation& out) = 0;
    // out[r] = W x[r] for a weight of dims {x.cols(), out.cols()}, dequantised on the fly.
    virtual void matmul(const Activation& x, const TensorView& weight, Activation& out) = 0;
    // Q/K norm, RoPE and the KV-cache write of one layer's chunk, in one operation (on a GPU one pass, where
    // separate operations would read k twice). Per head: RMSNorm over headDim with qNorm / kNorm, then NeoX
    // rotate-half RoPE at position firstPosition + r for row r. q (heads*headDim columns) is updated in place;
    // the normalised, roped k (kvHeads*headDim columns) and v as it is are written to `layer` of the cache at
    // positions firstPosition.., in the cache's own precision (fp32 on the CPU; fp16 or fp32 on Vulkan, as the
    // cache was made). k and v themselves are not changed. firstPosition + rows must fit the cache.
    virtual void qkNormRopeStore(Activation& q, const Activation& k, const Activation& v, const TensorView& qNorm,
                                 const TensorView& kNorm, float eps, std::int64_t headDim, const RopeParameters& rope,
                                 KvCache& cache, std::int64_t layer, std::int64_t firstPosition) = 0;
    // Causal GQA attention of each q row r (position firstPosition + r) over what `layer` of the cache holds
    // at positions 0..firstPosition + r (stored by qkNormRopeStore), scaled 1/sqrt(headDim), fp32 softmax.
    // out has heads*headDim columns.
    virtual void attention(const Activation& q, const KvCache& cache, std::int64_t layer, std::int64_t firstPosition,
                           std::int64_t headDim, Activation& out) = 0;
    // out = silu(gate) * up, elementwise.
    virtual void swiglu(const Activation& gate, const Activation& up, Activation& out) = 0;
    // x += y, elementwise.
    virtual void addInPlace(Activation& x, const Activation& y) = 0;
    // Per row of router logits: softmax over all experts in fp32, the top-k (ties to the lower id), weights
    // renormalised to sum 1 when `normalize` (norm_topk_prob).
    virtual void moeRoute(const Activation& routerLogits, bool normalize, ExpertRouting& routing) = 0;
    // out[r] = sum over the routed experts e of weight_e * down_e(silu(gate_e x[r]) * up_e x[r]).
    virtual void moeExperts(const Activation& x, std::span<const ExpertWeights> experts,
                            const ExpertRouting& routing, Activation& out) = 0;
    // Copies row `row` of x to the host (logits).
    virtual void readRow(const Activation& x, std::int64_t row, std::span<float> out) = 0;
    // The `count` highest values of row `row` of x with their column ids, ranked as core/token_candidate.h
    // ranks them (higher first, ties to the lower id, NaN above +inf, -inf last). Only these pairs reach the
    // host: a decode step samples from a few candidates instead of reading the whole vocabulary back.
    // 1 <= count <= min(x.cols(), kMaxTopLogits).
    virtual std::vector<TokenCandidate> topLogits(const Activation& x, std::int64_t row, std::int64_t count) = 0;
};

} // namespace ponder
