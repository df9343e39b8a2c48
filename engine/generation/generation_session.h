#pragma once
// One conversation's generation: owns its KV cache and the ids in it, renders the chat, reuses the longest
// common token prefix already cached, prefills the rest, samples, splits reasoning from the answer on the
// <think> / </think> token ids, enforces the thinking budget, trims old turns on context overflow, and
// streams events. Used by ponder-cli and, through the app's engine worker, by the GUI.
#include "chat/chat_format.h"
#include "inference/qwen3_forward.h"
#include "model/model_file.h"
#include "sampling/sampler.h"
#include "tokenizer/tokenizer.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ponder {

enum class Channel { Reasoning, Content };

struct GenerationSettings {
    std::optional<bool> thinking;             // nullopt: the model's default (on for hybrid / thinking-only)
    std::int64_t thinkingBudget = -1;         // reasoning tokens; -1 unlimited; 0 renders the non-thinking prompt
    std::optional<SamplingParams> sampling;   // nullopt: recommendedSampling(thinking, model defaults)
    std::int64_t maxTokens = 2048;
    bool ignoreEos = false;
    bool wantLogits = false;                  // pass each step's logits in the token events
};

enum class StopReason { Stop, Length, Cancelled };

struct GenerationEvent {
    enum class Kind {
        Token,          // one generated token: id, text (complete UTF-8 only, may be empty), channel
        BudgetReached,  // the thinking budget ended reasoning; the closing text was fed through the model
        ContextTrimmed, // oldest turns were dropped to fit the context: droppedMessages
    };
    // Token details: the <think> / </think> tags come as Reasoning tokens with no text; a sampled stop id
    // gives no event. id -1 is no token: text a channel held back for an unfinished UTF-8 character, flushed
    // (as U+FFFD) when that channel ended. Per channel, the texts concatenate to the result's reasoning /
    // content, which are trimmed as the chat template parses a reply (reasoning.strip('\n'),
    // content.lstrip('\n')). The closing text of the thinking budget is not part of the reasoning.
    Kind kind = Kind::Token;
    std::int32_t id = -1;
    std::string text;
    Channel channel = Channel::Content;
    std::span<const float> logits;            // raw logits this token was sampled from (wantLogits); valid
                                              // only during the sink call
    std::int64_t droppedMessages = 0;
};

struct GenerationResult {
    StopReason reason = StopReason::Stop;
    std::string reasoning;
    std::string content;
    std::int64_t promptTokens = 0;
    std::int64_t reusedTokens = 0;            // prompt positions kept from the cache, not computed again
    std::int64_t generatedTokens = 0;         // Token events with an id (a sampled stop id not counted)
    std::int64_t reasoningTokens = 0;
    bool budgetReached = false;
    std::int64_t sampledFromCandidates = 0;   // tokens sampled from only the highest logits (the rest read
                                              // every logit back: see decodeAnswer)
    double prefillSeconds = 0, decodeSeconds = 0;
    double prefillTokensPerSecond() const;
    double decodeTokensPerSecond() const;
};

using EventSink = std::function<void(const GenerationEvent&)>;

// The text fed through the model when the thinking budget runs out (Qwen's own wording).
extern const char* const kThinkingBudgetClosing;

class GenerationSession {
public:
    // `contextCapacity`: positions of the KV cache (≤ the model's context length).
    GenerationSession(const ModelFile& model, Qwen3Forward& forward, std::int64_t contextCapacity);
    ~GenerationSession();

    // Renders `request` with the model's template (thinking per settings) and generates the assistant turn.
    // When it does not fit with room for the answer (maxTokens, at most a quarter of the context), the oldest
    // turns are dropped (ContextTrimmed). Throws ponder::Error for invalid settings or a conversation whose
    // system message and last turn alone do not fit.
    GenerationResult generate(const ChatRequest& request, const GenerationSettings& settings, const EventSink& sink,
                              const std::atomic<bool>* cancel = nullptr);
    // Feeds ids as they are (no template) and generates; reasoning is still split on the think ids.
    GenerationResult generateFromIds(std::span<const std::int32_t> promptIds, const GenerationSettings& settings,
                                     const EventSink& sink, const std::atomic<bool>* cancel = nullptr);

    std::span<const std::int32_t> cachedIds() const; // ids whose keys/values are in the cache

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace ponder
