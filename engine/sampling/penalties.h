#pragma once
// The penalties against repetition, applied to the logits before any sampling step. Both expect the
// candidates still in id order (candidates[id] is token id) and the ids already checked against the
// vocabulary.
#include "sampling/candidates.h"

#include <span>

namespace ponder::detail {

// CTRL / Hugging Face RepetitionPenaltyLogitsProcessor over `context` (prompt and generated ids): each
// distinct id once, positive logits divided by `penalty`, the others multiplied. 1 leaves them alone.
void applyRepetitionPenalty(Candidates& candidates, std::span<const float> logits,
                            std::span<const std::int32_t> context, double penalty);

// OpenAI / vLLM over `generated`: logit -= presence * [count > 0] + frequency * count.
void applyPresenceAndFrequency(Candidates& candidates, std::span<const std::int32_t> generated, double presence,
                               double frequency);

} // namespace ponder::detail
