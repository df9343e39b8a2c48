#pragma once
// Synthetic Qwen3 models: real shapes (or tiny test shapes), random weights, the real Qwen3 tokenizer and
// chat template, written as a GGUF file or a Hugging Face folder. Tests and benchmarks run on these because
// no real weights can be downloaded where they run; the files go through the same loaders as users' files.
#include "model/model_config.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

enum class SynthFormat { Gguf, HuggingFace };

// The preset whose weights make decoding emit a known reasoning and answer (synth/scripted_weights.h), for
// trying the app and for end-to-end tests. Each token may occur only once in the script.
inline constexpr const char* kScriptedPreset = "scripted";
struct SynthScript {
    std::string reasoning = "The user greets me, so a short and friendly hello fits best";
    std::string answer = "Hello! I am Ponder's scripted test model: random weights with one fixed reply.";
};

struct SynthOptions {
    std::string preset;                    // see synthPresetNames()
    SynthFormat format = SynthFormat::Gguf;
    std::string type = "f32";              // f32 f16 bf16 q8_0 q4_0 q4_k q6_k q4_k_m (HF: f32 f16 bf16)
    std::optional<std::int64_t> layers;    // cut the depth (benchmarks of big shapes)
    std::uint64_t seed = 1;
    std::filesystem::path out;             // .gguf file, or the folder for HF
    std::filesystem::path tokenizerDir;    // holds tokenizer.json and tokenizer_config.json
    SynthScript script;                    // the scripted preset's text
};

std::vector<std::string> synthPresetNames();
// The shape of a preset (tiny-dense, tiny-dense-untied, tiny-moe, 0.6b ... 235b-a22b; not scripted, whose
// shape follows its script). Throws ponder::Error.
ModelConfig synthPresetConfig(std::string_view preset);

// Writes the model. Throws ponder::Error for bad options or I/O failure (nothing partial is left behind).
void writeSyntheticModel(const SynthOptions& options);

} // namespace ponder
