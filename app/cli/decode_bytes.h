#pragma once
// The weight bytes one decode step reads: the yardstick for decode speed, since decoding a token streams
// (almost) every weight once and is bound by memory bandwidth, not arithmetic.
#include "model/model_config.h"
#include "model/model_weights.h"

#include <cstdint>

namespace ponder::cli {

// Every layer weight, the final norm and the output matrix, as stored (quantised bytes); of the embedding
// only the one row a token looks up; of a MoE layer the router and expertsPerToken experts (an average
// expert's bytes, so mixed expert types still count fairly).
std::uint64_t weightBytesPerDecodedToken(const ModelConfig& config, const ModelWeights& weights);

} // namespace ponder::cli
