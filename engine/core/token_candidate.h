#pragma once
// A token with its logit, as a backend's topLogits() returns the few highest of a row (so a decode step
// reads back a few pairs instead of the whole vocabulary), and the one ranking both the host and the GPU
// (shaders/top_k.comp) use to choose them.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ponder {

struct TokenCandidate {
    std::int32_t id = 0;
    float logit = 0.0f;
    bool operator==(const TokenCandidate& o) const { return id == o.id && std::bit_cast<std::uint32_t>(logit) ==
                                                                              std::bit_cast<std::uint32_t>(o.logit); }
};

// The logit as an unsigned key that orders as the float does, with -0 equal to +0 and every NaN above +inf
// (so a NaN anywhere in a row shows up first, where the sampler sees it). Integer operations only: a GPU
// compiler may assume there are no NaNs in float comparisons. shaders/top_k.comp computes the same key.
inline std::uint32_t logitRankKey(float logit)
{
    std::uint32_t bits = std::bit_cast<std::uint32_t>(logit);
    if ((bits & 0x7fffffffu) > 0x7f800000u)
        return 0xffffffffu; // NaN
    if (bits == 0x80000000u)
        bits = 0; // -0 ranks as +0
    return (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
}

// Higher logit first; equal logits to the lower id (the sampler's order, sampling/candidates.h).
inline bool ranksAbove(const TokenCandidate& a, const TokenCandidate& b)
{
    const std::uint32_t ka = logitRankKey(a.logit), kb = logitRankKey(b.logit);
    return ka > kb || (ka == kb && a.id < b.id);
}

// The `count` highest of `logits` (ids are indices), ranked by ranksAbove; count <= logits.size().
// The host reference of Backend::topLogits (a partial sort).
std::vector<TokenCandidate> highestLogits(std::span<const float> logits, std::size_t count);

} // namespace ponder
