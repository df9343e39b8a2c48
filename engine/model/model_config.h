#pragma once
// The one description of a Qwen3 model, read from a GGUF file or a Hugging Face config.json. Every shape
// comes from the file; nothing is derived from a model name.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ponder {

class GgufFile;

enum class Architecture { Qwen3Dense, Qwen3Moe };

struct RopeScaling {
    std::string type;              // "" (none) or "yarn"
    double factor = 1.0;
    std::int64_t originalContext = 0; // original_max_position_embeddings
};

struct ModelConfig {
    Architecture architecture = Architecture::Qwen3Dense;
    std::int64_t hiddenSize = 0;
    std::int64_t layerCount = 0;
    std::int64_t headCount = 0;
    std::int64_t kvHeadCount = 0;
    std::int64_t headDim = 0;      // read from the file: 128 in Qwen3 and not hiddenSize / headCount
    std::int64_t ffnSize = 0;      // dense MLP width (written for MoE too, used only by mlp-only layers)
    std::int64_t vocabSize = 0;    // from the embedding tensor's shape when known
    std::int64_t expertCount = 0;  // 0 for dense
    std::int64_t expertsPerToken = 0;
    std::int64_t expertFfnSize = 0;
    bool normTopkProb = false;
    std::int64_t decoderSparseStep = 1;
    std::vector<std::int64_t> mlpOnlyLayers;
    double ropeTheta = 1e6;
    RopeScaling ropeScaling;
    double rmsEpsilon = 1e-6;
    std::int64_t contextLength = 0;
    bool tiedEmbeddings = false;

    bool isMoe() const { return architecture == Architecture::Qwen3Moe; }
    // Hugging Face's rule: sparse iff not mlp-only, experts > 0 and (layer + 1) % decoder_sparse_step == 0.
    bool isSparseLayer(std::int64_t layer) const;
    std::string architectureName() const; // "qwen3" / "qwen3moe"
};

// Throw ponder::Error "SOURCE: unsupported architecture X" for anything but qwen3/qwen3moe, and name any
// missing or out-of-range field. `source` prefixes messages (the file or folder path).
// GGUF: vocabSize and tiedEmbeddings come from the token_embd / output tensors.
ModelConfig configFromGguf(const GgufFile& gguf, const std::string& source);
// HF: vocabSize from config.json's vocab_size (checked against the embedding later).
ModelConfig configFromHfConfig(const nlohmann::json& config, const std::string& source);

} // namespace ponder
