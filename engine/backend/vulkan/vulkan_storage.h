#pragma once
// What the Vulkan backend keeps behind the Backend interface's opaque objects, and the state its operations
// share (device, pipelines, recorder, weights). Tests reach in here to check device-side results.
#include "backend/backend.h"
#include "backend/vulkan/vulkan_backend.h"
#include "backend/vulkan/vk_device.h"
#include "backend/vulkan/vk_pipelines.h"
#include "backend/vulkan/vk_recorder.h"
#include "backend/vulkan/weight_store.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace ponder::vk {

struct ActivationBuffer final : ActivationStorage {
    Buffer buffer; // capacityRows x cols fp32
};

// The rows() x cols() floats of an activation made by a Vulkan backend; throws ponder::Error naming `op`
// for one made by another backend.
BufferRange activationRange(const Activation& a, std::string_view op);

// Per layer, keys and values as [position][kvHeads * headDim]: fp16 (two halves per 32-bit word) or fp32.
class VulkanKvCache final : public KvCache {
public:
    VulkanKvCache(Device& device, std::int64_t layers, std::int64_t capacity, std::int64_t kvWidth, bool fp32);
    bool fp32() const { return fp32_; }
    std::int64_t capacity() const override { return capacity_; }
    std::int64_t kvWidth() const { return kvWidth_; }
    std::int64_t layers() const { return static_cast<std::int64_t>(keys_.size()); }
    BufferRange keys(std::int64_t layer) const { return wholeBuffer(keys_.at(static_cast<std::size_t>(layer))); }
    BufferRange values(std::int64_t layer) const { return wholeBuffer(values_.at(static_cast<std::size_t>(layer))); }
    // The buffers themselves, for tests that read what was stored (where the memory is host-visible).
    const Buffer& keyBuffer(std::int64_t layer) const { return keys_.at(static_cast<std::size_t>(layer)); }
    const Buffer& valueBuffer(std::int64_t layer) const { return values_.at(static_cast<std::size_t>(layer)); }

private:
    std::int64_t capacity_, kvWidth_;
    bool fp32_;
    std::vector<Buffer> keys_, values_;
};

// Routed expert ids (int32) and weights (fp32), rows x expertsPerToken, on the device.
class VulkanExpertRouting final : public ExpertRouting {
public:
    VulkanExpertRouting(Device& device, std::int64_t capacityRows, std::int64_t expertsPerToken);
    std::int64_t expertsPerToken() const { return expertsPerToken_; }
    std::int64_t rows = 0; // set by moeRoute
    Buffer ids, weights;

private:
    std::int64_t expertsPerToken_;
};

// A device buffer that grows to the largest size asked of it (attention partials, per-expert outputs).
class ScratchBuffer {
public:
    ScratchBuffer(Device& device, Recorder& recorder, std::string purpose)
        : device_(device), recorder_(recorder), purpose_(std::move(purpose)) {}
    BufferRange get(std::uint64_t bytes);

private:
    Device& device_;
    Recorder& recorder_;
    std::string purpose_;
    Buffer buffer_;
};

// How the mat-vec shaders spread a weight row over invocations (see VulkanOptions::matvecLanes).
struct MatvecLayout {
    std::uint32_t lanes = 16;
    bool subgroups = false; // the _sg_ variants, summing a row's lanes with subgroupAdd
};
MatvecLayout chooseMatvecLayout(const VulkanDeviceInfo& device, std::uint32_t requestedLanes, bool allowSubgroups);

// The prefill mat-mat shader. With fp16 on (VulkanFp16Matmul::On, or Auto on a GPU) and shaderFloat16:
// cooperative matrices where `allowCoopmat` and the device has usable ones (nvCooperativeMatrixN), else
// fp16 tiles. Otherwise fp32 tiles. (PONDER_VULKAN_FP16 is read by the backend, not here.)
VulkanMatmulKernel chooseMatmulKernel(const VulkanDeviceInfo& device, VulkanFp16Matmul fp16, bool allowCoopmat);

struct Context {
    Context(Device& d, MatvecLayout layout)
        : device(d), pipelines(d), recorder(d), weights(d), attentionPartials(d, recorder, "attention partials"),
          expertInputs(d, recorder, "expert activations"), expertHidden(d, recorder, "expert activations"),
          expertOutputs(d, recorder, "expert outputs"), expertGroups(d, recorder, "expert groups"),
          topKIds(d, recorder, "top-k candidates"), matvec(layout)
    {
    }
    Device& device;
    Pipelines pipelines;
    Recorder recorder;
    WeightStore weights;
    ScratchBuffer attentionPartials, expertInputs, expertHidden, expertOutputs;
    ScratchBuffer expertGroups; // a prefill chunk's slots grouped by expert (moe_group.comp)
    ScratchBuffer topKIds; // the ids between top-k levels
    // Invocations sharing one weight row in the mat-vec shaders: a group of lanes on a GPU, so neighbours
    // read neighbouring bytes; one on a CPU device (lavapipe), where workgroup barriers are what costs.
    MatvecLayout matvec;
    // MoE prefill takes the grouped mat-mat at this many slots per expert on average (VulkanOptions).
    std::int64_t moeGroupedMinSlots = 0;
    VulkanMatmulKernel matmulKernel = VulkanMatmulKernel::Fp32Tiles;
    Buffer ropeFrequencies;
    Buffer readback; // logits on their way to the host, when activations are not host-visible
    Buffer topKResult; // host-visible: the last top-k level writes its (id, logit) pairs here
    std::vector<float> ropeFrequenciesUploaded;
};

// Lower-case type name as used in shader variant names: "q4_k".
std::string shaderTypeName(TensorType type);

// Workgroups needed to cover `items` with groups of `perGroup`.
inline std::uint32_t groupsFor(std::int64_t items, std::int64_t perGroup)
{
    return static_cast<std::uint32_t>((items + perGroup - 1) / perGroup);
}

} // namespace ponder::vk
