#pragma once
// Qwen3 tensor names in both file formats: llama.cpp's GGUF names (gguf-py constants) and transformers'
// checkpoint names. The weight binding and the synthetic-model writer both use this one table.
#include <cstdint>
#include <string>

namespace ponder {

enum class LayerTensor { AttnNorm, Q, K, V, O, QNorm, KNorm, FfnNorm, Gate, Up, Down, Router };
enum class ExpertProjection { Gate, Up, Down };

struct ModelTensorNames {
    const char* embedding;
    const char* output;
    const char* outputNorm;
};
inline constexpr ModelTensorNames kGgufModelTensors{"token_embd.weight", "output.weight", "output_norm.weight"};
inline constexpr ModelTensorNames kHfModelTensors{"model.embed_tokens.weight", "lm_head.weight", "model.norm.weight"};

std::string ggufLayerTensorName(std::int64_t layer, LayerTensor tensor); // "blk.3.attn_q.weight"
std::string hfLayerTensorName(std::int64_t layer, LayerTensor tensor);   // "model.layers.3.self_attn.q_proj.weight"
// GGUF stacks every expert of a projection in one slab: "blk.3.ffn_gate_exps.weight".
std::string ggufExpertStackName(std::int64_t layer, ExpertProjection projection);
// Hugging Face keeps one tensor per expert: "model.layers.3.mlp.experts.7.gate_proj.weight".
std::string hfExpertName(std::int64_t layer, std::int64_t expert, ExpertProjection projection);

} // namespace ponder
