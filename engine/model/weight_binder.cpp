#include "model/weight_binder.h"

#include "core/error.h"

namespace ponder::detail {

std::string formatDims(const std::vector<std::int64_t>& dims)
{
    std::string text = "[";
    for (std::size_t i = 0; i < dims.size(); ++i)
        text += (i ? ", " : "") + std::to_string(dims[i]);
    return text + "]";
}

void WeightBinder::fail(const std::string& problem) const
{
    throw Error(source_ + ": " + problem);
}

const TensorView& WeightBinder::require(std::string_view name, const std::vector<std::int64_t>& dims) const
{
    const TensorView* tensor = lookup_(name);
    if (!tensor)
        fail("missing tensor " + std::string(name));
    if (tensor->dims != dims)
        fail("tensor " + std::string(name) + " has shape " + formatDims(tensor->dims) + ", expected " +
             formatDims(dims));
    // The readers already validate this; checking again keeps binding safe for any lookup (tests, synth) and
    // guarantees splitExperts and every kernel may index rows by rowBytes.
    const auto bytesPerRow = rowBytes(tensor->type, static_cast<std::uint64_t>(tensor->rowLength()));
    if (!bytesPerRow)
        fail("tensor " + std::string(name) + " has rows of " + std::to_string(tensor->rowLength()) +
             " values, not a whole number of " + tensorTypeName(tensor->type) + " blocks");
    const std::uint64_t expected = *bytesPerRow * static_cast<std::uint64_t>(tensor->rowCount());
    if (tensor->data.size() != expected)
        fail("tensor " + std::string(name) + " holds " + std::to_string(tensor->data.size()) +
             " bytes, expected " + std::to_string(expected));
    return *tensor;
}

TensorView WeightBinder::matrix(std::string_view name, const std::vector<std::int64_t>& dims) const
{
    return require(name, dims);
}

TensorView WeightBinder::floatTensor(std::string_view name, const std::vector<std::int64_t>& dims,
                                     std::string_view use) const
{
    const TensorView& tensor = require(name, dims);
    if (tensor.type != TensorType::F32 && tensor.type != TensorType::F16 && tensor.type != TensorType::BF16)
        fail("tensor " + std::string(name) + " has type " + tensorTypeName(tensor.type) +
             ", which Ponder cannot use for " + std::string(use) + " (expected F32, F16 or BF16)");
    return tensor;
}

std::vector<TensorView> splitExperts(const TensorView& slab)
{
    const std::int64_t experts = slab.dims.at(2);
    const std::size_t bytesPerExpert = slab.data.size() / static_cast<std::size_t>(experts);
    std::vector<TensorView> views;
    views.reserve(static_cast<std::size_t>(experts));
    for (std::int64_t e = 0; e < experts; ++e) {
        TensorView view;
        view.name = slab.name + "[" + std::to_string(e) + "]";
        view.type = slab.type;
        view.dims = {slab.dims[0], slab.dims[1]};
        view.data = slab.data.subspan(static_cast<std::size_t>(e) * bytesPerExpert, bytesPerExpert);
        views.push_back(std::move(view));
    }
    return views;
}

} // namespace ponder::detail
