#include "generation/prefix_reuse.h"

#include <algorithm>

namespace ponder {

std::int64_t commonPrefixLength(std::span<const std::int32_t> a, std::span<const std::int32_t> b)
{
    const auto [endA, endB] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
    return endA - a.begin();
}

std::int64_t reusablePrefix(std::span<const std::int32_t> cachedIds, std::span<const std::int32_t> promptIds)
{
    if (promptIds.empty())
        return 0;
    return std::min(commonPrefixLength(cachedIds, promptIds), static_cast<std::int64_t>(promptIds.size()) - 1);
}

} // namespace ponder
