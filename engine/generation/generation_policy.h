#pragma once
// Per-request decisions of a generation that need no model run: whether the answer thinks, which sampling
// preset applies, how much of the context is kept free for the answer, and which settings are invalid.
#include "chat/thinking_support.h"
#include "generation/generation_session.h"

#include <cstdint>
#include <optional>

namespace ponder {

// None never thinks, ThinkingOnly always does; Hybrid follows settings.thinking, else the request's
// enable_thinking, else on. A thinking budget of 0 turns a hybrid model's thinking off (the template's empty
// think block); a thinking-only model still opens <think> and the budget closes it at once.
bool resolveThinking(ThinkingSupport support, const GenerationSettings& settings,
                     std::optional<bool> requestDefault);

SamplingParams resolveSampling(const GenerationSettings& settings, bool thinking, const GenerationDefaults& defaults);

// Positions trimming keeps free for the answer: maxTokens, but at most a quarter of the context, so a large
// maxTokens (thinking answers run to tens of thousands of tokens) does not evict the whole history. An
// answer may still grow past it into whatever room is left; a full cache ends it with StopReason::Length.
std::int64_t answerReserve(std::int64_t maxTokens, std::int64_t contextCapacity);

// Throws ponder::Error for a negative maxTokens or a thinking budget below -1.
void checkSettings(const GenerationSettings& settings);

} // namespace ponder
