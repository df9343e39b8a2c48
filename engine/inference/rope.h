#pragma once
// RoPE inverse frequencies for a model, with static YaRN when its config asks for it (Hugging Face's
// _compute_yarn_parameters with beta_fast 32, beta_slow 1, attention factor 0.1 ln(factor) + 1,
// original context from the config).
#include "backend/backend.h"
#include "model/model_config.h"

namespace ponder {

RopeParameters ropeParameters(const ModelConfig& config);

} // namespace ponder
