#pragma once
// Picks the next token from logits: greedy, or temperature / top-k / top-p / min-p sampling with presence,
// frequency and repetition penalties, reproducible from a seed.
#include "core/token_candidate.h"
#include "model/model_file.h"

#include <cstddef>
#include <cstdint>
#include <optional>
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

    // The candidate path: the same choice as sample() from only the highest logits of a row, which a backend
    // finds where the logits are (Backend::topLogits), so a decode step need not read the vocabulary back.
    //
    // candidatesWanted: how many of the highest logits of a row of `vocabulary` to fetch, at most `limit`
    // (the most the backend returns) and the vocabulary; 0 when the candidate path cannot be exact for these
    // parameters (top-k off while sampling, a repetition penalty below 1, or a negative presence or
    // frequency penalty: those raise logits, so a token from outside any fixed top set could win), or when
    // the limit is below the least it needs (k + 1 for top-k).
    std::int64_t candidatesWanted(std::span<const std::int32_t> context, std::span<const std::int32_t> generated,
                                  std::size_t vocabulary, std::int64_t limit) const;
    // `candidates`: the highest logits of a row of `vocabulary`, ranked as core/token_candidate.h ranks them.
    // Returns the token sample() would return for the whole row, drawing the same random number, or nullopt
    // (no random number drawn) when the candidates do not settle it: the caller then calls sample() on the
    // whole row, which also reports any error (NaN, every logit masked, an id outside the vocabulary).
    std::optional<std::int32_t> sampleFromCandidates(std::span<const TokenCandidate> candidates,
                                                     std::size_t vocabulary, std::span<const std::int32_t> context,
                                                     std::span<const std::int32_t> generated);

private:
    bool penaltiesOnlyLower() const;
    std::int32_t drawFromKept(std::size_t count, bool ranked); // temperature, top-p, min-p, draw
    std::optional<std::int32_t> greedyFromCandidates(std::span<const TokenCandidate> candidates, bool complete);

    SamplingParams params_;
    std::mt19937_64 rng_;
    std::vector<std::pair<float, std::int32_t>> candidates_; // reused between calls
    std::vector<std::pair<std::int32_t, std::uint32_t>> byId_; // candidate path: (id, index) sorted by id
    std::vector<std::uint32_t> occurrences_;                   // candidate path: count in `generated` per index
    std::vector<char> inContext_;                              // candidate path: per index
};

} // namespace ponder
