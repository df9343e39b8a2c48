#include "session_cache.h"

#include <algorithm>

namespace ponder::app {

std::uint64_t kvCacheBytes(const ModelConfig& config, qint64 positions)
{
    // Keys and values, every layer, every KV head.
    return static_cast<std::uint64_t>(positions) * static_cast<std::uint64_t>(config.layerCount) *
           static_cast<std::uint64_t>(config.kvHeadCount * config.headDim) * 2u * sizeof(float);
}

SessionCache::SessionCache(const ModelFile& model, Qwen3Forward& forward, std::uint64_t budgetBytes)
    : model_(model), forward_(forward), budgetBytes_(budgetBytes)
{
}

GenerationSession& SessionCache::session(qint64 conversationId, qint64 contextLength)
{
    const auto found = std::find_if(entries_.begin(), entries_.end(),
                                    [&](const Entry& e) { return e.conversationId == conversationId; });
    if (found != entries_.end()) {
        if (found->contextLength == contextLength) {
            entries_.splice(entries_.begin(), entries_, found);
            return *entries_.front().session;
        }
        entries_.erase(found); // the context length changed: the cache must be made anew
    }
    const std::uint64_t needed = kvCacheBytes(model_.config(), contextLength);
    // Free the least recently used sessions first, so the new cache is allocated into memory they held.
    // The newest session is always kept, even alone over the budget: the turn must run.
    while (!entries_.empty() && bytes() + needed > budgetBytes_)
        entries_.pop_back();
    entries_.push_front(Entry{conversationId, contextLength, needed,
                              std::make_unique<GenerationSession>(model_, forward_, contextLength)});
    return *entries_.front().session;
}

void SessionCache::drop(qint64 conversationId)
{
    entries_.remove_if([&](const Entry& e) { return e.conversationId == conversationId; });
}

bool SessionCache::contains(qint64 conversationId) const
{
    return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.conversationId == conversationId; });
}

std::uint64_t SessionCache::bytes() const
{
    std::uint64_t total = 0;
    for (const Entry& e : entries_)
        total += e.bytes;
    return total;
}

} // namespace ponder::app
