#pragma once
// What the CPU backend keeps behind the Backend interface's opaque objects: activations as host fp32
// matrices, the KV cache as fp32 arrays, expert routing as ids and weights per row. Tests reach in here to
// check results without going through readRow.
#include "backend/activation.h"
#include "backend/backend.h"

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace ponder::cpu {

struct ActivationData final : ActivationStorage {
    std::vector<float> values; // capacityRows x cols, row-major
};

// The host values of an activation made by a CPU backend; throws ponder::Error naming `op` for an
// activation another backend made (or a default-constructed one).
float* hostValues(Activation& a, std::string_view op);
const float* hostValues(const Activation& a, std::string_view op);

// Keys and values for [layer][position][kvHead][headDim], kept apart. The memory is allocated but not
// written until used, so a large capacity costs only the positions a conversation reaches.
class CpuKvCache final : public KvCache {
public:
    CpuKvCache(std::int64_t layers, std::int64_t capacity, std::int64_t kvHeads, std::int64_t headDim);
    std::int64_t capacity() const override { return capacity_; }
    std::int64_t layers() const { return layers_; }
    std::int64_t kvHeads() const { return kvHeads_; }
    std::int64_t headDim() const { return headDim_; }

    // The kvHeads * headDim values of one position of one layer.
    float* keys(std::int64_t layer, std::int64_t position) { return keys_.get() + offset(layer, position); }
    float* values(std::int64_t layer, std::int64_t position) { return values_.get() + offset(layer, position); }
    const float* keys(std::int64_t layer, std::int64_t position) const { return keys_.get() + offset(layer, position); }
    const float* values(std::int64_t layer, std::int64_t position) const
    {
        return values_.get() + offset(layer, position);
    }

private:
    std::int64_t offset(std::int64_t layer, std::int64_t position) const
    {
        return (layer * capacity_ + position) * kvHeads_ * headDim_;
    }

    std::int64_t layers_, capacity_, kvHeads_, headDim_;
    std::unique_ptr<float[]> keys_, values_;
};

// For each routed row: expertsPerToken expert ids (highest probability first) and their weights.
class CpuExpertRouting final : public ExpertRouting {
public:
    CpuExpertRouting(std::int64_t capacityRows, std::int64_t expertsPerToken);

    std::int64_t capacityRows() const { return capacityRows_; }
    std::int64_t expertsPerToken() const { return expertsPerToken_; }
    // Set by moeRoute: how many rows hold routing, and over how many experts.
    std::int64_t rows = 0;
    std::int64_t expertCount = 0;
    std::vector<std::int32_t> ids;  // capacityRows x expertsPerToken
    std::vector<float> weights;     // capacityRows x expertsPerToken

private:
    std::int64_t capacityRows_, expertsPerToken_;
};

} // namespace ponder::cpu
