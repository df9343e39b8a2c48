#include "generation/generation_policy.h"

#include "core/error.h"

#include <algorithm>
#include <string>

namespace ponder {

bool resolveThinking(ThinkingSupport support, const GenerationSettings& settings,
                     std::optional<bool> requestDefault)
{
    switch (support) {
    case ThinkingSupport::None:
        return false;
    case ThinkingSupport::ThinkingOnly:
        return true;
    case ThinkingSupport::Hybrid:
        break;
    }
    if (settings.thinkingBudget == 0)
        return false;
    return settings.thinking.value_or(requestDefault.value_or(true));
}

SamplingParams resolveSampling(const GenerationSettings& settings, bool thinking, const GenerationDefaults& defaults)
{
    return settings.sampling ? *settings.sampling : recommendedSampling(thinking, defaults);
}

std::int64_t answerReserve(std::int64_t maxTokens, std::int64_t contextCapacity)
{
    return std::clamp<std::int64_t>(maxTokens, 0, contextCapacity / 4);
}

void checkSettings(const GenerationSettings& settings)
{
    if (settings.maxTokens < 0)
        throw Error("generation: maxTokens must be 0 or more, not " + std::to_string(settings.maxTokens));
    if (settings.thinkingBudget < -1)
        throw Error("generation: the thinking budget must be -1 (unlimited) or a number of tokens, not " +
                    std::to_string(settings.thinkingBudget));
}

} // namespace ponder
