#include "sampling/penalties.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ponder::detail {
namespace {

// A penalised logit, kept finite: an extreme penalty must not turn a logit into +inf (no softmax) or a token
// into a masked one. A masked token (-inf) stays masked.
float penalised(float logit, double value)
{
    if (!std::isfinite(logit))
        return logit;
    constexpr double largest = std::numeric_limits<float>::max();
    return static_cast<float>(std::clamp(value, -largest, largest));
}

} // namespace

float repetitionPenalised(float logit, double penalty)
{
    const double value = logit;
    return penalised(logit, value > 0.0 ? value / penalty : value * penalty);
}

float presenceFrequencyPenalised(float logit, double count, double presence, double frequency)
{
    return penalised(logit, logit - presence - frequency * count);
}

// CTRL / Hugging Face: each distinct id in the context once, positive logits divided by the penalty, the
// others multiplied. Computing from the original logit makes a repeated id harmless.
void applyRepetitionPenalty(Candidates& candidates, std::span<const float> logits,
                            std::span<const std::int32_t> context, double penalty)
{
    if (penalty == 1.0)
        return;
    for (std::int32_t id : context)
        candidates[id].first = repetitionPenalised(logits[id], penalty);
}

// OpenAI / vLLM: logit -= presence * [count > 0] + frequency * count over the generated ids. Until the
// candidates are reordered an entry's index is its id, so the id field can hold a negative occurrence count
// while counting, and is restored afterwards; no extra buffer is needed.
void applyPresenceAndFrequency(Candidates& candidates, std::span<const std::int32_t> generated, double presence,
                               double frequency)
{
    if (presence == 0.0 && frequency == 0.0)
        return;
    for (std::int32_t id : generated) {
        auto& counter = candidates[id].second;
        counter = counter >= 0 ? -1 : counter - 1;
    }
    for (std::int32_t id : generated) {
        auto& [logit, counter] = candidates[id];
        if (counter >= 0)
            continue; // already penalised (a repeated id)
        logit = presenceFrequencyPenalised(logit, -static_cast<double>(counter), presence, frequency);
        counter = id;
    }
}

} // namespace ponder::detail
