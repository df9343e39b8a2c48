#pragma once
// The Sampler's working set: one (value, token id) pair per vocabulary entry, in one buffer reused between
// calls. The value is a logit until the temperature step turns it into an unnormalised probability.
#include <cstdint>
#include <utility>
#include <vector>

namespace ponder::detail {

using Candidate = std::pair<float, std::int32_t>;
using Candidates = std::vector<Candidate>;

// Larger value first, then lower id: a strict total order, so the tokens each step keeps are exactly defined
// (ties go to the lower id) whatever selection algorithm the standard library uses. A lambda rather than a
// function, so that the algorithms inline it.
inline constexpr auto ranksBefore = [](const Candidate& a, const Candidate& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
};

} // namespace ponder::detail
