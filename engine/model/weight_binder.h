#pragma once
// Internal to engine/model: fetches tensors by name and checks each one's presence, dimensions, storage type
// and byte size before the engine ever reads it, so a wrong file fails at load with the tensor's name instead
// of producing garbage (or reading out of bounds) mid-generation.
#include "formats/tensor_view.h"
#include "model/model_weights.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::detail {

// "[64, 128]": dims in ggml order (dims[0] contiguous), as TensorView holds them.
std::string formatDims(const std::vector<std::int64_t>& dims);

class WeightBinder {
public:
    WeightBinder(const TensorLookup& lookup, std::string source) : lookup_(lookup), source_(std::move(source)) {}

    const TensorView* lookup(std::string_view name) const { return lookup_(name); } // nullptr when absent
    // Any loadable type (quantised or float) with exactly `dims`.
    TensorView matrix(std::string_view name, const std::vector<std::int64_t>& dims) const;
    // F32 / F16 / BF16 only, with exactly `dims`; `use` ("a norm", "the MoE router") completes the message.
    TensorView floatTensor(std::string_view name, const std::vector<std::int64_t>& dims,
                           std::string_view use) const;

    [[noreturn]] void fail(const std::string& problem) const;
    const std::string& source() const { return source_; }

private:
    const TensorView& require(std::string_view name, const std::vector<std::int64_t>& dims) const;

    const TensorLookup& lookup_;
    std::string source_;
};

// Views of each expert's matrix inside a stacked {rowLength, rows, experts} slab: expert e is the contiguous
// run of rows*rowBytes bytes at e*rows*rowBytes. Each view is named "SLAB[e]".
std::vector<TensorView> splitExperts(const TensorView& slab);

} // namespace ponder::detail
