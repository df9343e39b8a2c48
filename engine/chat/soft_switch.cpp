#include "chat/soft_switch.h"

namespace ponder {
namespace {

// Letters, digits and '_' continue a word (or a path, with '/'); anything else, including the bytes of a
// non-ASCII character such as "。", separates words: Chinese text puts switches right after punctuation.
bool continuesWord(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

} // namespace

std::optional<bool> softSwitch(std::string_view text)
{
    std::optional<bool> mode;
    for (std::size_t at = text.find('/'); at != std::string_view::npos; at = text.find('/', at + 1)) {
        if (at > 0 && (continuesWord(text[at - 1]) || text[at - 1] == '/'))
            continue;
        for (const auto& [word, thinking] : {std::pair{std::string_view("/think"), true},
                                             std::pair{std::string_view("/no_think"), false}}) {
            const std::size_t end = at + word.size();
            if (text.substr(at, word.size()) == word && (end == text.size() || !continuesWord(text[end])))
                mode = thinking;
        }
    }
    return mode;
}

} // namespace ponder
