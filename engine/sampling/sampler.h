#pragma once
// Picks the next token from logits: greedy, or temperature / top-k / top-p / min-p sampling with presence,
// frequency and repetition penalties, reproducible from a seed.
#include "model/model_file.h"

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace ponder {

struct SamplingParams {
    bool greedy = false;
    double temperature = 0.7;
    std::int64_t topK = 20;       // 0: off
    double topP = 0.8;            // 1: off
    double minP = 0.0;            // 0: off
    double presencePenalty = 0.0; // subtracted once from every token already generated
    double frequencyPenalty = 0.0;// subtracted per occurrence among generated tokens
    double repetitionPenalty = 1.0; // Hugging Face/CTRL style over prompt and generated tokens: 1 = off
    std::uint64_t seed = 0;
};

// Qwen3's recommended preset for the mode (thinking: T 0.6, top-p 0.95, top-k 20, min-p 0; non-thinking:
// T 0.7, top-p 0.8, top-k 20, min-p 0), with the values the model's generation_config.json sets on top.
// Qwen3's file holds the thinking preset, so without thinking a model value applies only where it differs
// from Qwen's thinking value (sampling_presets.cpp). Throws ponder::Error for a value out of range.
SamplingParams recommendedSampling(bool thinking, const GenerationDefaults& modelDefaults);

class Sampler {
public:
    // Throws ponder::Error naming the first parameter out of range.
    explicit Sampler(const SamplingParams& params);
    const SamplingParams& params() const { return params_; }

    // `context`: the ids the repetition penalty looks at (prompt + generated); `generated`: the ids generated
    // so far in this answer (presence and frequency penalties). -inf masks a token out. Throws ponder::Error
    // for no logits, a NaN or +inf logit, every logit -inf, or an id outside the logits.
    std::int32_t sample(std::span<const float> logits, std::span<const std::int32_t> context,
                        std::span<const std::int32_t> generated);

private:
    SamplingParams params_;
    std::mt19937_64 rng_;
    std::vector<std::pair<float, std::int32_t>> candidates_; // reused between calls
};

} // namespace ponder
