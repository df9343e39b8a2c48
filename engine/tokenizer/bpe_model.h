#pragma once
// The BPE model of a byte-level tokenizer: each pre-tokenizer piece starts as one symbol per byte and
// the adjacent pair with the lowest merge rank is merged (leftmost first on ties) until no pair has a
// merge, exactly as Hugging Face's BPE with ignore_merges false: a piece that is itself a vocabulary
// entry still goes through the merges, so it only becomes that entry if the merges build it.
#include "tokenizer/merge_table.h"
#include "tokenizer/piece_cache.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ponder {

class BpeModel {
public:
    // `tokens`: id -> token text in byte-level form ("" where no token has that id). `merges`: "left right"
    // in rank order, both sides in byte-level form. Throws ponder::Error("<source>: ...") when a merge
    // names a token the vocabulary lacks or when a byte has no token.
    BpeModel(const std::vector<std::string>& tokens, const std::vector<std::string>& merges,
             const std::string& source);

    // Appends the ids of one piece (raw bytes, not yet byte-level mapped) to `out`.
    void encodePiece(std::string_view bytes, std::vector<std::int32_t>& out) const;

    // Id of a token given in byte-level form ("Ġthe").
    std::optional<std::int32_t> idOf(std::string_view tokenText) const;

private:
    void mergeSymbols(std::string_view bytes, std::vector<std::int32_t>& out) const;

    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> vocab_;
    std::array<std::int32_t, 256> byteIds_{};
    MergeTable merges_;
    mutable PieceCache cache_{1u << 16};
};

} // namespace ponder
