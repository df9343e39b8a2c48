#include "sampling/sampler.h"

#include "core/error.h"
#include "sampling/candidates.h"
#include "sampling/nucleus.h"
#include "sampling/penalties.h"
#include "sampling/sampling_checks.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

// The steps run in the order Hugging Face transformers applies its logits processors (repetition penalty,
// then temperature, top-k, top-p, min-p), with vLLM's presence and frequency penalties next to the repetition
// penalty, where vLLM applies them. Every step works in place on `candidates_` (sampling/candidates.h), which
// is sized to the vocabulary once and reused, so a call allocates nothing after the first.

namespace ponder {
namespace {

using detail::Candidate;
using detail::Candidates;
using detail::ranksBefore;

constexpr float kMinusInfinity = -std::numeric_limits<float>::infinity();

// A uniform double in [0, 1) from the top 53 bits of one draw. std::uniform_real_distribution's algorithm
// differs between standard libraries; this one does not.
double uniform01(std::mt19937_64& rng)
{
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

[[noreturn]] void fail(const std::string& problem)
{
    throw Error("sampling: " + problem);
}

// Copies the logits (id order) and rejects what has no probability distribution: NaN, +inf, or every
// logit -inf. -inf itself is allowed: it is how a token is masked out. The copy loop only accumulates flags,
// so it stays branch-free; the offending token is looked for only once something is wrong. Returns whether
// any token is masked.
bool loadCandidates(Candidates& candidates, std::span<const float> logits)
{
    constexpr float infinity = std::numeric_limits<float>::infinity();
    if (logits.empty())
        fail("there are no logits to sample from");
    if (logits.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        fail(std::to_string(logits.size()) + " logits are more than token ids can address");
    candidates.resize(logits.size()); // allocates only when the vocabulary grows
    bool allBelowInfinity = true;     // false for NaN too: every comparison with NaN is false
    bool anyAboveMinusInfinity = false;
    bool allAboveMinusInfinity = true;
    for (std::size_t id = 0; id < logits.size(); ++id) {
        const float logit = logits[id];
        allBelowInfinity &= logit < infinity;
        anyAboveMinusInfinity |= logit > -infinity;
        allAboveMinusInfinity &= logit > -infinity;
        candidates[id] = {logit, static_cast<std::int32_t>(id)};
    }
    if (!allBelowInfinity) {
        const auto bad = std::find_if(logits.begin(), logits.end(), [](float logit) { return !(logit < infinity); });
        fail("the logit of token " + std::to_string(bad - logits.begin()) + " is " +
             (std::isnan(*bad) ? "NaN" : "+inf"));
    }
    if (!anyAboveMinusInfinity)
        fail("every logit is -inf, so no token can be chosen");
    return !allAboveMinusInfinity;
}

void checkIds(std::span<const std::int32_t> ids, std::size_t vocabulary, const char* what)
{
    for (std::int32_t id : ids)
        if (id < 0 || static_cast<std::size_t>(id) >= vocabulary)
            fail(std::string(what) + " holds token id " + std::to_string(id) + ", outside the vocabulary of " +
                 std::to_string(vocabulary) + " logits");
}

// The first candidate with the largest logit: ties go to the lowest id (candidates are still in id order).
std::int32_t argmax(const Candidates& candidates)
{
    std::size_t best = 0;
    float bestLogit = candidates[0].first; // in a register: re-reading candidates[best] would chain the loads
    for (std::size_t i = 1; i < candidates.size(); ++i)
        if (candidates[i].first > bestLogit) {
            bestLogit = candidates[i].first;
            best = i;
        }
    return candidates[best].second;
}

// Drops masked tokens (-inf), if there are any; stable, so the order stays the id order.
std::size_t dropMasked(Candidates& candidates, bool anyMasked)
{
    if (!anyMasked)
        return candidates.size();
    auto end = std::remove_if(candidates.begin(), candidates.end(),
                              [](const Candidate& c) { return c.first == kMinusInfinity; });
    return static_cast<std::size_t>(end - candidates.begin());
}

// Hugging Face's TopKLogitsWarper: keeps every token whose logit is at least the k-th largest, so tokens tied
// with the k-th are kept too. partial_sort keeps a heap of the best k while it scans, so for the usual small k
// almost every token costs one comparison. Returns how many are kept, which are then in rank order.
std::size_t keepTopK(Candidates& candidates, std::size_t count, std::int64_t topK)
{
    if (topK == 0 || static_cast<std::size_t>(topK) >= count)
        return count;
    const auto begin = candidates.begin();
    const auto end = begin + static_cast<std::ptrdiff_t>(count);
    const auto kEnd = begin + static_cast<std::ptrdiff_t>(topK);
    std::partial_sort(begin, kEnd, end, ranksBefore);
    const float kthLogit = (kEnd - 1)->first;
    // Ties with the k-th follow it in rank order (they have larger ids), so sorting them after it is enough.
    const auto tiesEnd =
        std::partition(kEnd, end, [kthLogit](const Candidate& c) { return c.first == kthLogit; });
    std::sort(kEnd, tiesEnd, ranksBefore);
    return static_cast<std::size_t>(tiesEnd - begin);
}

// Replaces each kept logit by exp((logit - max) / T): the softmax at temperature T without its normaliser
// (the steps after only need ratios), which it returns. The largest becomes exactly 1. Multiplying by 1/T is
// cheaper than dividing; capping 1/T keeps a subnormal temperature from giving 0 * inf = NaN for the largest.
double toWeights(Candidates& candidates, std::size_t count, double temperature)
{
    float largest = kMinusInfinity;
    for (std::size_t i = 0; i < count; ++i)
        largest = std::max(largest, candidates[i].first);
    const auto inverseTemperature =
        static_cast<float>(std::min(1.0 / temperature, static_cast<double>(std::numeric_limits<float>::max())));
    double total = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        candidates[i].first = std::exp((candidates[i].first - largest) * inverseTemperature);
        total += candidates[i].first;
    }
    return total;
}

double totalWeight(const Candidates& candidates, std::size_t count)
{
    double total = 0.0;
    for (std::size_t i = 0; i < count; ++i)
        total += candidates[i].first;
    return total;
}

// Hugging Face's MinPLogitsWarper: drops tokens less probable than min-p times the most probable one. Weights
// are relative to the largest already, and the largest survives top-k and top-p, so its weight is 1. Stable,
// so a ranked set stays ranked.
std::size_t keepMinP(Candidates& candidates, std::size_t count, double minP)
{
    if (minP <= 0.0)
        return count;
    const auto begin = candidates.begin();
    auto end = std::remove_if(begin, begin + static_cast<std::ptrdiff_t>(count),
                              [minP](const Candidate& c) { return static_cast<double>(c.first) < minP; });
    return static_cast<std::size_t>(end - begin);
}

// Draws a token in proportion to its weight, walking the kept candidates in their order: rank order after
// top-k (Qwen's presets), id order when nothing was cut, and otherwise the order selection left, which is
// fixed for a given standard library. So a seed always reproduces its tokens, and in the first two cases with
// any standard library.
std::int32_t draw(const Candidates& candidates, std::size_t count, std::mt19937_64& rng)
{
    const double point = uniform01(rng) * totalWeight(candidates, count);
    double cumulative = 0.0;
    std::size_t lastPossible = 0;
    for (std::size_t i = 0; i < count; ++i) {
        cumulative += candidates[i].first;
        if (point < cumulative)
            return candidates[i].second;
        if (candidates[i].first > 0.0f)
            lastPossible = i;
    }
    return candidates[lastPossible].second; // rounding put the point just past the end
}

} // namespace

Sampler::Sampler(const SamplingParams& params) : params_(params), rng_(params.seed)
{
    detail::checkSamplingParams(params_, "sampling");
}

std::int32_t Sampler::sample(std::span<const float> logits, std::span<const std::int32_t> context,
                             std::span<const std::int32_t> generated)
{
    const bool anyMasked = loadCandidates(candidates_, logits);
    checkIds(context, logits.size(), "the context");
    checkIds(generated, logits.size(), "the generated ids");
    detail::applyRepetitionPenalty(candidates_, logits, context, params_.repetitionPenalty);
    detail::applyPresenceAndFrequency(candidates_, generated, params_.presencePenalty, params_.frequencyPenalty);

    if (params_.greedy || params_.temperature == 0.0)
        return argmax(candidates_);

    std::size_t count = dropMasked(candidates_, anyMasked);
    const bool ranked = params_.topK != 0 && static_cast<std::size_t>(params_.topK) < count; // by keepTopK
    count = keepTopK(candidates_, count, params_.topK);
    const double total = toWeights(candidates_, count, params_.temperature);
    count = detail::keepNucleus(candidates_, count, ranked, total, params_.topP);
    count = keepMinP(candidates_, count, params_.minP);
    return draw(candidates_, count, rng_);
}

} // namespace ponder
