#pragma once
// Records the backend's operations into one command buffer and submits it when the host needs a result
// (readRow) or a pool runs out. A barrier goes in only where a dispatch reads or writes a buffer that an
// earlier dispatch since the last barrier wrote (or writes one they read), so independent dispatches
// (the Q, K and V projections) run together.
#include "backend/vulkan/vk_device.h"
#include "backend/vulkan/vk_pipelines.h"

#include <cstdint>
#include <initializer_list>
#include <set>
#include <span>
#include <vector>

namespace ponder::vk {

struct Binding {
    BufferRange range;
    bool written = false;
};
inline Binding reads(BufferRange r) { return {r, false}; }
inline Binding writes(BufferRange r) { return {r, true}; }

class Recorder {
public:
    explicit Recorder(Device& device);
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Records pipeline with its buffers and push constants over groups (x, y, z) of workgroups.
    void dispatch(const Pipeline& pipeline, std::initializer_list<Binding> bindings, std::span<const std::byte> push,
                  std::uint32_t groupsX, std::uint32_t groupsY = 1, std::uint32_t groupsZ = 1);
    template <typename Push>
    void dispatch(const Pipeline& pipeline, std::initializer_list<Binding> bindings, const Push& push,
                  std::uint32_t groupsX, std::uint32_t groupsY = 1, std::uint32_t groupsZ = 1)
    {
        static_assert(sizeof(Push) <= kPushConstantBytes);
        dispatch(pipeline, bindings, std::as_bytes(std::span(&push, 1)), groupsX, groupsY, groupsZ);
    }
    void copy(BufferRange from, BufferRange to);

    // Copies `bytes` into memory the GPU reads during this submission (token ids); valid until submit().
    BufferRange upload(std::span<const std::byte> bytes);

    // Submits what was recorded and waits for it. A no-op when nothing was recorded.
    void submit();
    // Dispatches recorded since the last submit (for tests and the bench).
    std::uint64_t dispatchCount() const { return totalDispatches_; }

private:
    void begin();
    void barrierIfNeeded(std::initializer_list<Binding> bindings);
    VkDescriptorSet allocateSet(const Pipeline& pipeline);

    Device& device_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    VkCommandBuffer cmd_ = VK_NULL_HANDLE;
    VkFence fence_ = VK_NULL_HANDLE;
    VkDescriptorPool descriptors_ = VK_NULL_HANDLE;
    bool recording_ = false;
    std::set<VkBuffer> writtenSinceBarrier_, readSinceBarrier_;
    Buffer uploads_;
    std::uint64_t uploadUsed_ = 0;
    std::uint64_t totalDispatches_ = 0;
};

} // namespace ponder::vk
