#pragma once
// The model's weights on the device. Each weight matrix is cut into chunks of whole rows (experts: whole
// experts) that fit one storage-buffer binding (maxStorageBufferRange: 128 MiB on lavapipe, while a 0.6B
// Q8_0 embedding is 165 MB) and at most 65,536 rows, so a dispatch per chunk stays within the workgroup-count
// limit. Chunks are suballocated from large device blocks. Weights keep their file type (dequantised in the
// shaders), except norm vectors, stored as fp32.
#include "backend/vulkan/vk_device.h"
#include "formats/tensor_view.h"
#include "model/model_config.h"
#include "model/model_weights.h"

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <vector>

namespace ponder::vk {

struct MatrixChunk {
    BufferRange range;
    std::int64_t firstRow = 0;
    std::int64_t rows = 0;
};

struct GpuMatrix {
    TensorType type = TensorType::F32;
    std::int64_t rowLength = 0;
    std::int64_t rows = 0;
    std::uint64_t rowBytes = 0;
    std::vector<MatrixChunk> chunks;
};

struct ExpertChunk {
    BufferRange range;
    std::int64_t firstExpert = 0;
    std::int64_t experts = 0;
};

// One role (gate, up or down) of every expert of a layer, stored expert after expert.
struct GpuExperts {
    TensorType type = TensorType::F32;
    std::int64_t rowLength = 0;   // K
    std::int64_t rowsPerExpert = 0; // N
    std::uint64_t rowBytes = 0;
    std::uint64_t expertBytes = 0;
    std::vector<ExpertChunk> chunks;
};

enum class ExpertRole { Gate, Up, Down };

class WeightStore {
public:
    explicit WeightStore(Device& device);

    // Uploads every weight, after checking the device has room for them (throws ponder::Error naming the
    // model's and the device's sizes when it has not, before allocating anything). `progress`, when set, hears
    // the fraction of the bytes uploaded after each tensor.
    void load(const ModelConfig& config, const ModelWeights& weights,
              const std::function<void(double fraction)>& progress = {});

    // The device copy of a weight passed to an operation, found by its data pointer.
    const GpuMatrix& matrix(const TensorView& view) const;
    const GpuExperts& experts(std::span<const ExpertWeights> experts, ExpertRole role) const;

    std::uint64_t bytesOnDevice() const { return used_; }

private:
    BufferRange allocate(std::uint64_t bytes, const std::string& purpose);
    void write(BufferRange range, std::uint64_t offset, std::span<const std::uint8_t> bytes);
    void uploadMatrix(const TensorView& view, bool asFloat);
    void uploadExperts(std::span<const ExpertWeights> experts, ExpertRole role);
    std::uint64_t chunkLimit() const;

    Device& device_;
    std::vector<Buffer> blocks_;
    std::uint64_t blockUsed_ = 0;
    std::uint64_t used_ = 0;
    std::uint64_t stillNeeded_ = 0; // bytes of weights not yet placed: the last block is cut to fit them
    Buffer staging_;
    std::map<const std::uint8_t*, GpuMatrix> matrices_;
    std::map<std::pair<const std::uint8_t*, int>, GpuExperts> experts_;
};

} // namespace ponder::vk
