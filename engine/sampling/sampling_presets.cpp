// Qwen3's recommended sampling per mode, and how a model's own generation defaults combine with it.
//
// The subtlety: Qwen3's generation_config.json (and the general.sampling.* keys llama.cpp copies from it into
// GGUF files) carries the *thinking* preset (temperature 0.6, top_p 0.95, top_k 20), while the model card asks
// for 0.7 / 0.8 / 20 without thinking. Letting the file override both modes would silently give non-thinking
// chats the thinking values. So the rule is:
//   - thinking: every value the model sets overrides the preset;
//   - non-thinking: a value overrides only where it differs from Qwen's published thinking value. A value equal
//     to it is indistinguishable from Qwen's copied-through thinking preset and says nothing about non-thinking
//     use; a different value is a deliberate choice of whoever published the model (a fine-tune, or a
//     non-thinking-only release such as Qwen3-2507 Instruct, recommended at 0.7 / 0.8 / 20) and applies.
// Values are compared with a tolerance because GGUF stores them as 32-bit floats (0.6f != 0.6).
#include "sampling/sampler.h"
#include "sampling/sampling_checks.h"

#include <cmath>
#include <optional>

namespace ponder {
namespace {

// Qwen's published thinking-mode values (model card), which Qwen3's generation_config.json repeats. Qwen
// publishes no repetition penalty; 1 is "off".
constexpr double kThinkingTemperature = 0.6;
constexpr double kThinkingTopP = 0.95;
constexpr std::int64_t kThinkingTopK = 20;
constexpr double kThinkingMinP = 0.0;
constexpr double kUnsetRepetitionPenalty = 1.0;

SamplingParams thinkingPreset()
{
    SamplingParams params;
    params.temperature = kThinkingTemperature;
    params.topP = kThinkingTopP;
    params.topK = kThinkingTopK;
    params.minP = kThinkingMinP;
    return params;
}

SamplingParams nonThinkingPreset()
{
    SamplingParams params;
    params.temperature = 0.7;
    params.topP = 0.8;
    params.topK = 20;
    params.minP = 0.0;
    return params;
}

bool sameSetting(double a, double b)
{
    return std::abs(a - b) <= 1e-6;
}

template <typename Value>
void applyModelValue(Value& setting, const std::optional<Value>& modelValue, Value qwenThinkingValue, bool thinking)
{
    if (modelValue && (thinking || !sameSetting(static_cast<double>(*modelValue),
                                                static_cast<double>(qwenThinkingValue))))
        setting = *modelValue;
}

} // namespace

SamplingParams recommendedSampling(bool thinking, const GenerationDefaults& modelDefaults)
{
    SamplingParams params = thinking ? thinkingPreset() : nonThinkingPreset();
    applyModelValue(params.temperature, modelDefaults.temperature, kThinkingTemperature, thinking);
    applyModelValue(params.topP, modelDefaults.topP, kThinkingTopP, thinking);
    applyModelValue(params.topK, modelDefaults.topK, kThinkingTopK, thinking);
    applyModelValue(params.minP, modelDefaults.minP, kThinkingMinP, thinking);
    applyModelValue(params.repetitionPenalty, modelDefaults.repetitionPenalty, kUnsetRepetitionPenalty, thinking);
    // The model reader only checks that values are non-negative; a top_p of 1.5 must not reach the sampler.
    detail::checkSamplingParams(params, "the model's generation defaults");
    return params;
}

} // namespace ponder
