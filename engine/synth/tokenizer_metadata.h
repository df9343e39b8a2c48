#pragma once
// Carries the real Qwen3 tokenizer into a GGUF file the way converters do: tokenizer.ggml.* arrays built
// from tokenizer.json (vocabulary padded to the embedding's row count), the chat template, special ids.
#include <cstdint>
#include <filesystem>

namespace ponder {
class GgufWriter;
}

namespace ponder::synth {

// Reads DIR/tokenizer.json and DIR/tokenizer_config.json. Throws ponder::Error naming a missing/bad file.
void writeTokenizerMetadata(GgufWriter& writer, const std::filesystem::path& tokenizerDir, std::int64_t vocabSize);

} // namespace ponder::synth
