#pragma once
// Remembers the ids of recently seen pre-tokenizer pieces. Natural text repeats the same words over and
// over, so most pieces skip BPE entirely. Bounded: when full it starts afresh, which keeps memory flat on
// endless distinct input (hex dumps, base64) at the cost of briefly re-learning common words.
// Safe to use from several threads (Tokenizer::encode is const and may run concurrently).
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ponder {

class PieceCache {
public:
    static constexpr std::size_t kMaxPieceBytes = 256; // longer pieces rarely repeat: not worth storing

    explicit PieceCache(std::size_t capacity) : capacity_(capacity) {}

    // Appends the cached ids of `piece` to `out`; false when it is not cached.
    bool lookup(std::string_view piece, std::vector<std::int32_t>& out) const;
    void insert(std::string_view piece, std::span<const std::int32_t> ids);

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::vector<std::int32_t>, Hash, std::equal_to<>> entries_;
};

} // namespace ponder
