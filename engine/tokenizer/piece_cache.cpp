#include "tokenizer/piece_cache.h"

namespace ponder {

bool PieceCache::lookup(std::string_view piece, std::vector<std::int32_t>& out) const
{
    if (piece.size() > kMaxPieceBytes)
        return false;
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(piece);
    if (it == entries_.end())
        return false;
    out.insert(out.end(), it->second.begin(), it->second.end());
    return true;
}

void PieceCache::insert(std::string_view piece, std::span<const std::int32_t> ids)
{
    if (piece.size() > kMaxPieceBytes || capacity_ == 0)
        return;
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_)
        entries_.clear();
    entries_.try_emplace(std::string(piece), ids.begin(), ids.end());
}

} // namespace ponder
