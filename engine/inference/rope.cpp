// RoPE inverse frequencies as Hugging Face computes them (modeling_rope_utils: the default rope and
// _compute_yarn_parameters). transformers builds these tensors in fp32, so every step below rounds to float
// where a torch fp32 tensor would; the scalar quantities (correction range, attention factor) are Python
// floats and stay double. Matching the rounding keeps our angles within an ulp of transformers' at any
// position, which matters at long contexts where pos * inv_freq is large.
#include "inference/rope.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace ponder {
namespace {

// YaRN's fixed hyper-parameters (transformers' defaults; Qwen3 configs never override them).
constexpr double kBetaFast = 32.0;
constexpr double kBetaSlow = 1.0;

// base ** (2i / dim) for i < dim / 2, as `base ** (torch.arange(0, dim, 2).float() / dim)`: the exponent is
// an fp32 division and the power is rounded to fp32.
std::vector<float> positionFrequencies(double base, std::int64_t dim)
{
    const float baseF = static_cast<float>(base);
    std::vector<float> powers(static_cast<std::size_t>(dim / 2));
    for (std::int64_t i = 0; i < dim / 2; ++i) {
        const float exponent = static_cast<float>(2 * i) / static_cast<float>(dim);
        powers[static_cast<std::size_t>(i)] =
            static_cast<float>(std::pow(static_cast<double>(baseF), static_cast<double>(exponent)));
    }
    return powers;
}

// The (fractional) dimension index whose wavelength completes `rotations` turns over `originalContext`
// positions: dim * ln(L / (2 pi r)) / (2 ln base).
double correctionDimension(double rotations, std::int64_t dim, double base, double originalContext)
{
    return static_cast<double>(dim) * std::log(originalContext / (rotations * 2.0 * std::numbers::pi)) /
           (2.0 * std::log(base));
}

RopeParameters yarn(const ModelConfig& config)
{
    const std::int64_t dim = config.headDim;
    const double base = config.ropeTheta;
    const double factor = config.ropeScaling.factor;
    const double original = static_cast<double>(config.ropeScaling.originalContext);
    if (!(factor > 0.0) || !std::isfinite(factor))
        throw Error("YaRN rope scaling needs a positive factor, not " + std::to_string(factor));
    if (original <= 0.0)
        throw Error("YaRN rope scaling needs a positive original context length");

    // Low frequencies (beyond `high`) are interpolated by `factor`, high ones (below `low`) kept as they are,
    // with a linear ramp between: find_correction_range with truncation, clamped to valid indices.
    double low = std::floor(correctionDimension(kBetaFast, dim, base, original));
    double high = std::ceil(correctionDimension(kBetaSlow, dim, base, original));
    low = std::max(low, 0.0);
    high = std::min(high, static_cast<double>(dim - 1));
    if (low == high)
        high += 0.001; // linear_ramp_factor's guard against a division by zero

    const float factorF = static_cast<float>(factor);
    const float lowF = static_cast<float>(low);
    const float spanF = static_cast<float>(high - low); // a Python float, then an fp32 scalar
    const std::vector<float> powers = positionFrequencies(base, dim);
    RopeParameters rope;
    rope.inverseFrequencies.resize(powers.size());
    for (std::size_t i = 0; i < powers.size(); ++i) {
        const float extrapolated = 1.0f / powers[i];
        const float interpolated = 1.0f / (factorF * powers[i]);
        const float ramp = std::clamp((static_cast<float>(i) - lowF) / spanF, 0.0f, 1.0f);
        const float extrapolationFactor = 1.0f - ramp;
        // transformers' exact expression; (1 - (1 - ramp)) is not always ramp in fp32.
        rope.inverseFrequencies[i] =
            interpolated * (1.0f - extrapolationFactor) + extrapolated * extrapolationFactor;
    }
    // get_mscale: stretched contexts flatten attention; scaling cos and sin by this restores its sharpness.
    rope.attentionFactor = factor <= 1.0 ? 1.0f : static_cast<float>(0.1 * std::log(factor) + 1.0);
    return rope;
}

} // namespace

RopeParameters ropeParameters(const ModelConfig& config)
{
    if (config.headDim <= 0 || config.headDim % 2 != 0)
        throw Error("rotary embedding needs an even head dimension, not " + std::to_string(config.headDim));
    if (!(config.ropeTheta > 1.0) || !std::isfinite(config.ropeTheta))
        throw Error("rotary embedding needs a base (rope theta) above 1, not " + std::to_string(config.ropeTheta));
    if (config.ropeScaling.type == "yarn")
        return yarn(config);
    if (!config.ropeScaling.type.empty())
        throw Error("unsupported rope scaling " + config.ropeScaling.type + " (Ponder supports yarn)");

    RopeParameters rope;
    for (float power : positionFrequencies(config.ropeTheta, config.headDim))
        rope.inverseFrequencies.push_back(1.0f / power);
    return rope;
}

} // namespace ponder
