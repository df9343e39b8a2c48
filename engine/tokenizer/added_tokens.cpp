#include "tokenizer/added_tokens.h"

#include <algorithm>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace ponder {
namespace {

// Hugging Face decides single_word / lstrip / rstrip with Rust regexes \w and \s, i.e. Unicode
// word characters (Alphabetic, marks, decimal numbers, connector punctuation, joiners) and White_Space.
bool isWordChar(UChar32 c)
{
    const auto category = U_GET_GC_MASK(c);
    return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || (category & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) ||
           u_hasBinaryProperty(c, UCHAR_JOIN_CONTROL);
}

bool isSpace(UChar32 c) { return u_hasBinaryProperty(c, UCHAR_WHITE_SPACE); }

UChar32 lastChar(std::string_view text, std::size_t end, std::size_t* start)
{
    auto i = static_cast<std::int32_t>(end);
    UChar32 c;
    U8_PREV(reinterpret_cast<const std::uint8_t*>(text.data()), 0, i, c);
    *start = static_cast<std::size_t>(i);
    return c;
}

UChar32 charAt(std::string_view text, std::size_t at, std::size_t* next)
{
    auto i = static_cast<std::int32_t>(at);
    UChar32 c;
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(text.data()), i, static_cast<std::int32_t>(text.size()), c);
    *next = static_cast<std::size_t>(i);
    return c;
}

} // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens)
{
    std::erase_if(tokens, [](const AddedToken& t) { return t.content.empty(); });
    tokens_ = std::move(tokens);
    for (std::uint32_t i = 0; i < tokens_.size(); ++i)
        byFirstByte_[static_cast<std::uint8_t>(tokens_[i].content[0])].push_back(i);
    for (auto& bucket : byFirstByte_)
        std::stable_sort(bucket.begin(), bucket.end(), [&](std::uint32_t a, std::uint32_t b) {
            return tokens_[a].content.size() > tokens_[b].content.size();
        });
}

AddedTokenMatcher::Match AddedTokenMatcher::longestAt(std::string_view text, std::size_t at) const
{
    for (std::uint32_t index : byFirstByte_[static_cast<std::uint8_t>(text[at])]) {
        const std::string& content = tokens_[index].content;
        if (text.compare(at, content.size(), content) == 0)
            return {at, at + content.size(), &tokens_[index]};
    }
    return {at, at, nullptr};
}

void AddedTokenMatcher::split(std::string_view text, std::vector<TextSegment>& out) const
{
    std::size_t plainStart = 0; // start of the text not yet emitted
    std::size_t at = 0;
    while (at < text.size()) {
        if (byFirstByte_[static_cast<std::uint8_t>(text[at])].empty()) {
            ++at;
            continue;
        }
        Match match = longestAt(text, at);
        if (!match.token) {
            ++at;
            continue;
        }
        const AddedToken& token = *match.token;
        std::size_t next = 0;
        if (token.singleWord) {
            const bool wordBefore = match.start > 0 && isWordChar(lastChar(text, match.start, &next));
            const bool wordAfter = match.end < text.size() && isWordChar(charAt(text, match.end, &next));
            if (wordBefore || wordAfter) {
                at = match.end; // the text stays plain; like HF, no shorter match inside it is tried
                continue;
            }
        }
        if (token.lstrip) {
            // Only white space not already taken by the previous segment's token.
            while (match.start > plainStart) {
                std::size_t prev = 0;
                if (!isSpace(lastChar(text, match.start, &prev)))
                    break;
                match.start = prev;
            }
        }
        if (token.rstrip) {
            while (match.end < text.size() && isSpace(charAt(text, match.end, &next)))
                match.end = next;
        }
        if (match.start > plainStart)
            out.push_back({text.substr(plainStart, match.start - plainStart), -1});
        out.push_back({text.substr(match.start, match.end - match.start), token.id});
        plainStart = at = match.end;
    }
    if (plainStart < text.size())
        out.push_back({text.substr(plainStart), -1});
}

} // namespace ponder
