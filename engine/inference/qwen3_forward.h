#pragma once
// The Qwen3 forward pass, written once over the Backend operations: embed -> for each layer [RMSNorm ->
// Q/K/V -> QK-norm + RoPE -> attention (KV cache) -> O -> residual -> RMSNorm -> SwiGLU MLP or MoE ->
// residual] -> final RMSNorm -> lm_head, for the rows whose logits are wanted.
#include "backend/backend.h"
#include "model/model_config.h"
#include "model/model_weights.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace ponder {

// LastRowKept computes the last token's logits like LastRow but leaves them on the backend, to be read with
// lastLogits() or, a few numbers instead of the vocabulary, lastTopLogits().
enum class LogitsWanted { LastRow, AllRows, None, LastRowKept };

class Qwen3Forward {
public:
    // `maxChunk`: the most tokens one backend pass processes; longer inputs are prefilled in chunks.
    // `weightProgress` hears the backend's preparation of the weights (Backend::prepareWeights).
    Qwen3Forward(const ModelConfig& config, const ModelWeights& weights, Backend& backend,
                 std::int64_t maxChunk = kDefaultMaxChunk,
                 const std::function<void(double fraction)>& weightProgress = {});
    static constexpr std::int64_t kDefaultMaxChunk = 64;
    ~Qwen3Forward();

    const ModelConfig& config() const { return config_; }
    Backend& backend() { return backend_; }
    std::unique_ptr<KvCache> createKvCache(std::int64_t capacity) { return backend_.createKvCache(config_, capacity); }

    // Runs `ids` at positions firstPosition.. (the cache must hold valid data for 0..firstPosition-1 and have
    // room for all of them). Returns logits: vocab floats for the last token (LastRow), for every token
    // (AllRows, row-major), or nothing (None).
    std::vector<float> run(std::span<const std::int32_t> ids, std::int64_t firstPosition, KvCache& cache,
                           LogitsWanted wanted = LogitsWanted::LastRow);

    // The last token's logits of the latest run, when it computed them (LastRow or LastRowKept): all of them,
    // or the `count` highest with their ids (Backend::topLogits: ranked, ties to the lower id). Throws
    // ponder::Error when the latest run computed no last-token logits.
    std::vector<float> lastLogits();
    std::vector<TokenCandidate> lastTopLogits(std::int64_t count);

private:
    struct Scratch;
    void runChunk(std::span<const std::int32_t> ids, std::int64_t firstPosition, KvCache& cache);

    const ModelConfig& config_;
    const ModelWeights& weights_;
    Backend& backend_;
    std::int64_t maxChunk_;
    RopeParameters rope_;
    std::unique_ptr<Scratch> scratch_;
    bool haveLastLogits_ = false; // scratch lastLogits holds the latest run's last-token logits
};

} // namespace ponder
