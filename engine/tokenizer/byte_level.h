#pragma once
// GPT-2's byte-level alphabet. Byte-level BPE vocabularies never contain raw bytes: every byte is first
// mapped to a printable code point (printable ASCII and Latin-1 stay themselves, the other 68 bytes move
// to U+0100..U+0143, so a space becomes 'Ġ' and a newline 'Ċ'), and vocabulary strings are written in
// that alphabet. These helpers map between raw bytes and that form.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ponder {

// The code point that stands for `byte` in byte-level token text.
char32_t byteLevelCodePoint(std::uint8_t byte);

// Raw bytes -> byte-level token text (UTF-8), e.g. " the" -> "Ġthe".
std::string byteLevelEncode(std::string_view bytes);

// Byte-level token text -> raw bytes, e.g. "Ġthe" -> " the"; nullopt when the text is not valid UTF-8
// or holds a code point outside the alphabet (such text cannot have come from bytes).
std::optional<std::string> byteLevelDecode(std::string_view tokenText);

} // namespace ponder
