#pragma once
// (left id, right id) -> (merge rank, merged id), the lookup at the heart of BPE. An open-addressing
// table of 64-bit keys: ~150k merges fit in a few MB with no per-entry allocation, and a lookup is one
// multiply and usually one cache line (std::unordered_map would chase a pointer per probe).
#include <cstdint>
#include <optional>
#include <vector>

namespace ponder {

struct Merge {
    std::uint32_t rank;
    std::int32_t mergedId;
};

class MergeTable {
public:
    explicit MergeTable(std::size_t expectedEntries)
    {
        std::size_t capacity = 16;
        while (capacity < expectedEntries * 2) // load factor <= 0.5 keeps probe runs short
            capacity *= 2;
        slots_.assign(capacity, Slot{kEmpty, {}});
        mask_ = capacity - 1;
    }

    // A pair already present is overwritten: like Hugging Face, the last duplicate merge line wins.
    void insert(std::int32_t left, std::int32_t right, Merge merge)
    {
        const std::uint64_t key = keyOf(left, right);
        for (std::size_t i = indexOf(key);; i = (i + 1) & mask_) {
            if (slots_[i].key == kEmpty || slots_[i].key == key) {
                slots_[i] = Slot{key, merge};
                return;
            }
        }
    }

    std::optional<Merge> find(std::int32_t left, std::int32_t right) const
    {
        const std::uint64_t key = keyOf(left, right);
        for (std::size_t i = indexOf(key);; i = (i + 1) & mask_) {
            if (slots_[i].key == key)
                return slots_[i].merge;
            if (slots_[i].key == kEmpty)
                return std::nullopt;
        }
    }

private:
    static constexpr std::uint64_t kEmpty = ~std::uint64_t{0}; // ids are never negative, so no real key
    struct Slot {
        std::uint64_t key;
        Merge merge;
    };
    static std::uint64_t keyOf(std::int32_t left, std::int32_t right)
    {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
    }
    std::size_t indexOf(std::uint64_t key) const
    {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & mask_; // Fibonacci hashing
    }

    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

} // namespace ponder
