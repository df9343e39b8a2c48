#include "tokenizer/oniguruma_pattern.h"

#include "core/error.h"

namespace ponder {
namespace {

// Class bodies (usable inside [...]) for the Oniguruma meaning of the escapes.
constexpr std::string_view kSpaceBody = "\\t-\\r\\x{85}\\p{Z}";
constexpr std::string_view kWordBody = "\\p{L}\\p{M}\\p{N}\\p{Pc}";
constexpr std::string_view kHexBody = "0-9A-Fa-f";

// Appends the PCRE2 form of escape `\<letter>`; false when the escape needs no rewriting.
bool rewriteEscape(char letter, bool inClass, std::string& out, const std::string& source)
{
    std::string_view body;
    bool negated = false;
    switch (letter) {
    case 's': body = kSpaceBody; break;
    case 'S': body = kSpaceBody; negated = true; break;
    case 'w': body = kWordBody; break;
    case 'W': body = kWordBody; negated = true; break;
    case 'h': body = kHexBody; break;
    case 'H': body = kHexBody; negated = true; break;
    default: return false;
    }
    if (inClass) {
        if (!negated) {
            out.append(body);
            return true;
        }
        if (letter == 'H')
            throw Error(source + ": unsupported tokenizer: pre-tokenizer regex uses \\H inside a character class");
        return false; // see the header: \S and \W inside a class keep PCRE2's meaning
    }
    out.append(negated ? "[^" : "[");
    out.append(body);
    out.push_back(']');
    return true;
}

} // namespace

std::string onigurumaToPcre2(std::string_view pattern, const std::string& source)
{
    std::string out;
    out.reserve(pattern.size() + 32);
    bool inClass = false;
    std::size_t i = 0;
    while (i < pattern.size()) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char next = pattern[i + 1];
            if (next == 'Q') { // \Q...\E is literal text: copy it untouched
                const std::size_t end = pattern.find("\\E", i + 2);
                const std::size_t stop = end == std::string_view::npos ? pattern.size() : end + 2;
                out.append(pattern.substr(i, stop - i));
                i = stop;
                continue;
            }
            if (!rewriteEscape(next, inClass, out, source)) {
                out.push_back(c);
                out.push_back(next);
            }
            i += 2;
            continue;
        }
        if (!inClass && c == '[') {
            inClass = true;
            out.push_back(c);
            ++i;
            if (i < pattern.size() && pattern[i] == '^')
                out.push_back(pattern[i++]);
            if (i < pattern.size() && pattern[i] == ']') // a leading ']' is a literal
                out.push_back(pattern[i++]);
            continue;
        }
        if (inClass && c == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') { // [:alpha:]
            const std::size_t end = pattern.find(":]", i + 2);
            if (end != std::string_view::npos) {
                out.append(pattern.substr(i, end + 2 - i));
                i = end + 2;
                continue;
            }
        }
        if (inClass && c == ']')
            inClass = false;
        out.push_back(c);
        ++i;
    }
    return out;
}

} // namespace ponder
