#include "generation/answer_decoder.h"

#include "generation/thinking_budget.h"

#include <algorithm>
#include <chrono>

namespace ponder {
namespace {

using Clock = std::chrono::steady_clock;

class AnswerDecoder {
public:
    AnswerDecoder(TokenFeed& feed, const Tokenizer& tokenizer, const AnswerPlan& plan, const EventSink& sink,
                  const std::atomic<bool>* cancel)
        : feed_(feed), plan_(plan), sink_(sink), cancel_(cancel), splitter_(tokenizer, plan.tags, plan.start),
          sampler_(plan.sampling)
    {
    }

    StopReason run()
    {
        if (plan_.maxTokens <= 0)
            return StopReason::Length;
        // A prompt that opens reasoning with a budget of 0 closes it before anything is sampled.
        if (thinkingBudgetSpent(splitter_, plan_.thinkingBudget) && !closeByBudget({}))
            return StopReason::Length;
        for (;;) {
            if (cancelled())
                return StopReason::Cancelled;
            if (static_cast<std::int64_t>(generated_.size()) >= plan_.maxTokens)
                return StopReason::Length;

            const auto started = Clock::now();
            const std::int32_t id = nextToken();
            busy_ += Clock::now() - started;
            if (!plan_.ignoreEos && std::ranges::find(plan_.stopIds, id) != plan_.stopIds.end())
                return StopReason::Stop;

            generated_.push_back(id);
            ReasoningSplitter::Piece piece = splitter_.push(id);
            emitToken(id, std::move(piece), plan_.wantLogits ? logitsView() : std::span<const float>{});

            // Nothing more will be sampled: don't spend a forward pass on this token.
            if (cancelled())
                return StopReason::Cancelled;
            if (static_cast<std::int64_t>(generated_.size()) >= plan_.maxTokens)
                return StopReason::Length;
            const std::int32_t token[] = {id};
            if (thinkingBudgetSpent(splitter_, plan_.thinkingBudget)) {
                if (!closeByBudget(token))
                    return StopReason::Length;
            } else if (!feedIds(token)) {
                return StopReason::Length;
            }
        }
    }

    void finish(StopReason reason, GenerationResult& result)
    {
        for (auto& piece : splitter_.finish())
            emitToken(-1, std::move(piece), {});
        result.reason = reason;
        result.reasoning = splitter_.reasoning();
        result.content = splitter_.content();
        result.generatedTokens = static_cast<std::int64_t>(generated_.size());
        result.reasoningTokens = splitter_.reasoningTokens();
        result.budgetReached = budgetReached_;
        result.decodeSeconds = std::chrono::duration<double>(busy_).count();
        result.sampledFromCandidates = fromCandidates_;
    }

private:
    std::span<const float> logitsView() const { return logits_; }
    bool cancelled() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }

    // Samples the next token from the last position's logits: from the highest few when they settle it,
    // otherwise (or for wantLogits) from all of them, read into logits_.
    std::int32_t nextToken()
    {
        const std::span<const std::int32_t> context = feed_.cachedIds();
        if (!plan_.wantLogits) {
            const std::int64_t vocabulary = feed_.vocabularySize();
            const std::int64_t count = sampler_.candidatesWanted(context, generated_,
                                                                 static_cast<std::size_t>(vocabulary), kMaxTopLogits);
            if (count > 0) {
                const std::vector<TokenCandidate> candidates = feed_.topLogits(count);
                if (const auto id = sampler_.sampleFromCandidates(candidates, static_cast<std::size_t>(vocabulary),
                                                                  context, generated_)) {
                    ++fromCandidates_;
                    return *id;
                }
            }
        }
        logits_ = feed_.logits();
        return sampler_.sample(logits_, context, generated_);
    }

    // Feeds ids at the next positions; false (nothing fed) when the cache has no room for them.
    bool feedIds(std::span<const std::int32_t> ids)
    {
        if (static_cast<std::int64_t>(feed_.cachedIds().size() + ids.size()) > feed_.capacity())
            return false;
        const auto started = Clock::now();
        feed_.feed(ids);
        busy_ += Clock::now() - started;
        return true;
    }

    // Feeds `before` (the token that used up the budget) and the closing text in one run, then continues in
    // content. False when they do not fit in the cache.
    bool closeByBudget(std::span<const std::int32_t> before)
    {
        std::vector<std::int32_t> ids(before.begin(), before.end());
        ids.insert(ids.end(), plan_.budgetClosingIds.begin(), plan_.budgetClosingIds.end());
        if (!feedIds(ids))
            return false;
        emitToken(-1, splitter_.closeReasoning(), {});
        budgetReached_ = true;
        GenerationEvent event;
        event.kind = GenerationEvent::Kind::BudgetReached;
        event.channel = Channel::Reasoning;
        if (sink_)
            sink_(event);
        return true;
    }

    // A Token event; id -1 only carries held-back text and is skipped when there is none.
    void emitToken(std::int32_t id, ReasoningSplitter::Piece piece, std::span<const float> logits)
    {
        if (id < 0 && piece.text.empty())
            return;
        GenerationEvent event;
        event.kind = GenerationEvent::Kind::Token;
        event.id = id;
        event.text = std::move(piece.text);
        event.channel = piece.channel;
        event.logits = logits;
        if (sink_)
            sink_(event);
    }

    TokenFeed& feed_;
    const AnswerPlan& plan_;
    const EventSink& sink_;
    const std::atomic<bool>* cancel_;
    ReasoningSplitter splitter_;
    Sampler sampler_;
    std::vector<float> logits_;
    std::vector<std::int32_t> generated_;
    Clock::duration busy_{};
    bool budgetReached_ = false;
    std::int64_t fromCandidates_ = 0;
};

} // namespace

void decodeAnswer(TokenFeed& feed, const Tokenizer& tokenizer, const AnswerPlan& plan, const EventSink& sink,
                  const std::atomic<bool>* cancel, GenerationResult& result)
{
    AnswerDecoder decoder(feed, tokenizer, plan, sink, cancel);
    const StopReason reason = decoder.run();
    decoder.finish(reason, result);
}

} // namespace ponder
