#pragma once
// The sampling flags shared by `run` and `chat`: --greedy | --temp --top-k --top-p --min-p
// --presence-penalty --seed. They override Qwen3's recommended preset field by field; which preset that is
// depends on the thinking mode, which `chat` can switch between turns, so the flags are kept as overrides
// and resolved per generation.
#include "cli_args.h"
#include "model/model_file.h"
#include "sampling/sampler.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace ponder::cli {

struct SamplingOverrides {
    bool greedy = false;
    std::optional<double> temperature, topP, minP, presencePenalty;
    std::optional<std::int64_t> topK;
    std::optional<std::uint64_t> seed;

    bool any() const { return greedy || temperature || topP || minP || presencePenalty || topK || seed; }
};

// Adds the sampling options to a command's option lists (for CliArgs).
void addSamplingOptions(std::set<std::string>& valueOptions, std::set<std::string>& flags);
// Reads and range-checks them; UsageError for a bad value or --greedy combined with a sampling value.
SamplingOverrides samplingOverrides(const CliArgs& cli);

// The preset for the mode with the overrides on top; nullopt when there are none, so the generation session
// applies the recommended preset itself.
std::optional<SamplingParams> samplingFor(const SamplingOverrides& overrides, bool thinking,
                                          const GenerationDefaults& modelDefaults);

} // namespace ponder::cli
