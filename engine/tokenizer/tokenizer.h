#pragma once
// Qwen3's byte-level BPE tokenizer, applied exactly as Hugging Face `tokenizers` applies tokenizer.json:
// added tokens are split out first (never BPE'd), the rest is NFC-normalised, split by the pre-tokenizer
// regex, mapped byte -> unicode (GPT-2 byte-level table) and merged by rank. No BOS is added.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

class GgufFile;

struct AddedToken {
    std::int32_t id = 0;
    std::string content;
    bool special = true;
    // tokenizer.json flags, all false for Qwen3: swallow white space before / after the token, match
    // only as a whole word, match in the NFC-normalised text instead of the raw text.
    bool lstrip = false;
    bool rstrip = false;
    bool singleWord = false;
    bool normalized = false;
};

// Everything a tokenizer is built from, whichever file it came from.
struct TokenizerSpec {
    std::vector<std::string> tokens;        // id -> token text in byte-level form ("Ġthe"); may contain gaps ("")
    std::vector<std::string> merges;        // "a b", by rank
    std::vector<AddedToken> addedTokens;    // matched in raw text before BPE
    std::string preTokenizerPattern;        // the Split regex, Oniguruma syntax as in tokenizer.json; "" = none
    bool nfc = true;
};

class Tokenizer {
public:
    // Throw ponder::Error naming the source and the problem.
    static std::unique_ptr<Tokenizer> fromTokenizerJson(const std::filesystem::path& path);
    static std::unique_ptr<Tokenizer> fromTokenizerJsonText(std::string_view json, const std::string& source);
    static std::unique_ptr<Tokenizer> fromGguf(const GgufFile& gguf); // tokenizer.ggml.* (model gpt2, pre qwen2)
    explicit Tokenizer(TokenizerSpec spec, const std::string& source);
    ~Tokenizer();
    Tokenizer(const Tokenizer&) = delete;
    Tokenizer& operator=(const Tokenizer&) = delete;

    // Invalid UTF-8 in `text` is handled as Hugging Face sees it (Python's errors="replace", node's decoder):
    // each maximal invalid subsequence becomes U+FFFD before anything else (sanitizeUtf8).
    std::vector<std::int32_t> encode(std::string_view text) const;
    // Raw bytes of the ids, concatenated (may be invalid UTF-8 if the ids cut a character). Ids without a
    // token (padding, out of range) decode to nothing, as Hugging Face skips ids it does not know.
    std::string decode(std::span<const std::int32_t> ids) const;
    // An added token's content ("<think>") or a vocabulary token in byte-level form ("Ġthe").
    std::optional<std::int32_t> tokenId(std::string_view tokenText) const;
    std::string tokenBytes(std::int32_t id) const; // decoded bytes of one token ("" when it has none)
    std::size_t vocabSize() const;
    const std::vector<AddedToken>& addedTokens() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Turns a stream of ids into text without ever emitting part of a UTF-8 sequence: bytes of an unfinished
// character are held until it completes (or flush() is called at the end of generation).
class StreamingDecoder {
public:
    explicit StreamingDecoder(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {}
    std::string push(std::int32_t id); // text that is complete so far; may be empty
    std::string flush();               // whatever is held back, invalid bytes replaced by U+FFFD
    void reset() { pending_.clear(); }

private:
    const Tokenizer& tokenizer_;
    std::string pending_;
};

} // namespace ponder
