#include "sampling/nucleus.h"

#include <algorithm>
#include <array>
#include <bit>

// Without top-k the candidates are the whole vocabulary (151936 for Qwen3) and the nucleus usually a sliver
// of it, so sorting everything would dominate the cost of a token. Instead the boundary is narrowed down in
// linear time and only the last few candidates around it get sorted:
//   1. weight classes: one pass sums the weight in each power-of-two class ([1/2, 1), [1/4, 1/2), ...). Whole
//      classes above the one where the running sum reaches the target are in the nucleus, classes below are
//      out; only the boundary class stays undecided.
//   2. selection: while the undecided range is large, split it at its middle rank (nth_element) and keep or
//      drop a half by its weight, as in quickselect.
//   3. the few left are sorted and walked one by one.

namespace ponder::detail {
namespace {

// [0, kept) is in the nucleus and weighs `above`; [undecided, count) is out; each candidate in between ranks
// below every kept one and above every one that is out.
struct Boundary {
    std::size_t kept = 0;
    std::size_t undecided = 0;
    double above = 0.0;
};

// Weight class of a weight in [0, 1]: 0 for exactly 1, c for [2^-c, 2^-(c-1)), the last for 0 and the
// subnormals. Read from the float's exponent bits, which costs no logarithm.
constexpr std::size_t kWeightClasses = 128;

std::size_t weightClass(float weight)
{
    const auto biasedExponent = static_cast<std::size_t>(std::bit_cast<std::uint32_t>(weight) >> 23);
    return kWeightClasses - 1 - std::min(biasedExponent, kWeightClasses - 1);
}

auto at(Candidates& candidates, std::size_t index)
{
    return candidates.begin() + static_cast<std::ptrdiff_t>(index);
}

double weightOf(const Candidates& candidates, std::size_t from, std::size_t to)
{
    double weight = 0.0;
    for (std::size_t i = from; i < to; ++i)
        weight += candidates[i].first;
    return weight;
}

// Step 1: moves the classes wholly inside the nucleus to the front, then the boundary class.
Boundary narrowByWeightClass(Candidates& candidates, std::size_t count, double target)
{
    std::array<double, kWeightClasses> classWeight{};
    for (std::size_t i = 0; i < count; ++i)
        classWeight[weightClass(candidates[i].first)] += candidates[i].first;
    std::size_t boundaryClass = 0;
    double above = 0.0;
    // The last class is the fallback for rounding: the sums may fall a hair short of the target.
    while (boundaryClass + 1 < kWeightClasses && above + classWeight[boundaryClass] < target)
        above += classWeight[boundaryClass++];

    const auto begin = candidates.begin();
    const auto end = at(candidates, count);
    const auto insideEnd = std::partition(
        begin, end, [boundaryClass](const Candidate& c) { return weightClass(c.first) < boundaryClass; });
    const auto boundaryEnd = std::partition(
        insideEnd, end, [boundaryClass](const Candidate& c) { return weightClass(c.first) == boundaryClass; });
    return {static_cast<std::size_t>(insideEnd - begin), static_cast<std::size_t>(boundaryEnd - begin), above};
}

// Step 2: halves the undecided range until it is small enough to sort.
void narrowBySelection(Candidates& candidates, Boundary& boundary, double target)
{
    constexpr std::size_t sortBelow = 64;
    while (boundary.undecided - boundary.kept > sortBelow) {
        const std::size_t middle = boundary.kept + (boundary.undecided - boundary.kept) / 2;
        std::nth_element(at(candidates, boundary.kept), at(candidates, middle), at(candidates, boundary.undecided),
                         ranksBefore);
        const double upperHalf = weightOf(candidates, boundary.kept, middle);
        if (boundary.above + upperHalf < target) { // the middle one is in, and all that rank above it
            boundary.above += upperHalf + candidates[middle].first;
            boundary.kept = middle + 1;
        } else { // the middle one is out, and all that rank below it
            boundary.undecided = middle;
        }
    }
}

} // namespace

std::size_t keepNucleus(Candidates& candidates, std::size_t count, bool ranked, double total, double topP)
{
    if (topP >= 1.0)
        return count;
    const double target = topP * total;
    Boundary boundary{0, count, 0.0};
    if (!ranked) {
        boundary = narrowByWeightClass(candidates, count, target);
        narrowBySelection(candidates, boundary, target);
        std::sort(at(candidates, boundary.kept), at(candidates, boundary.undecided), ranksBefore);
    }
    // Step 3: a candidate is in while those above it weigh less than the target; the first always is.
    while (boundary.kept < boundary.undecided && (boundary.kept == 0 || boundary.above < target)) {
        boundary.above += candidates[boundary.kept].first;
        ++boundary.kept;
    }
    return boundary.kept;
}

} // namespace ponder::detail
