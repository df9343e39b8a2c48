#pragma once
// How many positions of KV cache a generation gets. The cache is sized to the need rather than the model's
// full context: a real model's cache for 40k positions takes gigabytes that a short prompt never uses.
#include "chat/chat_format.h"
#include "model/model_file.h"

#include <cstdint>

namespace ponder::cli {

// Tokens of the prompt the session renders for `request` in the given thinking mode.
std::int64_t renderedPromptTokens(const ModelFile& model, ChatRequest request, bool thinking);

// Room for `tokens` (prompt + answer) plus the thinking budget's closing text and a little slack, capped at
// the model's context length.
std::int64_t contextSize(const ModelFile& model, std::int64_t tokens);

} // namespace ponder::cli
