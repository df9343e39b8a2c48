#include "sampling_options.h"

#include <cmath>

namespace ponder::cli {
namespace {

const char* const kValueOptions[] = {"temp", "top-k", "top-p", "min-p", "presence-penalty", "seed"};

// The value of --NAME, which must lie in `range` (written as the message shows it, e.g. "(0, 1]").
double numberIn(const CliArgs& cli, const std::string& name, double low, double high, bool lowIncluded,
                const char* range)
{
    const double value = parseNumber(*cli.value(name), "--" + name);
    if (value < low || value > high || (!lowIncluded && value == low))
        throw UsageError("--" + name + " must be in " + range);
    return value;
}

} // namespace

void addSamplingOptions(std::set<std::string>& valueOptions, std::set<std::string>& flags)
{
    valueOptions.insert(std::begin(kValueOptions), std::end(kValueOptions));
    flags.insert("greedy");
}

SamplingOverrides samplingOverrides(const CliArgs& cli)
{
    SamplingOverrides o;
    o.greedy = cli.flag("greedy");
    if (o.greedy)
        for (const char* name : kValueOptions)
            if (cli.value(name))
                throw UsageError(std::string("--greedy and --") + name + " exclude each other");
    if (cli.value("temp"))
        o.temperature = numberIn(cli, "temp", 0.0, HUGE_VAL, true, "[0, inf) (0 = greedy)");
    if (cli.value("top-p"))
        o.topP = numberIn(cli, "top-p", 0.0, 1.0, false, "(0, 1]");
    if (cli.value("min-p"))
        o.minP = numberIn(cli, "min-p", 0.0, 1.0, true, "[0, 1]");
    if (cli.value("presence-penalty"))
        o.presencePenalty = numberIn(cli, "presence-penalty", -2.0, 2.0, true, "[-2, 2]");
    if (auto k = cli.value("top-k")) {
        o.topK = parseInteger(*k, "--top-k");
        if (*o.topK < 0)
            throw UsageError("--top-k must be 0 (off) or more");
    }
    if (auto seed = cli.value("seed")) {
        const long long value = parseInteger(*seed, "--seed");
        if (value < 0)
            throw UsageError("--seed must be 0 or more");
        o.seed = static_cast<std::uint64_t>(value);
    }
    return o;
}

std::optional<SamplingParams> samplingFor(const SamplingOverrides& o, bool thinking,
                                          const GenerationDefaults& modelDefaults)
{
    if (!o.any())
        return std::nullopt;
    SamplingParams p = recommendedSampling(thinking, modelDefaults);
    p.greedy = o.greedy;
    p.temperature = o.temperature.value_or(p.temperature);
    p.topK = o.topK.value_or(p.topK);
    p.topP = o.topP.value_or(p.topP);
    p.minP = o.minP.value_or(p.minP);
    p.presencePenalty = o.presencePenalty.value_or(p.presencePenalty);
    p.seed = o.seed.value_or(p.seed);
    return p;
}

} // namespace ponder::cli
