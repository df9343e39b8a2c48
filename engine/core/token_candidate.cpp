#include "core/token_candidate.h"

#include "core/error.h"

#include <algorithm>
#include <string>

namespace ponder {

std::vector<TokenCandidate> highestLogits(std::span<const float> logits, std::size_t count)
{
    if (count > logits.size())
        throw Error("the " + std::to_string(count) + " highest logits were asked of a row of " +
                    std::to_string(logits.size()));
    std::vector<TokenCandidate> all(logits.size());
    for (std::size_t i = 0; i < logits.size(); ++i)
        all[i] = {static_cast<std::int32_t>(i), logits[i]};
    const auto end = all.begin() + static_cast<std::ptrdiff_t>(count);
    std::partial_sort(all.begin(), end, all.end(), ranksAbove);
    all.resize(count);
    return all;
}

} // namespace ponder
