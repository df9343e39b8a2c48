// bindHfWeights: transformers' parameter names for Qwen3ForCausalLM / Qwen3MoeForCausalLM checkpoints. Every
// expert is its own tensor (model.layers.L.mlp.experts.E.{gate,up,down}_proj.weight), already one matrix each.
#include "model/model_weights.h"
#include "model/tensor_names.h"
#include "model/weight_schedule.h"

namespace ponder {
namespace {

void bindExpertTensors(const detail::WeightBinder& binder, const ModelConfig& config, std::int64_t layer,
                       LayerWeights& weights)
{
    const std::int64_t hidden = config.hiddenSize, width = config.expertFfnSize;
    weights.experts.resize(static_cast<std::size_t>(config.expertCount));
    for (std::size_t e = 0; e < weights.experts.size(); ++e) {
        const auto index = static_cast<std::int64_t>(e);
        auto& expert = weights.experts[e];
        expert.gate = binder.matrix(hfExpertName(layer, index, ExpertProjection::Gate), {hidden, width});
        expert.up = binder.matrix(hfExpertName(layer, index, ExpertProjection::Up), {hidden, width});
        expert.down = binder.matrix(hfExpertName(layer, index, ExpertProjection::Down), {width, hidden});
    }
}

} // namespace

// With tie_word_embeddings the lm_head is the embedding (transformers ties the two parameters, so an lm_head
// tensor in the checkpoint, if any, is ignored); untied models must ship lm_head.weight.
ModelWeights bindHfWeights(const ModelConfig& config, const TensorLookup& lookup, const std::string& source)
{
    detail::WeightNaming naming;
    naming.embedding = kHfModelTensors.embedding;
    naming.output = kHfModelTensors.output;
    naming.outputNorm = kHfModelTensors.outputNorm;
    naming.vocabKey = "config.json's vocab_size";
    naming.layerTensor = hfLayerTensorName;
    naming.bindExperts = bindExpertTensors;
    return detail::bindQwen3Weights(config, detail::WeightBinder(lookup, source), naming);
}

} // namespace ponder
