#pragma once
// Internal to engine/model: the sampling defaults and stop ids a model ships, from either format.
#include "model/model_file.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ponder {
class GgufFile;
}

namespace ponder::detail {

// generation_config.json (temperature, top_p, top_k, min_p, repetition_penalty, eos_token_id as an id or a
// list); without one, config.json's eos_token_id. Wrong types throw ponder::Error naming the file and field.
GenerationDefaults generationDefaultsFromHf(const std::optional<nlohmann::json>& generationConfig,
                                            const std::string& generationSource, const nlohmann::json& config,
                                            const std::string& configSource);

// llama.cpp's general.sampling.{temp,top_p,top_k,min_p,penalty_repeat} and tokenizer.ggml.eos_token_id /
// eot_token_id.
GenerationDefaults generationDefaultsFromGguf(const GgufFile& gguf, const std::string& source);

// Adds Qwen's end-of-generation tokens <|im_end|> and <|endoftext|> when the tokenizer has them (the chat
// template ends every turn with <|im_end|>; base models end text with <|endoftext|>), so both formats stop on
// the same ids, and checks that every stop id names a row of the embedding.
void completeStopIds(GenerationDefaults& defaults, const Tokenizer& tokenizer, std::int64_t vocabSize,
                     const std::string& source);

} // namespace ponder::detail
