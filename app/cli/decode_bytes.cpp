#include "decode_bytes.h"

namespace ponder::cli {
namespace {

std::uint64_t bytesOf(const TensorView& t) { return t.data.size(); }

std::uint64_t layerBytes(const ModelConfig& config, const LayerWeights& layer)
{
    std::uint64_t bytes = 0;
    for (const TensorView* t : {&layer.attnNorm, &layer.q, &layer.k, &layer.v, &layer.o, &layer.qNorm,
                                &layer.kNorm, &layer.ffnNorm})
        bytes += bytesOf(*t);
    if (!layer.sparse)
        return bytes + bytesOf(layer.gate) + bytesOf(layer.up) + bytesOf(layer.down);
    std::uint64_t allExperts = 0;
    for (const ExpertWeights& e : layer.experts)
        allExperts += bytesOf(e.gate) + bytesOf(e.up) + bytesOf(e.down);
    const auto count = static_cast<std::uint64_t>(layer.experts.size());
    const auto used = static_cast<std::uint64_t>(config.expertsPerToken);
    return bytes + bytesOf(layer.router) + (count == 0 ? 0 : allExperts * used / count);
}

} // namespace

std::uint64_t weightBytesPerDecodedToken(const ModelConfig& config, const ModelWeights& weights)
{
    std::uint64_t bytes = bytesOf(weights.outputNorm) + bytesOf(weights.output);
    for (const LayerWeights& layer : weights.layers)
        bytes += layerBytes(config, layer);
    const std::int64_t rows = weights.embedding.rowCount();
    if (rows > 0)
        bytes += bytesOf(weights.embedding) / static_cast<std::uint64_t>(rows);
    return bytes;
}

} // namespace ponder::cli
