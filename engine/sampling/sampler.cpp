#include "sampling/sampler.h"

#include "core/error.h"
#include "sampling/candidates.h"
#include "sampling/nucleus.h"
#include "sampling/penalties.h"
#include "sampling/sampling_checks.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <ranges>
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
    return drawFromKept(count, ranked);
}

// The steps after top-k, shared by both paths: they see the same kept candidates in the same order.
std::int32_t Sampler::drawFromKept(std::size_t count, bool ranked)
{
    const double total = toWeights(candidates_, count, params_.temperature);
    count = detail::keepNucleus(candidates_, count, ranked, total, params_.topP);
    count = keepMinP(candidates_, count, params_.minP);
    return draw(candidates_, count, rng_);
}

// ---- The candidate path ----
//
// Why a few candidates can be enough. Let S be the m highest logits of the row (ranked: higher first, ties to
// the lower id) and L the lowest of them. With a repetition penalty >= 1 and presence and frequency
// penalties >= 0, a penalty never raises a logit (sampling/penalties.h). So every token outside S ends, after
// the penalties, at or below its own logit, which is <= L; the values inside S are computed exactly as
// sample() computes them (the same functions on the same floats).
//   Top-k (k > 0): let t be the k-th highest penalised value in S. If t > L, every token outside S ends below
//   t; S holds at least k values >= t, so t is also the k-th highest over the whole row, and the tokens
//   sample() keeps (all >= t, ties with the k-th included) are exactly those of S that are >= t, in the same
//   rank order. If t == L, a token outside S tied at L could belong to the kept set: not settled.
//   Greedy: let b be the best penalised value in S (its lowest id on ties). If b > L it beats every token
//   outside S. If b == L, a token outside S can only tie, with a logit of exactly L and unpenalised; such a
//   token has a higher id than every member of S whose logit is L (S takes ties by the lower id), so when S
//   has a member at L that its penalty left at L, the winner's id is lower still and it wins the tie.
//   Otherwise (every member near L penalised below it) not settled. An unpenalised member of S always gives
//   b >= L with that tie rule satisfied, so m = 1 + (penalised ids) candidates always settle greedy.
//   When S holds the whole row, or ends in -inf (so every token outside S is masked), S is everything that
//   matters and the path is sample() itself on fewer entries: with at most k finite logits sample() keeps
//   them all in id order, and so does this path.
// Any other situation (NaN or +inf at the top, every logit masked, an id outside the vocabulary) returns
// nullopt, and sample() on the whole row throws its usual error.

bool Sampler::penaltiesOnlyLower() const
{
    return params_.repetitionPenalty >= 1.0 && params_.presencePenalty >= 0.0 && params_.frequencyPenalty >= 0.0;
}

std::int64_t Sampler::candidatesWanted(std::span<const std::int32_t> context,
                                       std::span<const std::int32_t> generated, std::size_t vocabulary,
                                       std::int64_t limit) const
{
    const bool greedy = params_.greedy || params_.temperature == 0.0;
    if (!penaltiesOnlyLower() || (!greedy && params_.topK == 0) || vocabulary == 0)
        return 0;
    const auto wholeRow = static_cast<std::int64_t>(
        std::min<std::size_t>(vocabulary, static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())));
    limit = std::min(limit, wholeRow);
    // Top-k: one more than k, to see that the k-th is no tie; or the whole row, which always settles it.
    const std::int64_t least = std::min(greedy ? 1 : params_.topK + 1, wholeRow);
    if (least > limit)
        return 0;
    // Settled for sure when there are `least` unpenalised candidates. The penalised ids number at most these
    // counts (repeats counted, which only overestimates). Rounded up to a power of two, so the count changes
    // rarely and a decode step's GPU commands stay those of the step before (vk_recorder.h replays them).
    std::int64_t wanted = least;
    if (params_.repetitionPenalty != 1.0)
        wanted += static_cast<std::int64_t>(context.size());
    if (params_.presencePenalty != 0.0 || params_.frequencyPenalty != 0.0)
        wanted += static_cast<std::int64_t>(generated.size());
    std::int64_t rounded = 1;
    while (rounded < wanted && rounded < limit)
        rounded *= 2;
    return std::min(rounded, limit);
}

