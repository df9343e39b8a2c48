// GenerationSession: the prompt side of a generation (rendering, trimming to the context, prefix reuse,
// prefill) around decodeAnswer, which does the token-by-token part.
#include "generation/generation_session.h"

#include "core/error.h"
#include "generation/answer_decoder.h"
#include "generation/context_trimmer.h"
#include "generation/generation_policy.h"
#include "generation/prefix_reuse.h"
#include "generation/thinking_budget.h"

#include <algorithm>
#include <chrono>
#include <string>

namespace ponder {
namespace {

// Prefill is run in slices of this many tokens so that a cancel during a long prompt is noticed between
// them. The forward pass chunks further as its backend prefers.
constexpr std::size_t kPrefillSlice = 512;

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

double GenerationResult::prefillTokensPerSecond() const
{
    const auto computed = static_cast<double>(promptTokens - reusedTokens);
    return prefillSeconds > 0 ? computed / prefillSeconds : 0.0;
}

double GenerationResult::decodeTokensPerSecond() const
{
    return decodeSeconds > 0 ? static_cast<double>(generatedTokens) / decodeSeconds : 0.0;
}

struct GenerationSession::State final : TokenFeed {
    State(const ModelFile& model, Qwen3Forward& forward, std::int64_t capacity)
        : model(model), forward(forward), cache(forward.createKvCache(capacity)),
          tags(ThinkTags::lookup(model.tokenizer()))
    {
    }

    std::span<const std::int32_t> cachedIds() const override { return ids; }
    std::int64_t capacity() const override { return cache->capacity(); }
    std::int64_t vocabularySize() const override { return model.config().vocabSize; }
    void feed(std::span<const std::int32_t> newIds) override { run(newIds, LogitsWanted::LastRowKept); }
    std::vector<float> logits() override { return forward.lastLogits(); }
    std::vector<TokenCandidate> topLogits(std::int64_t count) override { return forward.lastTopLogits(count); }

    // The ids count as cached only once the run has written them.
    void run(std::span<const std::int32_t> newIds, LogitsWanted wanted)
    {
        forward.run(newIds, static_cast<std::int64_t>(ids.size()), *cache, wanted);
        ids.insert(ids.end(), newIds.begin(), newIds.end());
    }

    GenerationResult generate(std::span<const std::int32_t> prompt, bool thinking,
                              const GenerationSettings& settings, const EventSink& sink,
                              const std::atomic<bool>* cancel);
    AnswerPlan makePlan(std::span<const std::int32_t> prompt, bool thinking, const GenerationSettings& settings);

    const ModelFile& model;
    Qwen3Forward& forward;
    std::unique_ptr<KvCache> cache;
    std::vector<std::int32_t> ids;
    ThinkTags tags;
    std::vector<std::int32_t> budgetClosing; // encoded on first use
};

AnswerPlan GenerationSession::State::makePlan(std::span<const std::int32_t> prompt, bool thinking,
                                             const GenerationSettings& settings)
{
    AnswerPlan plan;
    plan.start = startingChannel(prompt, tags);
    plan.tags = tags;
    plan.sampling = resolveSampling(settings, thinking, model.generationDefaults());
    plan.stopIds = model.generationDefaults().eosTokenIds;
    plan.thinkingBudget = settings.thinkingBudget;
    if (plan.thinkingBudget >= 0 && tags.open && tags.close) {
        if (budgetClosing.empty())
            budgetClosing = thinkingBudgetClosingIds(model.tokenizer());
        plan.budgetClosingIds = budgetClosing;
    } else {
        plan.thinkingBudget = -1; // without think tags nothing is ever reasoning
    }
    plan.maxTokens = settings.maxTokens;
    plan.ignoreEos = settings.ignoreEos;
    plan.wantLogits = settings.wantLogits;
    return plan;
}

GenerationResult GenerationSession::State::generate(std::span<const std::int32_t> prompt, bool thinking,
                                                    const GenerationSettings& settings, const EventSink& sink,
                                                    const std::atomic<bool>* cancel)
{
    if (prompt.empty())
        throw Error("generation: the prompt has no tokens");
    if (static_cast<std::int64_t>(prompt.size()) > capacity())
        throw Error("generation: the prompt has " + std::to_string(prompt.size()) +
                    " tokens, more than the context of " + std::to_string(capacity()) + " positions");

    const auto vocab = model.config().vocabSize;
    for (const std::int32_t id : prompt)
        if (id < 0 || id >= vocab)
            throw Error("generation: prompt token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                        std::to_string(vocab - 1) + ")");

    const AnswerPlan plan = makePlan(prompt, thinking, settings); // before any work: it can throw

    GenerationResult result;
    result.promptTokens = static_cast<std::int64_t>(prompt.size());
    const std::int64_t reused = reusablePrefix(ids, prompt);
    result.reusedTokens = reused;
    ids.resize(static_cast<std::size_t>(reused)); // positions past it are overwritten by this prompt

    const auto prefillStart = std::chrono::steady_clock::now();
    for (std::size_t at = static_cast<std::size_t>(reused); at < prompt.size(); at += kPrefillSlice) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            result.reason = StopReason::Cancelled;
            result.prefillSeconds = secondsSince(prefillStart);
            return result;
        }
        const std::size_t end = std::min(prompt.size(), at + kPrefillSlice);
        const bool last = end == prompt.size();
        run(prompt.subspan(at, end - at), last ? LogitsWanted::LastRowKept : LogitsWanted::None);
    }
    result.prefillSeconds = secondsSince(prefillStart);

