#pragma once
// A Hugging Face model folder: config.json, model.safetensors or model.safetensors.index.json + shards,
// tokenizer.json, tokenizer_config.json (chat template), generation_config.json (optional).
#include "safetensors/safetensors.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ponder {

class HfFolder {
public:
    // Throws ponder::Error naming the folder/file and the problem (missing config.json, shard listed in the
    // index but absent, tensor listed in the index but not in its shard, malformed JSON...).
    static std::unique_ptr<HfFolder> open(const std::filesystem::path& folder);

    const std::filesystem::path& path() const { return folder_; }
    const nlohmann::json& config() const { return config_; }
    const std::optional<nlohmann::json>& generationConfig() const { return generationConfig_; }
    const std::optional<nlohmann::json>& tokenizerConfig() const { return tokenizerConfig_; }
    std::filesystem::path tokenizerJsonPath() const { return folder_ / "tokenizer.json"; }

    const std::vector<TensorView>& tensors() const { return tensors_; } // all shards, in name order
    const TensorView* tensor(std::string_view name) const;
    std::uint64_t weightFileBytes() const; // sum of the safetensors files' sizes

private:
    std::filesystem::path folder_;
    nlohmann::json config_;
    std::optional<nlohmann::json> generationConfig_;
    std::optional<nlohmann::json> tokenizerConfig_;
    std::vector<std::unique_ptr<SafetensorsFile>> shards_;
    std::vector<TensorView> tensors_;
    std::map<std::string, std::size_t, std::less<>> index_;
};

// Reads a JSON file, throwing ponder::Error "PATH: invalid JSON: ..." on failure.
nlohmann::json readJsonFile(const std::filesystem::path& path);

} // namespace ponder
