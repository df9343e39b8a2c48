#include "tokenizer/byte_level.h"

#include <array>

namespace ponder {
namespace {

// Bytes that GPT-2 keeps as themselves: '!'..'~', '¡'..'¬', '®'..'ÿ'. Every other byte b takes the
// next free code point from U+0100 on, in increasing order of b.
constexpr bool keepsItself(unsigned b) { return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE; }

struct Tables {
    std::array<char32_t, 256> toCodePoint{};
    std::array<std::int16_t, 0x144> toByte{}; // code point -> byte, -1 where none
    Tables()
    {
        toByte.fill(-1);
        char32_t next = 0x100;
        for (unsigned b = 0; b < 256; ++b) {
            const char32_t cp = keepsItself(b) ? static_cast<char32_t>(b) : next++;
            toCodePoint[b] = cp;
            toByte[cp] = static_cast<std::int16_t>(b);
        }
    }
};

const Tables& tables()
{
    static const Tables t;
    return t;
}

void appendUtf8(std::string& out, char32_t cp) // only U+0000..U+07FF occur in the alphabet
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace

char32_t byteLevelCodePoint(std::uint8_t byte) { return tables().toCodePoint[byte]; }

std::string byteLevelEncode(std::string_view bytes)
{
    const auto& t = tables();
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes)
        appendUtf8(out, t.toCodePoint[static_cast<std::uint8_t>(c)]);
    return out;
}

std::optional<std::string> byteLevelDecode(std::string_view text)
{
    const auto& t = tables();
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto b0 = static_cast<std::uint8_t>(text[i]);
        char32_t cp;
        if (b0 < 0x80) {
            cp = b0;
            i += 1;
        } else if (b0 >= 0xC2 && b0 <= 0xDF && i + 1 < text.size() &&
                   (static_cast<std::uint8_t>(text[i + 1]) & 0xC0) == 0x80) {
            cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | (static_cast<std::uint8_t>(text[i + 1]) & 0x3F);
            i += 2;
        } else {
            return std::nullopt; // 3- and 4-byte characters are outside the alphabet (all below U+0144)
        }
        if (cp >= t.toByte.size() || t.toByte[cp] < 0)
            return std::nullopt;
        out.push_back(static_cast<char>(t.toByte[cp]));
    }
    return out;
}

} // namespace ponder
