#pragma once
// The few Python str operations the Qwen3 chat template calls on message text: lstrip/rstrip/strip with one
// character, and split(sep)[0] / split(sep)[-1]. Keeping them under their Python names lets formatChat follow
// the template's expressions one for one, which is what keeps the output byte-identical.
#include <string_view>

namespace ponder::py {

// s.lstrip(c)
inline std::string_view lstrip(std::string_view s, char c)
{
    while (!s.empty() && s.front() == c)
        s.remove_prefix(1);
    return s;
}

// s.rstrip(c)
inline std::string_view rstrip(std::string_view s, char c)
{
    while (!s.empty() && s.back() == c)
        s.remove_suffix(1);
    return s;
}

// s.strip(c)
inline std::string_view strip(std::string_view s, char c) { return rstrip(lstrip(s, c), c); }

// s.split(sep)[0]: the text before the first `sep`, or all of `s` when there is none.
inline std::string_view splitFirst(std::string_view s, std::string_view sep)
{
    const auto at = s.find(sep);
    return at == std::string_view::npos ? s : s.substr(0, at);
}

// s.split(sep)[-1]: the text after the last `sep`, or all of `s` when there is none. Python finds separators
// left to right without overlap, so this does too (rfind would differ for self-overlapping separators).
inline std::string_view splitLast(std::string_view s, std::string_view sep)
{
    if (sep.empty()) // Python raises ValueError here; callers only pass fixed tags
        return s;
    std::size_t pieceStart = 0;
    for (auto at = s.find(sep); at != std::string_view::npos; at = s.find(sep, at + sep.size()))
        pieceStart = at + sep.size();
    return s.substr(pieceStart);
}

} // namespace ponder::py
