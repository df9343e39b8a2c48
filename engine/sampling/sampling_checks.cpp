#include "sampling/sampling_checks.h"

#include "core/error.h"

#include <cmath>
#include <sstream>

namespace ponder::detail {
namespace {

template <typename Value>
[[noreturn]] void reject(const std::string& source, const char* parameter, Value value, const char* rule)
{
    std::ostringstream message;
    message << source << ": " << parameter << " is " << value << "; it must be " << rule;
    throw Error(message.str());
}

} // namespace

void checkSamplingParams(const SamplingParams& p, const std::string& source)
{
    // A temperature of 0 means greedy decoding, as in OpenAI-style APIs and llama.cpp.
    if (!std::isfinite(p.temperature) || p.temperature < 0.0)
        reject(source, "temperature", p.temperature, "a finite number >= 0 (0 = greedy)");
    if (p.topK < 0)
        reject(source, "topK", p.topK, "an integer >= 0 (0 = off)");
    // top-p 0 would keep nothing; Hugging Face's TopPLogitsWarper rejects it as well.
    if (!(p.topP > 0.0 && p.topP <= 1.0))
        reject(source, "topP", p.topP, "in (0, 1] (1 = off)");
    if (!(p.minP >= 0.0 && p.minP <= 1.0))
        reject(source, "minP", p.minP, "in [0, 1] (0 = off)");
    // The range OpenAI documents for these penalties and vLLM enforces.
    if (!(p.presencePenalty >= -2.0 && p.presencePenalty <= 2.0))
        reject(source, "presencePenalty", p.presencePenalty, "in [-2, 2] (0 = off)");
    if (!(p.frequencyPenalty >= -2.0 && p.frequencyPenalty <= 2.0))
        reject(source, "frequencyPenalty", p.frequencyPenalty, "in [-2, 2] (0 = off)");
    // The CTRL penalty divides positive logits by it, so it must be strictly positive (as Hugging Face requires).
    if (!std::isfinite(p.repetitionPenalty) || p.repetitionPenalty <= 0.0)
        reject(source, "repetitionPenalty", p.repetitionPenalty, "a finite number > 0 (1 = off)");
}

} // namespace ponder::detail
