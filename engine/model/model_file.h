#pragma once
// An opened Qwen3 model, from a .gguf file or a Hugging Face folder: its description, weights (viewed in
// place), tokenizer, chat template and generation defaults. This is what the rest of the engine and the app
// get from a path; the format-specific readers stay behind it.
#include "chat/thinking_support.h"
#include "model/model_config.h"
#include "model/model_weights.h"
#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ponder {

enum class ModelFormat { Gguf, HuggingFace };

// Sampling defaults and stop ids a model ships (HF generation_config.json); all optional.
struct GenerationDefaults {
    std::optional<double> temperature, topP, minP, repetitionPenalty;
    std::optional<std::int64_t> topK;
    std::vector<std::int32_t> eosTokenIds;
};

struct TensorTypeStats {
    std::int64_t tensors = 0;
    std::uint64_t bytes = 0;
    std::int64_t elements = 0;
};

class ModelFile {
public:
    // Opens PATH (a .gguf file or a folder with config.json). Throws ponder::Error naming the file and problem.
    static std::unique_ptr<ModelFile> open(const std::filesystem::path& path);
    virtual ~ModelFile() = default;

    ModelFormat format() const { return format_; }
    const std::filesystem::path& path() const { return path_; }
    const ModelConfig& config() const { return config_; }
    const ModelWeights& weights() const { return weights_; }
    const Tokenizer& tokenizer() const { return *tokenizer_; }
    const std::string& chatTemplate() const { return chatTemplate_; }
    ThinkingSupport thinking() const { return thinking_; }
    const GenerationDefaults& generationDefaults() const { return generation_; }
    const std::string& modelName() const { return name_; } // general.name, or the folder/file stem

    std::uint64_t fileBytes() const { return fileBytes_; }
    std::int64_t parameterCount() const; // elements of every tensor in the file
    std::map<TensorType, TensorTypeStats> typeMix() const;
    virtual const std::vector<TensorView>& tensors() const = 0;

protected:
    ModelFile() = default;

    ModelFormat format_ = ModelFormat::Gguf;
    std::filesystem::path path_;
    std::string name_;
    ModelConfig config_;
    ModelWeights weights_;
    std::unique_ptr<Tokenizer> tokenizer_;
    std::string chatTemplate_;
    ThinkingSupport thinking_ = ThinkingSupport::None;
    GenerationDefaults generation_;
    std::uint64_t fileBytes_ = 0;
};

} // namespace ponder
