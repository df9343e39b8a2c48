// bindGgufWeights: llama.cpp's tensor names for qwen3 / qwen3moe (gguf-py constants.py, MODEL_TENSORS). MoE
// layers store each projection of all experts as one slab {in, out, experts}; they are cut into per-expert views.
#include "model/model_weights.h"
#include "model/weight_schedule.h"

namespace ponder {
namespace {

using detail::LayerTensor;

std::string_view ggufSuffix(LayerTensor tensor)
{
    switch (tensor) {
    case LayerTensor::AttnNorm: return "attn_norm.weight";
    case LayerTensor::Q: return "attn_q.weight";
    case LayerTensor::K: return "attn_k.weight";
    case LayerTensor::V: return "attn_v.weight";
    case LayerTensor::O: return "attn_output.weight";
    case LayerTensor::QNorm: return "attn_q_norm.weight";
    case LayerTensor::KNorm: return "attn_k_norm.weight";
    case LayerTensor::FfnNorm: return "ffn_norm.weight";
    case LayerTensor::Gate: return "ffn_gate.weight";
    case LayerTensor::Up: return "ffn_up.weight";
    case LayerTensor::Down: return "ffn_down.weight";
    case LayerTensor::Router: return "ffn_gate_inp.weight";
    }
    return {};
}

std::string blockName(std::int64_t layer, std::string_view suffix)
{
    return "blk." + std::to_string(layer) + "." + std::string(suffix);
}

void bindStackedExperts(const detail::WeightBinder& binder, const ModelConfig& config, std::int64_t layer,
                        LayerWeights& weights)
{
    const std::int64_t hidden = config.hiddenSize, width = config.expertFfnSize, experts = config.expertCount;
    const auto gates = detail::splitExperts(binder.matrix(blockName(layer, "ffn_gate_exps.weight"),
                                                          {hidden, width, experts}));
    const auto ups = detail::splitExperts(binder.matrix(blockName(layer, "ffn_up_exps.weight"),
                                                        {hidden, width, experts}));
    const auto downs = detail::splitExperts(binder.matrix(blockName(layer, "ffn_down_exps.weight"),
                                                          {width, hidden, experts}));
    weights.experts.resize(static_cast<std::size_t>(experts));
    for (std::size_t e = 0; e < weights.experts.size(); ++e)
        weights.experts[e] = {gates[e], ups[e], downs[e]};
}

} // namespace

ModelWeights bindGgufWeights(const ModelConfig& config, const TensorLookup& lookup, const std::string& source)
{
    detail::WeightNaming naming;
    naming.embedding = "token_embd.weight";
    naming.output = "output.weight";
    naming.outputNorm = "output_norm.weight";
    naming.vocabKey = "the model's vocabulary size";
    naming.layerTensor = [](std::int64_t layer, LayerTensor tensor) { return blockName(layer, ggufSuffix(tensor)); };
    naming.bindExperts = bindStackedExperts;
    return detail::bindQwen3Weights(config, detail::WeightBinder(lookup, source), naming);
}

} // namespace ponder
