#include "backend/cpu/cpu_storage.h"

#include "core/error.h"

#include <limits>
#include <string>

namespace ponder::cpu {
namespace {

template <typename Data, typename Act>
auto* valuesOf(Act& a, std::string_view op)
{
    // Activations carry only a base-class storage pointer; the dynamic_cast turns a mix-up between
    // backends into an error instead of memory corruption, for the price of one cast per operand.
    auto* data = a.capacityRows() == 0 && a.cols() == 0 ? nullptr : &a.template storageAs<ActivationStorage>();
    auto* cpu = dynamic_cast<Data*>(data);
    if (cpu == nullptr)
        throw Error("cpu backend: " + std::string(op) + ": activation was not allocated by a CPU backend");
    return cpu->values.data();
}

// Elements of a layers x capacity x kvHeads x headDim array, or an Error when that overflows.
std::size_t cacheElements(std::int64_t layers, std::int64_t capacity, std::int64_t kvHeads, std::int64_t headDim)
{
    const long double n = static_cast<long double>(layers) * capacity * kvHeads * headDim;
    if (n > static_cast<long double>(std::numeric_limits<std::int64_t>::max() / 8))
        throw Error("cpu backend: KV cache of " + std::to_string(capacity) + " positions is too large");
    return static_cast<std::size_t>(layers * capacity * kvHeads * headDim);
}

} // namespace

float* hostValues(Activation& a, std::string_view op) { return valuesOf<ActivationData>(a, op); }
const float* hostValues(const Activation& a, std::string_view op) { return valuesOf<const ActivationData>(a, op); }

CpuKvCache::CpuKvCache(std::int64_t layers, std::int64_t capacity, std::int64_t kvHeads, std::int64_t headDim)
    : layers_(layers), capacity_(capacity), kvHeads_(kvHeads), headDim_(headDim)
{
    if (layers <= 0 || capacity <= 0 || kvHeads <= 0 || headDim <= 0)
        throw Error("cpu backend: KV cache needs positive layers, capacity, KV heads and head size (got " +
                    std::to_string(layers) + ", " + std::to_string(capacity) + ", " + std::to_string(kvHeads) +
                    ", " + std::to_string(headDim) + ")");
    const std::size_t n = cacheElements(layers, capacity, kvHeads, headDim);
    // for_overwrite: no zero fill, so untouched positions never become resident.
    keys_ = std::make_unique_for_overwrite<float[]>(n);
    values_ = std::make_unique_for_overwrite<float[]>(n);
}

CpuExpertRouting::CpuExpertRouting(std::int64_t capacityRows, std::int64_t expertsPerToken)
    : capacityRows_(capacityRows), expertsPerToken_(expertsPerToken)
{
    if (capacityRows < 0 || expertsPerToken <= 0)
        throw Error("cpu backend: expert routing needs rows >= 0 and experts per token > 0 (got " +
                    std::to_string(capacityRows) + ", " + std::to_string(expertsPerToken) + ")");
    ids.resize(static_cast<std::size_t>(capacityRows * expertsPerToken));
    weights.resize(ids.size());
}

} // namespace ponder::cpu
