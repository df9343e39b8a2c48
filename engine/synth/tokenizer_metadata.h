#pragma once
// Carries a Hugging Face tokenizer into a GGUF file the way llama.cpp's converter does: tokenizer.ggml.*
// arrays built from tokenizer.json (vocabulary padded to the embedding's row count with "[PADn]" tokens of
// type UNUSED, added tokens as CONTROL or USER_DEFINED, merges as "a b"), the chat template, special ids.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace ponder {
class GgufWriter;
}

namespace ponder::synth {

// tokenizer.ggml.model/pre/tokens/token_type/merges from a parsed tokenizer.json. Throws ponder::Error
// ("SOURCE: ...") when an id does not fit `vocabSize` or the layout is not a BPE tokenizer.json.
void writeTokenizerArrays(GgufWriter& writer, const nlohmann::json& tokenizerJson, std::int64_t vocabSize,
                          const std::string& source);

// All tokenizer metadata of a Qwen3 GGUF from DIR/tokenizer.json and DIR/tokenizer_config.json.
void writeTokenizerMetadata(GgufWriter& writer, const std::filesystem::path& tokenizerDir, std::int64_t vocabSize);

} // namespace ponder::synth
