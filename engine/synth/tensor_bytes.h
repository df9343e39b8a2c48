#pragma once
// Encodes planned tensors into file bytes of a chosen type, rows generated and quantised in parallel.
#include "formats/tensor_type.h"
#include "synth/tensor_plan.h"

#include <cstdint>
#include <vector>

namespace ponder::synth {

// Bytes of matrices [firstMatrix, firstMatrix + count) of `tensor`, stored as `type`.
std::vector<std::uint8_t> encodeMatrices(const PlannedTensor& tensor, TensorType type, const RowFiller& fill,
                                         std::int64_t firstMatrix, std::int64_t count);

} // namespace ponder::synth
