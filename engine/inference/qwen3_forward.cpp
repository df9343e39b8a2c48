// The Qwen3 schedule (transformers' modeling_qwen3 / modeling_qwen3_moe) over Backend operations. Each layer:
//   h   = x + o_proj(attention(rope(q_norm(q)), rope(k_norm(k)), v))   with q, k, v from rmsNorm(x, attnNorm)
//   out = h + mlp(rmsNorm(h, ffnNorm))    dense SwiGLU, or the routed experts on sparse layers
// then the final norm and lm_head for the rows whose logits are wanted.
#include "inference/qwen3_forward.h"

#include "core/error.h"
#include "inference/rope.h"

#include <algorithm>
#include <string>

namespace ponder {

// Activations for one chunk, allocated once at maxChunk rows and cut to each chunk's length with setRows.
struct Qwen3Forward::Scratch {
    Activation x;        // residual stream [rows, hidden]
    Activation normed;   // rmsNorm output feeding the projections [rows, hidden]
    Activation q, k, v;  // [rows, heads*headDim], [rows, kvHeads*headDim] x2
    Activation attended; // attention output [rows, heads*headDim]
    Activation delta;    // o_proj and MLP outputs added back onto x [rows, hidden]
    // Dense MLP (absent when every layer is sparse).
    Activation gate, up, activated; // [rows, ffn]
    // MoE (absent for dense models).
    Activation routerLogits; // [rows, experts]
    std::unique_ptr<ExpertRouting> routing;
    // lm_head output: one row for LastRow; maxChunk rows, made on first use, for AllRows.
    Activation lastLogits, chunkLogits;

