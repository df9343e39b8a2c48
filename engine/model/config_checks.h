#pragma once
// Internal to engine/model: the bounds and cross-field rules every ModelConfig must satisfy, shared by the GGUF
// and the Hugging Face readers so both reject the same bad files. Each reader checks a value against its
// bounds as it reads it (the message names the key as that file spells it), then calls checkConfigRelations.
#include "model/model_config.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ponder::detail {

// Inclusive integer bounds. The upper bounds sit far above any released Qwen3 (largest: 94 layers, hidden 5120,
// 128 experts, 262144 positions) and exist so a corrupt value such as 2^40 layers fails here with a message
// instead of later as an overflow or an impossible allocation: every product of two bounded sizes (hidden x
// vocab, experts x expert width x hidden) stays far inside int64.
struct IntRange {
    std::int64_t min;
    std::int64_t max;
};

inline constexpr IntRange kHiddenRange{1, 1 << 16};
inline constexpr IntRange kLayerRange{1, 1 << 12};
inline constexpr IntRange kHeadRange{1, 1 << 12};
inline constexpr IntRange kHeadDimRange{2, 1 << 12};
inline constexpr IntRange kFfnRange{1, 1 << 20};
inline constexpr IntRange kVocabRange{1, 1 << 23};
inline constexpr IntRange kExpertRange{1, 1 << 12};
inline constexpr IntRange kContextRange{1, std::int64_t{1} << 26};

// Returns `value` when inside `range`, else throws ponder::Error "SOURCE: KEY is VALUE, expected MIN..MAX".
std::int64_t checkRange(std::int64_t value, IntRange range, const std::string& source, std::string_view key);
// Positive and finite, at most `max`: "SOURCE: KEY is VALUE, expected a positive number up to MAX".
double checkPositive(double value, double max, const std::string& source, std::string_view key);

// How the file names each field, so that relation messages speak the file's language.
struct ConfigKeys {
    std::string_view headCount;
    std::string_view kvHeadCount;
    std::string_view headDim;
    std::string_view ffnSize;
    std::string_view expertCount;
    std::string_view expertsPerToken;
    std::string_view mlpOnlyLayers;
    std::string_view ropeFactor;
};

// Rules between fields: heads divisible by KV heads, even head_dim (NeoX RoPE rotates halves), experts per
// token within the expert count, mlp-only layer indices inside the model, a dense width wherever a layer is
// dense, a YaRN factor of at least 1.
void checkConfigRelations(const ModelConfig& config, const ConfigKeys& keys, const std::string& source);

} // namespace ponder::detail
