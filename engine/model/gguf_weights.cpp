// bindGgufWeights: llama.cpp's tensor names for qwen3 / qwen3moe (gguf-py constants.py, MODEL_TENSORS). MoE
// layers store each projection of all experts as one slab {in, out, experts}; they are cut into per-expert views.
#include "model/model_weights.h"
#include "model/tensor_names.h"
#include "model/weight_schedule.h"

namespace ponder {
namespace {

void bindStackedExperts(const detail::WeightBinder& binder, const ModelConfig& config, std::int64_t layer,
                        LayerWeights& weights)
{
    const std::int64_t hidden = config.hiddenSize, width = config.expertFfnSize, experts = config.expertCount;
    const auto gates = detail::splitExperts(binder.matrix(ggufExpertStackName(layer, ExpertProjection::Gate),
                                                          {hidden, width, experts}));
    const auto ups = detail::splitExperts(binder.matrix(ggufExpertStackName(layer, ExpertProjection::Up),
                                                        {hidden, width, experts}));
    const auto downs = detail::splitExperts(binder.matrix(ggufExpertStackName(layer, ExpertProjection::Down),
                                                          {width, hidden, experts}));
    weights.experts.resize(static_cast<std::size_t>(experts));
    for (std::size_t e = 0; e < weights.experts.size(); ++e)
        weights.experts[e] = {gates[e], ups[e], downs[e]};
}

} // namespace

ModelWeights bindGgufWeights(const ModelConfig& config, const TensorLookup& lookup, const std::string& source)
{
    detail::WeightNaming naming;
    naming.embedding = kGgufModelTensors.embedding;
    naming.output = kGgufModelTensors.output;
    naming.outputNorm = kGgufModelTensors.outputNorm;
    naming.vocabKey = "the model's vocabulary size";
    naming.layerTensor = ggufLayerTensorName;
    naming.bindExperts = bindStackedExperts;
    return detail::bindQwen3Weights(config, detail::WeightBinder(lookup, source), naming);
}

} // namespace ponder
