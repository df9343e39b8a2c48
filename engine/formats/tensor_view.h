#pragma once
// A tensor as stored in a model file, viewed in place (never copied). Dimensions are in ggml order:
// dims[0] is the contiguous one. A Linear weight of shape [out, in] (PyTorch order) therefore has
// dims = {in, out}: each of the `out` rows holds `in` values, quantised in blocks along the row.
// Safetensors shapes are reversed into this order when they are read, so both formats agree.
#include "formats/tensor_type.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ponder {

struct TensorView {
    std::string name;
    TensorType type = TensorType::F32;
    std::vector<std::int64_t> dims;
    std::span<const std::uint8_t> data;

    std::int64_t elements() const
    {
        std::int64_t n = 1;
        for (auto d : dims)
            n *= d;
        return n;
    }
    std::int64_t rowLength() const { return dims.empty() ? 1 : dims[0]; }
    // A safetensors tensor may legally have a zero-length row; it then has no rows either.
    std::int64_t rowCount() const { return dims.empty() ? 1 : dims[0] == 0 ? 0 : elements() / dims[0]; }
};

} // namespace ponder
