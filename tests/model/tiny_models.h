#pragma once
// Tiny Qwen3 models for the engine/model tests, written with GgufWriter / SafetensorsWriter. Both formats get
// the same logical weights (values derived from each tensor's role name), so a model bound from either must
// give identical bytes role by role. Options break one tensor on purpose for the error-message tests.
#include "formats/tensor_type.h"
#include "model/model_config.h"
#include "model/model_weights.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ponder {
class GgufWriter;
}

namespace ponder::test {

// hidden 64, 2 layers, 4 heads, 2 KV heads, head_dim 32 (not 64 / 4, as in the real models), ffn 128,
// vocab 256, untied. The MoE variant adds 4 experts, 2 per token, expert width 32.
ModelConfig tinyDense();
ModelConfig tinyMoe();

struct TinyOptions {
    TensorType matrixType = TensorType::F32;      // projections and embeddings (norms/router stay F32)
    std::string omit;                             // a tensor (name in the target format) left out
    std::string reshape;                          // a tensor written with `reshapeDims` (ggml order)
    std::vector<std::int64_t> reshapeDims;
    std::string retype;                           // a tensor written as `retypeTo`
    TensorType retypeTo = TensorType::Q8_0;
    bool lmHeadWhenTied = false;                  // HF: also write lm_head.weight for a tied model
    std::optional<std::int64_t> hfVocabOverride;  // HF: config.json vocab_size differing from the tensors
    bool withTokenizer = false;                   // the real Qwen3 tokenizer, template and generation defaults
};

// Deterministic bytes for a tensor role ("blk.0.attn_q.weight", "blk.1.ffn_up_exps.weight[3]").
std::vector<std::uint8_t> roleBytes(const std::string& role, TensorType type, std::int64_t elements);

// The {arch}.* keys for `config` as llama.cpp's converter writes them (u32 / f32 / string).
void setGgufHparams(GgufWriter& writer, const ModelConfig& config);
// config.json as transformers writes it for `config`.
nlohmann::json hfConfigJson(const ModelConfig& config);
// tokenizer.ggml.* from the real tokenizer.json, padded with [PADn] to `vocabSize` entries.
void setGgufTokenizer(GgufWriter& writer, std::int64_t vocabSize);

void writeGgufModel(const std::filesystem::path& file, const ModelConfig& config, const TinyOptions& options = {});
void writeHfModel(const std::filesystem::path& folder, const ModelConfig& config, const TinyOptions& options = {});

} // namespace ponder::test
