#pragma once
// The penalties against repetition, applied to the logits before any sampling step. Both expect the
// candidates still in id order (candidates[id] is token id) and the ids already checked against the
// vocabulary.
#include "sampling/candidates.h"

#include <span>

namespace ponder::detail {

// One logit under each penalty (the functions below apply these to every id; the Sampler's candidate path
// to the few candidates it has). Both keep a masked logit (-inf) masked and a finite one finite. With
// penalty >= 1, presence >= 0 and frequency >= 0 they never raise a logit: the exact value is at most the
// logit, and rounding to float cannot carry it above a float it does not exceed.
float repetitionPenalised(float logit, double penalty);
float presenceFrequencyPenalised(float logit, double count, double presence, double frequency);

// CTRL / Hugging Face RepetitionPenaltyLogitsProcessor over `context` (prompt and generated ids): each
// distinct id once, positive logits divided by `penalty`, the others multiplied. 1 leaves them alone.
void applyRepetitionPenalty(Candidates& candidates, std::span<const float> logits,
                            std::span<const std::int32_t> context, double penalty);

// OpenAI / vLLM over `generated`: logit -= presence * [count > 0] + frequency * count.
void applyPresenceAndFrequency(Candidates& candidates, std::span<const std::int32_t> generated, double presence,
                               double frequency);

} // namespace ponder::detail
