#pragma once
// Top-p (nucleus) filtering over unnormalised probabilities, as Hugging Face's TopPLogitsWarper defines it.
#include "sampling/candidates.h"

#include <cstddef>

namespace ponder::detail {

// Keeps the smallest set of most probable candidates whose weight adds up to at least topP * total: a
// candidate stays when those ranked above it weigh less than that, and the most probable always stays.
// Considers candidates[0, count), whose weights are in [0, 1] and sum to `total`; `ranked` says they are in
// rank order already. Moves the kept ones to the front and returns how many there are. Allocates nothing.
std::size_t keepNucleus(Candidates& candidates, std::size_t count, bool ranked, double total, double topP);

} // namespace ponder::detail
