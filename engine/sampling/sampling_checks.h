#pragma once
// Range checks for SamplingParams, shared by the Sampler (parameters from the app or the user) and
// recommendedSampling (parameters from the model's generation defaults).
#include "sampling/sampler.h"

#include <string>

namespace ponder::detail {

// Throws ponder::Error "<source>: <parameter> is <value>; it must be ..." for the first parameter out of range.
void checkSamplingParams(const SamplingParams& params, const std::string& source);

} // namespace ponder::detail
