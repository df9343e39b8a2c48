#pragma once
// KV reuse across turns: a new prompt keeps the cached positions of its longest common token prefix with the
// ids already in the cache and prefills only the rest. The next turn's prompt is not the last prompt plus the
// answer (the template re-renders the assistant message without its reasoning), so reuse typically stops
// inside the previous assistant turn.
#include <cstdint>
#include <span>

namespace ponder {

// Length of the longest common prefix of `a` and `b`.
std::int64_t commonPrefixLength(std::span<const std::int32_t> a, std::span<const std::int32_t> b);

// Cached positions a prompt may keep: the common prefix, but at most promptIds.size() - 1, because sampling
// needs the logits of the last prompt position and only running that position produces them.
std::int64_t reusablePrefix(std::span<const std::int32_t> cachedIds, std::span<const std::int32_t> promptIds);

} // namespace ponder
