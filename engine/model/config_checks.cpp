#include "model/config_checks.h"

#include "core/error.h"

#include <cmath>
#include <sstream>

namespace ponder::detail {
namespace {

std::string number(double value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

[[noreturn]] void fail(const std::string& source, const std::string& problem)
{
    throw Error(source + ": " + problem);
}

} // namespace

std::int64_t checkRange(std::int64_t value, IntRange range, const std::string& source, std::string_view key)
{
    if (value < range.min || value > range.max)
        fail(source, std::string(key) + " is " + std::to_string(value) + ", expected " +
                         std::to_string(range.min) + ".." + std::to_string(range.max));
    return value;
}

double checkPositive(double value, double max, const std::string& source, std::string_view key)
{
    if (!std::isfinite(value) || value <= 0.0 || value > max)
        fail(source, std::string(key) + " is " + number(value) + ", expected a positive number up to " +
                         number(max));
    return value;
}

void checkConfigRelations(const ModelConfig& config, const ConfigKeys& keys, const std::string& source)
{
    if (config.kvHeadCount > config.headCount || config.headCount % config.kvHeadCount != 0)
        fail(source, std::string(keys.headCount) + " (" + std::to_string(config.headCount) +
                         ") is not a multiple of " + std::string(keys.kvHeadCount) + " (" +
                         std::to_string(config.kvHeadCount) + ")");
    if (config.headDim % 2 != 0)
        fail(source, std::string(keys.headDim) + " is " + std::to_string(config.headDim) +
                         ", expected an even number (rotary embedding rotates pairs of halves)");
    // YaRN stretches the rotary wavelengths by `factor`; below 1 it would compress them, which no release does.
    if (config.ropeScaling.type == "yarn" && config.ropeScaling.factor < 1.0)
        fail(source, std::string(keys.ropeFactor) + " is " + number(config.ropeScaling.factor) +
                         ", expected at least 1 for YaRN");

    if (!config.isMoe())
        return;
    if (config.expertsPerToken > config.expertCount)
        fail(source, std::string(keys.expertsPerToken) + " (" + std::to_string(config.expertsPerToken) +
                         ") is more than " + std::string(keys.expertCount) + " (" +
                         std::to_string(config.expertCount) + ")");
    for (auto layer : config.mlpOnlyLayers)
        if (layer < 0 || layer >= config.layerCount)
            fail(source, std::string(keys.mlpOnlyLayers) + " lists layer " + std::to_string(layer) +
                             ", but the model has layers 0.." + std::to_string(config.layerCount - 1));
    for (std::int64_t layer = 0; layer < config.layerCount; ++layer)
        if (!config.isSparseLayer(layer) && config.ffnSize <= 0)
            fail(source, "layer " + std::to_string(layer) + " is a dense MLP layer but " +
                             std::string(keys.ffnSize) + " is missing");
}

} // namespace ponder::detail