    decodeAnswer(*this, model.tokenizer(), plan, sink, cancel, result);
    return result;
}

GenerationSession::GenerationSession(const ModelFile& model, Qwen3Forward& forward, std::int64_t contextCapacity)
{
    const std::int64_t modelContext = model.config().contextLength;
    if (contextCapacity < 1 || (modelContext > 0 && contextCapacity > modelContext))
        throw Error("generation: a context of " + std::to_string(contextCapacity) +
                    " positions is outside 1.." + std::to_string(modelContext) + " (the model's context length)");
    state_ = std::make_unique<State>(model, forward, contextCapacity);
}

GenerationSession::~GenerationSession() = default;

GenerationResult GenerationSession::generate(const ChatRequest& request, const GenerationSettings& settings,
                                             const EventSink& sink, const std::atomic<bool>* cancel)
{
    checkSettings(settings);
    const ModelFile& model = state_->model;
    const bool thinking = resolveThinking(model.thinking(), settings, request.enableThinking);
    ChatRequest rendered = request;
    if (model.thinking() == ThinkingSupport::Hybrid)
        rendered.enableThinking = thinking;

    const std::int64_t capacity = state_->capacity();
    const std::int64_t reserve = answerReserve(settings.maxTokens, capacity);
    const auto encode = [&](const ChatRequest& r) { return model.tokenizer().encode(formatChat(r, model.thinking())); };
    FittedPrompt prompt = fitPrompt(rendered, encode, capacity - reserve);
    if (!prompt.fits)
        throw Error("generation: the conversation does not fit in the context: the system prompt and the last turn "
                    "alone take " + std::to_string(prompt.ids.size()) + " tokens, and " + std::to_string(reserve) +
                    " are kept free for the answer, but the context holds " + std::to_string(capacity));
    if (prompt.droppedMessages > 0 && sink) {
        GenerationEvent event;
        event.kind = GenerationEvent::Kind::ContextTrimmed;
        event.droppedMessages = prompt.droppedMessages;
        sink(event);
    }
    return state_->generate(prompt.ids, thinking, settings, sink, cancel);
}

GenerationResult GenerationSession::generateFromIds(std::span<const std::int32_t> promptIds,
                                                    const GenerationSettings& settings, const EventSink& sink,
                                                    const std::atomic<bool>* cancel)
{
    checkSettings(settings);
    const bool thinking = resolveThinking(state_->model.thinking(), settings, std::nullopt);
    return state_->generate(promptIds, thinking, settings, sink, cancel);
}

std::span<const std::int32_t> GenerationSession::cachedIds() const { return state_->ids; }

} // namespace ponder