    void setRows(std::int64_t rows)
    {
        for (Activation* a : {&x, &normed, &q, &k, &v, &attended, &delta, &gate, &up, &activated, &routerLogits})
            if (a->capacityRows() > 0)
                a->setRows(rows);
    }
};

namespace {

void checkWeights(const ModelConfig& config, const ModelWeights& weights)
{
    if (static_cast<std::int64_t>(weights.layers.size()) != config.layerCount)
        throw Error("the model's weights hold " + std::to_string(weights.layers.size()) + " layers, its config " +
                    std::to_string(config.layerCount));
    if (config.hiddenSize <= 0 || config.headCount <= 0 || config.kvHeadCount <= 0 || config.vocabSize <= 0 ||
        config.headCount % config.kvHeadCount != 0)
        throw Error("the model's config does not describe a Qwen3 model (hidden size, heads or vocabulary)");
    for (const LayerWeights& layer : weights.layers)
        if (layer.sparse && (config.expertCount <= 0 || config.expertsPerToken <= 0 ||
                             static_cast<std::int64_t>(layer.experts.size()) != config.expertCount))
            throw Error("a sparse layer's experts do not match the model's expert count");
}

} // namespace

Qwen3Forward::Qwen3Forward(const ModelConfig& config, const ModelWeights& weights, Backend& backend,
                           std::int64_t maxChunk, const std::function<void(double)>& weightProgress)
    : config_(config), weights_(weights), backend_(backend), maxChunk_(maxChunk), rope_(ropeParameters(config)),
      scratch_(std::make_unique<Scratch>())
{
    if (maxChunk < 1)
        throw Error("the prefill chunk must hold at least one token, not " + std::to_string(maxChunk));
    checkWeights(config, weights);
    backend_.prepareWeights(config, weights, weightProgress);

    const std::int64_t rows = maxChunk, hidden = config.hiddenSize;
    const std::int64_t qWidth = config.headCount * config.headDim, kvWidth = config.kvHeadCount * config.headDim;
    Scratch& s = *scratch_;
    s.x = backend_.allocate(rows, hidden);
    s.normed = backend_.allocate(rows, hidden);
    s.q = backend_.allocate(rows, qWidth);
    s.k = backend_.allocate(rows, kvWidth);
    s.v = backend_.allocate(rows, kvWidth);
    s.attended = backend_.allocate(rows, qWidth);
    s.delta = backend_.allocate(rows, hidden);
    const auto sparse = [](const LayerWeights& layer) { return layer.sparse; };
    const bool anySparse = std::any_of(weights.layers.begin(), weights.layers.end(), sparse);
    const bool anyDense = !std::all_of(weights.layers.begin(), weights.layers.end(), sparse);
    if (anyDense) {
        s.gate = backend_.allocate(rows, config.ffnSize);
        s.up = backend_.allocate(rows, config.ffnSize);
        s.activated = backend_.allocate(rows, config.ffnSize);
    }
    if (anySparse) {
        s.routerLogits = backend_.allocate(rows, config.expertCount);
        s.routing = backend_.createExpertRouting(rows, config.expertsPerToken);
    }
    s.lastLogits = backend_.allocate(1, config.vocabSize);
}

Qwen3Forward::~Qwen3Forward() = default;

std::vector<float> Qwen3Forward::run(std::span<const std::int32_t> ids, std::int64_t firstPosition, KvCache& cache,
                                     LogitsWanted wanted)
{
    const auto count = static_cast<std::int64_t>(ids.size());
    if (firstPosition < 0)
        throw Error("the first position must not be negative, not " + std::to_string(firstPosition));
    if (count > cache.capacity() - firstPosition)
        throw Error("the KV cache holds " + std::to_string(cache.capacity()) + " positions, too few for " +
                    std::to_string(count) + " tokens after position " + std::to_string(firstPosition));
    for (std::int32_t id : ids)
        if (id < 0 || id >= config_.vocabSize)
            throw Error("token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                        std::to_string(config_.vocabSize - 1) + ")");
    haveLastLogits_ = false;
    const bool lastRow = wanted == LogitsWanted::LastRow || wanted == LogitsWanted::LastRowKept;
    if (count == 0) {
        if (lastRow)
            throw Error("no tokens to compute logits for");
        return {};
    }

    Scratch& s = *scratch_;
    const std::int64_t vocab = config_.vocabSize;
    const float eps = static_cast<float>(config_.rmsEpsilon);
    std::vector<float> logits;
    if (wanted == LogitsWanted::AllRows) {
        logits.resize(static_cast<std::size_t>(count * vocab));
        if (s.chunkLogits.capacityRows() == 0)
            s.chunkLogits = backend_.allocate(maxChunk_, vocab);
    }

    // The Backend has no operation that picks one row out of an activation, so for LastRow the last token
    // runs as a chunk of its own and lm_head multiplies that one row. This costs one more pass over the
    // weights (about one decode step) but no extra arithmetic; lm_head over the whole final chunk would add
    // (rows - 1) * hidden * vocab multiply-adds, seconds on a CPU for a 64-token chunk of a large model.
    const std::int64_t bulk = lastRow ? count - 1 : count;
    for (std::int64_t done = 0; done < bulk;) {
        const std::int64_t rows = std::min(maxChunk_, bulk - done);
        runChunk(ids.subspan(static_cast<std::size_t>(done), static_cast<std::size_t>(rows)), firstPosition + done,
                 cache);
        if (wanted == LogitsWanted::AllRows) {
            s.chunkLogits.setRows(rows);
            backend_.rmsNorm(s.x, weights_.outputNorm, eps, s.normed);
            backend_.matmul(s.normed, weights_.output, s.chunkLogits);
            for (std::int64_t r = 0; r < rows; ++r)
                backend_.readRow(s.chunkLogits, r,
                                 std::span<float>(logits).subspan(static_cast<std::size_t>((done + r) * vocab),
                                                                  static_cast<std::size_t>(vocab)));
        }
        done += rows;
    }
    if (lastRow) {
        runChunk(ids.subspan(static_cast<std::size_t>(count - 1)), firstPosition + count - 1, cache);
        backend_.rmsNorm(s.x, weights_.outputNorm, eps, s.normed);
        backend_.matmul(s.normed, weights_.output, s.lastLogits);
        haveLastLogits_ = true;
        if (wanted == LogitsWanted::LastRow)
            logits = lastLogits();
    }
    return logits;
}

std::vector<float> Qwen3Forward::lastLogits()
{
    if (!haveLastLogits_)
        throw Error("the latest forward run computed no logits for its last token");
    std::vector<float> logits(static_cast<std::size_t>(config_.vocabSize));
    backend_.readRow(scratch_->lastLogits, 0, logits);
    return logits;
}

std::vector<TokenCandidate> Qwen3Forward::lastTopLogits(std::int64_t count)
{
    if (!haveLastLogits_)
        throw Error("the latest forward run computed no logits for its last token");
    return backend_.topLogits(scratch_->lastLogits, 0, count);
}

// Runs every layer over one chunk; leaves the final hidden states (before the output norm) in scratch x.
void Qwen3Forward::runChunk(std::span<const std::int32_t> ids, std::int64_t firstPosition, KvCache& cache)
{
    Scratch& s = *scratch_;
    const auto rows = static_cast<std::int64_t>(ids.size());
    const float eps = static_cast<float>(config_.rmsEpsilon);
    s.setRows(rows);
    backend_.embed(weights_.embedding, ids, s.x);

    for (std::int64_t l = 0; l < config_.layerCount; ++l) {
        const LayerWeights& w = weights_.layers[static_cast<std::size_t>(l)];

        backend_.rmsNorm(s.x, w.attnNorm, eps, s.normed);
        backend_.matmul(s.normed, w.q, s.q);
        backend_.matmul(s.normed, w.k, s.k);
        backend_.matmul(s.normed, w.v, s.v);
        backend_.qkNormRopeStore(s.q, s.k, s.v, w.qNorm, w.kNorm, eps, config_.headDim, rope_, cache, l,
                                 firstPosition);
        backend_.attention(s.q, cache, l, firstPosition, config_.headDim, s.attended);
        backend_.matmul(s.attended, w.o, s.delta);
        backend_.addInPlace(s.x, s.delta);

        backend_.rmsNorm(s.x, w.ffnNorm, eps, s.normed);
        if (w.sparse) {
            backend_.matmul(s.normed, w.router, s.routerLogits);
            backend_.moeRoute(s.routerLogits, config_.normTopkProb, *s.routing);
            backend_.moeExperts(s.normed, w.experts, *s.routing, s.delta);
        } else {
            backend_.matmul(s.normed, w.gate, s.gate);
            backend_.matmul(s.normed, w.up, s.up);
            backend_.swiglu(s.gate, s.up, s.activated);
            backend_.matmul(s.activated, w.down, s.delta);
        }
        backend_.addInPlace(s.x, s.delta);
    }
}

} // namespace ponder
