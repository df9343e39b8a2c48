#pragma once
// Finds added tokens (<|im_start|>, <think>, ...) in text before any BPE, as Hugging Face's
// AddedVocabulary does: leftmost-longest, non-overlapping matches, then per token
//   single_word: the match only counts when no word character touches it on either side,
//   lstrip / rstrip: the match swallows the white space before / after it.
// A match that fails single_word leaves its text to the BPE and the search resumes after it.
#include "tokenizer/tokenizer.h"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ponder {

// A piece of the input: either plain text for the BPE (id < 0) or one added token.
struct TextSegment {
    std::string_view text;
    std::int32_t id = -1;
};

class AddedTokenMatcher {
public:
    AddedTokenMatcher() = default;
    explicit AddedTokenMatcher(std::vector<AddedToken> tokens); // empty contents are ignored

    bool empty() const { return tokens_.empty(); }

    // Appends the segments of `text` to `out` (plain segments are never empty).
    void split(std::string_view text, std::vector<TextSegment>& out) const;

private:
    struct Match {
        std::size_t start, end;
        const AddedToken* token;
    };
    Match longestAt(std::string_view text, std::size_t at) const; // token == nullptr: none

    std::vector<AddedToken> tokens_;
    // Candidates by first byte, longest first, so the first hit at a position is the longest.
    std::array<std::vector<std::uint32_t>, 256> byFirstByte_;
};

} // namespace ponder
