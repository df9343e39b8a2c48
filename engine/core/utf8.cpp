#include "core/utf8.h"

#include <cstdint>

namespace ponder {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the valid sequence starting at `i`, 0 if the bytes there are invalid, or -(bytes seen) when the
// data ends inside a sequence that is valid so far. Follows the Unicode "maximal subpart" rules (Table 3-7).
int sequenceLength(std::string_view s, std::size_t i, std::size_t* invalidLength)
{
    const auto at = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
    const std::uint8_t b0 = at(i);
    *invalidLength = 1;
    if (b0 < 0x80)
        return 1;
    int need;
    std::uint8_t lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 3;
        if (b0 == 0xE0)
            lo = 0xA0;
        if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 4;
        if (b0 == 0xF0)
            lo = 0x90;
        if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (int k = 1; k < need; ++k) {
        if (i + k >= s.size())
            return -k;
        const std::uint8_t b = at(i + k);
        const bool ok = (k == 1) ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
        if (!ok) {
            *invalidLength = static_cast<std::size_t>(k);
            return 0;
        }
    }
    return need;
}

} // namespace

bool isValidUtf8(std::string_view text)
{
    std::size_t i = 0, bad = 0;
    while (i < text.size()) {
        const int n = sequenceLength(text, i, &bad);
        if (n <= 0)
            return false;
        i += static_cast<std::size_t>(n);
    }
    return true;
}

std::size_t completeUtf8Prefix(std::string_view bytes)
{
    std::size_t i = 0, bad = 0;
    while (i < bytes.size()) {
        const int n = sequenceLength(bytes, i, &bad);
        if (n < 0)
            return i; // unfinished tail
        i += n == 0 ? bad : static_cast<std::size_t>(n);
    }
    return i;
}

std::string sanitizeUtf8(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    std::size_t i = 0, bad = 0;
    while (i < bytes.size()) {
        const int n = sequenceLength(bytes, i, &bad);
        if (n > 0) {
            out.append(bytes.substr(i, static_cast<std::size_t>(n)));
            i += static_cast<std::size_t>(n);
        } else {
            out.append(kReplacement);
            i += n == 0 ? bad : bytes.size() - i; // a truncated tail is one maximal subpart
        }
    }
    return out;
}

} // namespace ponder
