#pragma once
// The decode loop of one answer: sample, stop, split reasoning from content, enforce the thinking budget,
// feed each token back, stream events. It talks to the model only through TokenFeed, so the state machine
// can be driven by a scripted feed in tests as well as by the real forward pass.
#include "generation/generation_session.h"
#include "generation/reasoning_splitter.h"

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

namespace ponder {

// A model position by position: the ids whose keys/values are cached and a way to append more.
class TokenFeed {
public:
    virtual ~TokenFeed() = default;
    virtual std::span<const std::int32_t> cachedIds() const = 0;
    virtual std::int64_t capacity() const = 0;
    // Runs `ids` at the next positions and returns the last one's logits (vocabulary size).
    virtual std::vector<float> feed(std::span<const std::int32_t> ids) = 0;
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

// Decodes from `logits` (those of the last prompt position) until a stop id is sampled (not fed, no event),
// maxTokens tokens were generated, the cache is full (Length), or `cancel` is set (checked before every
// sample and before every token is fed, so at most the token in hand is emitted after it is set).
// Fills reason, reasoning, content, generatedTokens, reasoningTokens, budgetReached and decodeSeconds of
// `result` (model and sampling time only, not the sink's).
//
// Events: a Token event per sampled token; a Token event with id -1 carries text a channel held back for an
// unfinished character when that channel ends (rare: U+FFFD). BudgetReached comes after the closing text was
// fed; the token that used up the budget and the closing go through the model in one run.
void decodeAnswer(TokenFeed& feed, std::vector<float> logits, const Tokenizer& tokenizer, const AnswerPlan& plan,
                  const EventSink& sink, const std::atomic<bool>* cancel, GenerationResult& result);

} // namespace ponder
