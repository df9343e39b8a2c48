#pragma once
// tokenizer.json regexes are written for Oniguruma, the engine Hugging Face `tokenizers` runs them with.
// PCRE2 (with UTF and UCP) reads the same syntax, but a few escapes mean something else there:
//   \s  Oniguruma: White_Space (TAB..CR, U+0085, Zs, Zl, Zp).  PCRE2 also takes U+180E.
//   \w  Oniguruma: L, M, N, Pc.                                 PCRE2 10.42: L, N and '_' only.
//   \h  Oniguruma: a hexadecimal digit.                         PCRE2: horizontal white space.
// This rewrites those escapes as explicit classes so PCRE2 matches exactly what Oniguruma matches.
#include <string>
#include <string_view>

namespace ponder {

// Throws ponder::Error("<source>: ...") for an escape that cannot be expressed (\H inside a class).
// \S and \W inside a class keep PCRE2's meaning; they differ from Oniguruma only on U+180E and on
// marks and connector punctuation respectively, and no known tokenizer uses them there.
std::string onigurumaToPcre2(std::string_view pattern, const std::string& source);

} // namespace ponder
