#pragma once
// Internal to engine/model: the Qwen3 weight schedule (which tensors a model of a given config has, and their
// shapes), written once and instantiated for each file format's naming. Only the names and the expert layout
// (GGUF stacks experts in one slab per projection; Hugging Face stores one tensor per expert) differ.
#include "model/model_weights.h"
#include "model/tensor_names.h"
#include "model/weight_binder.h"

#include <cstdint>
#include <functional>
#include <string>

namespace ponder::detail {

using ponder::LayerTensor;

struct WeightNaming {
    std::string embedding;
    std::string output;
    std::string outputNorm;
    std::string vocabKey; // how the file names the vocabulary size, for the embedding-rows message
    std::function<std::string(std::int64_t layer, LayerTensor tensor)> layerTensor;
    // Fills layer.experts of a sparse layer.
    std::function<void(const WeightBinder& binder, const ModelConfig& config, std::int64_t layer,
                       LayerWeights& weights)>
        bindExperts;
};

// Tied models use the embedding as the output matrix (whatever the file holds under the output name).
ModelWeights bindQwen3Weights(const ModelConfig& config, const WeightBinder& binder, const WeightNaming& naming);

} // namespace ponder::detail
