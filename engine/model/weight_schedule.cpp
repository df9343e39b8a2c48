#include "model/weight_schedule.h"

namespace ponder::detail {
namespace {

constexpr std::string_view kNorm = "a norm";

TensorView bindEmbedding(const ModelConfig& config, const WeightBinder& binder, const WeightNaming& naming)
{
    // A vocabulary mismatch gets its own message: the shape alone would not say which side is wrong.
    if (const TensorView* tensor = binder.lookup(naming.embedding);
        tensor && tensor->dims.size() == 2 && tensor->dims[0] == config.hiddenSize &&
        tensor->dims[1] != config.vocabSize)
        binder.fail("tensor " + naming.embedding + " has " + std::to_string(tensor->dims[1]) +
                    " rows (one per token), but " + naming.vocabKey + " is " + std::to_string(config.vocabSize));
    return binder.matrix(naming.embedding, {config.hiddenSize, config.vocabSize});
}

LayerWeights bindLayer(const ModelConfig& config, const WeightBinder& binder, const WeightNaming& naming,
                       std::int64_t layer)
{
    const auto name = [&](LayerTensor tensor) { return naming.layerTensor(layer, tensor); };
    const std::int64_t hidden = config.hiddenSize;
    const std::int64_t qWidth = config.headCount * config.headDim;
    const std::int64_t kvWidth = config.kvHeadCount * config.headDim;

    LayerWeights weights;
    weights.attnNorm = binder.floatTensor(name(LayerTensor::AttnNorm), {hidden}, kNorm);
    weights.q = binder.matrix(name(LayerTensor::Q), {hidden, qWidth});
    weights.k = binder.matrix(name(LayerTensor::K), {hidden, kvWidth});
    weights.v = binder.matrix(name(LayerTensor::V), {hidden, kvWidth});
    weights.o = binder.matrix(name(LayerTensor::O), {qWidth, hidden});
    // QK-norm: one weight of head_dim values per layer, shared by every head.
    weights.qNorm = binder.floatTensor(name(LayerTensor::QNorm), {config.headDim}, kNorm);
    weights.kNorm = binder.floatTensor(name(LayerTensor::KNorm), {config.headDim}, kNorm);
    weights.ffnNorm = binder.floatTensor(name(LayerTensor::FfnNorm), {hidden}, kNorm);

    weights.sparse = config.isSparseLayer(layer);
    if (weights.sparse) {
        weights.router =
            binder.floatTensor(name(LayerTensor::Router), {hidden, config.expertCount}, "the MoE router");
        naming.bindExperts(binder, config, layer, weights);
    } else {
        weights.gate = binder.matrix(name(LayerTensor::Gate), {hidden, config.ffnSize});
        weights.up = binder.matrix(name(LayerTensor::Up), {hidden, config.ffnSize});
        weights.down = binder.matrix(name(LayerTensor::Down), {config.ffnSize, hidden});
    }
    return weights;
}

} // namespace

ModelWeights bindQwen3Weights(const ModelConfig& config, const WeightBinder& binder, const WeightNaming& naming)
{
    ModelWeights weights;
    weights.embedding = bindEmbedding(config, binder, naming);
    weights.output = config.tiedEmbeddings ? weights.embedding
                                           : binder.matrix(naming.output, {config.hiddenSize, config.vocabSize});
    weights.outputNorm = binder.floatTensor(naming.outputNorm, {config.hiddenSize}, kNorm);
    weights.layers.reserve(static_cast<std::size_t>(config.layerCount));
    for (std::int64_t layer = 0; layer < config.layerCount; ++layer)
        weights.layers.push_back(bindLayer(config, binder, naming, layer));
    return weights;
}

} // namespace ponder::detail
