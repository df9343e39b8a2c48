#include "model/model_config.h"

#include <algorithm>

namespace ponder {

bool ModelConfig::isSparseLayer(std::int64_t layer) const
{
    if (!isMoe() || expertCount <= 0 || decoderSparseStep <= 0)
        return false;
    if (std::find(mlpOnlyLayers.begin(), mlpOnlyLayers.end(), layer) != mlpOnlyLayers.end())
        return false;
    return (layer + 1) % decoderSparseStep == 0;
}

std::string ModelConfig::architectureName() const
{
    return isMoe() ? "qwen3moe" : "qwen3";
}

} // namespace ponder
