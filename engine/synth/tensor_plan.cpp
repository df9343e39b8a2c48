#include "synth/tensor_plan.h"

#include "model/tensor_names.h"

#include <cmath>

namespace ponder::synth {
namespace {

PlannedTensor make(std::string gguf, std::string hf, WeightRole role, std::int64_t layer,
                   std::vector<std::int64_t> dims)
{
    PlannedTensor t;
    t.ggufName = std::move(gguf);
    t.hfName = std::move(hf);
    t.role = role;
    t.layer = layer;
    t.dims = std::move(dims);
    return t;
}

// A layer tensor under both its names.
PlannedTensor layerTensor(std::int64_t layer, LayerTensor tensor, WeightRole role, std::vector<std::int64_t> dims)
{
    return make(ggufLayerTensorName(layer, tensor), hfLayerTensorName(layer, tensor), role, layer, std::move(dims));
}

std::uint64_t splitmix(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t hashName(const std::string& name)
{
    std::uint64_t h = 1469598103934665603ull; // FNV-1a
    for (unsigned char c : name)
        h = (h ^ c) * 1099511628211ull;
    return h;
}

} // namespace

std::vector<PlannedTensor> planTensors(const ModelConfig& c)
{
    const std::int64_t H = c.hiddenSize, V = c.vocabSize, D = c.headDim;
    std::vector<PlannedTensor> plan;
    const auto& gguf = kGgufModelTensors;
    const auto& hf = kHfModelTensors;
    plan.push_back(make(gguf.embedding, hf.embedding, WeightRole::Embedding, -1, {H, V}));
    for (std::int64_t l = 0; l < c.layerCount; ++l) {
        plan.push_back(layerTensor(l, LayerTensor::AttnNorm, WeightRole::Norm, {H}));
        plan.push_back(layerTensor(l, LayerTensor::Q, WeightRole::Linear, {H, c.headCount * D}));
        plan.push_back(layerTensor(l, LayerTensor::K, WeightRole::Linear, {H, c.kvHeadCount * D}));
        plan.push_back(layerTensor(l, LayerTensor::V, WeightRole::Linear, {H, c.kvHeadCount * D}));
        plan.push_back(layerTensor(l, LayerTensor::O, WeightRole::Linear, {c.headCount * D, H}));
        plan.push_back(layerTensor(l, LayerTensor::QNorm, WeightRole::Norm, {D}));
        plan.push_back(layerTensor(l, LayerTensor::KNorm, WeightRole::Norm, {D}));
        plan.push_back(layerTensor(l, LayerTensor::FfnNorm, WeightRole::Norm, {H}));
        if (c.isSparseLayer(l)) {
            const std::int64_t E = c.expertCount, I = c.expertFfnSize;
            plan.push_back(layerTensor(l, LayerTensor::Router, WeightRole::Router, {H, E}));
            const std::pair<ExpertProjection, std::vector<std::int64_t>> stacks[] = {
                {ExpertProjection::Gate, {H, I, E}}, {ExpertProjection::Up, {H, I, E}}, {ExpertProjection::Down, {I, H, E}}};
            for (const auto& [projection, dims] : stacks) {
                PlannedTensor t = make(ggufExpertStackName(l, projection), "", WeightRole::Experts, l, dims);
                for (std::int64_t e = 0; e < E; ++e)
                    t.hfExpertNames.push_back(hfExpertName(l, e, projection));
                plan.push_back(std::move(t));
            }
        } else {
            const std::int64_t I = c.ffnSize;
            plan.push_back(layerTensor(l, LayerTensor::Gate, WeightRole::Linear, {H, I}));
            plan.push_back(layerTensor(l, LayerTensor::Up, WeightRole::Linear, {H, I}));
            plan.push_back(layerTensor(l, LayerTensor::Down, WeightRole::Linear, {I, H}));
        }
    }
    plan.push_back(make(gguf.outputNorm, hf.outputNorm, WeightRole::Norm, -1, {H}));
    if (!c.tiedEmbeddings)
        plan.push_back(make(gguf.output, hf.output, WeightRole::Output, -1, {H, V}));
    return plan;
}

void fillRows(const PlannedTensor& tensor, std::uint64_t seed, std::int64_t matrix, std::int64_t firstRow,
              std::int64_t rows, float* out)
{
    // Uniform in [-a, a] has std a/sqrt(3). Scales keep every activation near unit size through the layers,
    // and give the lm_head enough spread that greedy decoding wanders instead of repeating one token.
    const double fanIn = static_cast<double>(tensor.rowLength());
    double offset = 0.0, amplitude;
    switch (tensor.role) {
    case WeightRole::Norm: offset = 1.0; amplitude = 0.2; break;
    case WeightRole::Embedding: amplitude = 0.05 * std::sqrt(3.0); break;
    case WeightRole::Output: amplitude = 2.0 * std::sqrt(3.0 / fanIn); break;
    default: amplitude = std::sqrt(3.0 / fanIn); break;
    }
    const std::uint64_t tensorSeed = hashName(tensor.ggufName) ^ (seed * 0xD1B54A32D192ED03ull);
    const std::int64_t n = tensor.rowLength();
    for (std::int64_t r = 0; r < rows; ++r) {
        std::uint64_t state = tensorSeed ^ (static_cast<std::uint64_t>(matrix) << 40) ^
                              static_cast<std::uint64_t>(firstRow + r) * 0x9E3779B97F4A7C15ull;
        float* row = out + r * n;
        for (std::int64_t i = 0; i < n; ++i) {
            const double u = static_cast<double>(splitmix(state) >> 40) * (1.0 / 16777216.0) * 2.0 - 1.0;
            row[i] = static_cast<float>(offset + amplitude * u);
        }
    }
}

} // namespace ponder::synth
