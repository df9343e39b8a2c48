// bindHfWeights: transformers' parameter names for Qwen3ForCausalLM / Qwen3MoeForCausalLM checkpoints. Every
// expert is its own tensor (model.layers.L.mlp.experts.E.{gate,up,down}_proj.weight), already one matrix each.
#include "model/model_weights.h"
#include "model/weight_schedule.h"

namespace ponder {
namespace {

using detail::LayerTensor;

std::string_view hfSuffix(LayerTensor tensor)
{
    switch (tensor) {
    case LayerTensor::AttnNorm: return "input_layernorm.weight";
    case LayerTensor::Q: return "self_attn.q_proj.weight";
    case LayerTensor::K: return "self_attn.k_proj.weight";
    case LayerTensor::V: return "self_attn.v_proj.weight";
    case LayerTensor::O: return "self_attn.o_proj.weight";
    case LayerTensor::QNorm: return "self_attn.q_norm.weight";
    case LayerTensor::KNorm: return "self_attn.k_norm.weight";
    case LayerTensor::FfnNorm: return "post_attention_layernorm.weight";
    case LayerTensor::Gate: return "mlp.gate_proj.weight";
    case LayerTensor::Up: return "mlp.up_proj.weight";
    case LayerTensor::Down: return "mlp.down_proj.weight";
    case LayerTensor::Router: return "mlp.gate.weight";
    }
    return {};
}

std::string layerName(std::int64_t layer, std::string_view suffix)
{
    return "model.layers." + std::to_string(layer) + "." + std::string(suffix);
}

void bindExpertTensors(const detail::WeightBinder& binder, const ModelConfig& config, std::int64_t layer,
                       LayerWeights& weights)
{
    const std::int64_t hidden = config.hiddenSize, width = config.expertFfnSize;
    weights.experts.resize(static_cast<std::size_t>(config.expertCount));
    for (std::size_t e = 0; e < weights.experts.size(); ++e) {
        const std::string prefix = "mlp.experts." + std::to_string(e) + ".";
        auto& expert = weights.experts[e];
        expert.gate = binder.matrix(layerName(layer, prefix + "gate_proj.weight"), {hidden, width});
        expert.up = binder.matrix(layerName(layer, prefix + "up_proj.weight"), {hidden, width});
        expert.down = binder.matrix(layerName(layer, prefix + "down_proj.weight"), {width, hidden});
    }
}

} // namespace

// With tie_word_embeddings the lm_head is the embedding (transformers ties the two parameters, so an lm_head
// tensor in the checkpoint, if any, is ignored); untied models must ship lm_head.weight.
ModelWeights bindHfWeights(const ModelConfig& config, const TensorLookup& lookup, const std::string& source)
{
    detail::WeightNaming naming;
    naming.embedding = "model.embed_tokens.weight";
    naming.output = "lm_head.weight";
    naming.outputNorm = "model.norm.weight";
    naming.vocabKey = "config.json's vocab_size";
    naming.layerTensor = [](std::int64_t layer, LayerTensor tensor) { return layerName(layer, hfSuffix(tensor)); };
    naming.bindExperts = bindExpertTensors;
    return detail::bindQwen3Weights(config, detail::WeightBinder(lookup, source), naming);
}

} // namespace ponder