std::optional<std::int32_t> Sampler::sampleFromCandidates(std::span<const TokenCandidate> candidates,
                                                          std::size_t vocabulary,
                                                          std::span<const std::int32_t> context,
                                                          std::span<const std::int32_t> generated)
{
    const std::size_t m = candidates.size();
    const bool greedy = params_.greedy || params_.temperature == 0.0;
    if (m == 0 || m > vocabulary || !penaltiesOnlyLower() || (!greedy && params_.topK == 0))
        return std::nullopt;
    const float top = candidates.front().logit;
    if (!(top < std::numeric_limits<float>::infinity()) || top == kMinusInfinity)
        return std::nullopt; // NaN or +inf somewhere (they rank first), or every logit masked
    const auto outside = [vocabulary](std::int32_t id) { return id < 0 || static_cast<std::size_t>(id) >= vocabulary; };
    if (std::ranges::any_of(context, outside) || std::ranges::any_of(generated, outside))
        return std::nullopt;
    const float lowest = candidates.back().logit;
    const bool complete = m == vocabulary || lowest == kMinusInfinity;

    // The penalties on the candidates: candidates_[i] is candidate i, penalised.
    candidates_.resize(m);
    for (std::size_t i = 0; i < m; ++i)
        candidates_[i] = {candidates[i].logit, candidates[i].id};
    const bool repetition = params_.repetitionPenalty != 1.0;
    const bool presence = params_.presencePenalty != 0.0 || params_.frequencyPenalty != 0.0;
    if (repetition || presence) {
        byId_.resize(m);
        for (std::size_t i = 0; i < m; ++i)
            byId_[i] = {candidates[i].id, static_cast<std::uint32_t>(i)};
        std::sort(byId_.begin(), byId_.end());
        const auto indexOf = [this](std::int32_t id) -> std::ptrdiff_t {
            const auto at = std::lower_bound(byId_.begin(), byId_.end(), std::pair<std::int32_t, std::uint32_t>{id, 0});
            return at != byId_.end() && at->first == id ? static_cast<std::ptrdiff_t>(at->second) : -1;
        };
        if (repetition) {
            inContext_.assign(m, 0);
            for (std::int32_t id : context)
                if (const auto i = indexOf(id); i >= 0)
                    inContext_[static_cast<std::size_t>(i)] = 1;
            for (std::size_t i = 0; i < m; ++i)
                if (inContext_[i])
                    candidates_[i].first = detail::repetitionPenalised(candidates[i].logit, params_.repetitionPenalty);
        }
        if (presence) {
            occurrences_.assign(m, 0);
            for (std::int32_t id : generated)
                if (const auto i = indexOf(id); i >= 0)
                    ++occurrences_[static_cast<std::size_t>(i)];
            for (std::size_t i = 0; i < m; ++i)
                if (occurrences_[i] > 0)
                    candidates_[i].first =
                        detail::presenceFrequencyPenalised(candidates_[i].first, static_cast<double>(occurrences_[i]),
                                                           params_.presencePenalty, params_.frequencyPenalty);
        }
    }

    if (greedy)
        return greedyFromCandidates(candidates, complete);

    // Top-k over the penalised candidates, as keepTopK over the whole row.
    const auto begin = candidates_.begin();
    const auto finiteEnd = std::remove_if(begin, begin + static_cast<std::ptrdiff_t>(m),
                                          [](const Candidate& c) { return c.first == kMinusInfinity; });
    const auto finite = static_cast<std::size_t>(finiteEnd - begin);
    const auto k = static_cast<std::size_t>(params_.topK);
    if (complete && k >= finite) { // sample() keeps every unmasked token, in id order
        std::sort(begin, finiteEnd, [](const Candidate& a, const Candidate& b) { return a.second < b.second; });
        return drawFromKept(finite, false);
    }
    if (finite < k)
        return std::nullopt;
    std::sort(begin, finiteEnd, ranksBefore);
    const float kth = candidates_[k - 1].first;
    if (!complete && !(kth > lowest))
        return std::nullopt; // a token outside the candidates may tie with the k-th
    std::size_t kept = k;
    while (kept < finite && candidates_[kept].first == kth)
        ++kept;
    return drawFromKept(kept, true);
}

std::optional<std::int32_t> Sampler::greedyFromCandidates(std::span<const TokenCandidate> candidates, bool complete)
{
    std::size_t best = 0;
    for (std::size_t i = 1; i < candidates_.size(); ++i)
        if (ranksBefore(candidates_[i], candidates_[best]))
            best = i;
    const float value = candidates_[best].first, lowest = candidates.back().logit;
    if (complete || value > lowest)
        return candidates_[best].second;
    if (value == lowest)
        for (std::size_t i = 0; i < candidates_.size(); ++i)
            if (candidates[i].logit == lowest && candidates_[i].first == lowest)
                return candidates_[best].second;
    return std::nullopt;
}

} // namespace ponder
