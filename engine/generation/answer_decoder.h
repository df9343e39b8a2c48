#pragma once
// The decode loop of one answer: sample, stop, split reasoning from content, enforce the thinking budget,
// feed each token back, stream events. It talks to the model only through TokenFeed, so the state machine
// can be driven by a scripted feed in tests as well as by the real forward pass.
#include "backend/backend.h"
#include "core/token_candidate.h"
#include "generation/generation_session.h"
#include "generation/reasoning_splitter.h"

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

namespace ponder {

// A model position by position: the ids whose keys/values are cached, a way to append more, and the logits
// of the last position fed, which stay where they were computed (the GPU) until they are asked for: all of
// them, or only the highest (a few numbers across the bus per token instead of the vocabulary).
class TokenFeed {
public:
    virtual ~TokenFeed() = default;
    virtual std::span<const std::int32_t> cachedIds() const = 0;
    virtual std::int64_t capacity() const = 0;
    virtual std::int64_t vocabularySize() const = 0;
    // Runs `ids` at the next positions.
    virtual void feed(std::span<const std::int32_t> ids) = 0;
    // The last position's logits (vocabularySize() of them).
    virtual std::vector<float> logits() = 0;
    // Their `count` highest (1 <= count <= min(vocabularySize(), kMaxTopLogits)), ranked as
    // core/token_candidate.h ranks them.
    virtual std::vector<TokenCandidate> topLogits(std::int64_t count) = 0;
};

struct AnswerPlan {
    Channel start = Channel::Content;       // the channel the prompt leaves generation in
    ThinkTags tags;
    SamplingParams sampling;
    std::vector<std::int32_t> stopIds;
    std::vector<std::int32_t> budgetClosingIds; // fed when the budget runs out (needed when budget >= 0)
    std::int64_t thinkingBudget = -1;
    std::int64_t maxTokens = 0;
    bool ignoreEos = false;
    bool wantLogits = false;
};

// Decodes after the prompt (already fed: the feed holds its last position's logits) until a stop id is
// sampled (not fed, no event), maxTokens tokens were generated, the cache is full (Length), or `cancel` is
// set (checked before every sample and before every token is fed, so at most the token in hand is emitted
// after it is set). Fills reason, reasoning, content, generatedTokens, reasoningTokens, budgetReached,
// sampledFromCandidates and decodeSeconds of `result` (model and sampling time only, not the sink's).
//
// Each token is sampled from the feed's highest logits when the sampler says they settle it exactly
// (Sampler::candidatesWanted / sampleFromCandidates), else from all of them; with wantLogits always from all.
//
// Events: a Token event per sampled token; a Token event with id -1 carries text a channel held back for an
// unfinished character when that channel ends (rare: U+FFFD). BudgetReached comes after the closing text was
// fed; the token that used up the budget and the closing go through the model in one run.
void decodeAnswer(TokenFeed& feed, const Tokenizer& tokenizer, const AnswerPlan& plan,
                  const EventSink& sink, const std::atomic<bool>* cancel, GenerationResult& result);

} // namespace ponder
