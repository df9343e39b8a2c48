#pragma once
// Pre-tokenizer regexes (Oniguruma syntax, as tokenizer.json writes them) for files that name a
// pre-tokenizer instead of carrying its regex.
#include <string_view>

namespace ponder {

// GPT-2's regex: what a plain ByteLevel pre-tokenizer with use_regex true splits by.
inline constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// Qwen2 / Qwen2.5 / Qwen3: the Split regex of their tokenizer.json, and what GGUF's
// tokenizer.ggml.pre = "qwen2" stands for. Digits are split one by one.
inline constexpr std::string_view kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

} // namespace ponder
