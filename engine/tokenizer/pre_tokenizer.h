#pragma once
// The Split pre-tokenizer with behaviour "Isolated": every regex match is a piece and so is every gap
// between matches, in order, so the pieces always concatenate back to the input. The regex is the one
// from tokenizer.json (Oniguruma syntax, see oniguruma_pattern.h), run by PCRE2 in UTF + UCP mode.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

class PreTokenizer {
public:
    // An empty pattern means no splitting (a plain ByteLevel pre-tokenizer with use_regex false).
    // Throws ponder::Error("<source>: ...") when the pattern does not compile.
    PreTokenizer(std::string_view pattern, const std::string& source);
    ~PreTokenizer();
    PreTokenizer(const PreTokenizer&) = delete;
    PreTokenizer& operator=(const PreTokenizer&) = delete;

    // Appends the pieces of `text` (valid UTF-8, checked by the caller) to `pieces`; they view `text`.
    void split(std::string_view text, std::vector<std::string_view>& pieces) const;

private:
    struct Compiled;
    std::unique_ptr<Compiled> compiled_;
    std::string source_;
};

} // namespace ponder
