#pragma once
// UTF-8 checks shared by the parsers (metadata must be valid text) and the streaming decoder (never emit
// half a character).
#include <cstddef>
#include <string>
#include <string_view>

namespace ponder {

bool isValidUtf8(std::string_view text);

// Length of the longest prefix of `bytes` that does not end inside an unfinished (but so far valid)
// multi-byte sequence. Invalid bytes count as complete: they will never become valid by waiting.
std::size_t completeUtf8Prefix(std::string_view bytes);

// Replaces every maximal invalid subsequence with U+FFFD, as Rust's String::from_utf8_lossy (and so
// Hugging Face tokenizers) does.
std::string sanitizeUtf8(std::string_view bytes);

} // namespace ponder
