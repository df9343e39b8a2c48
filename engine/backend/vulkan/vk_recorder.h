#pragma once
// Collects the backend's operations and runs them when the host needs a result (readRow). Commands are
// kept as plain descriptions until then; if a submission's commands are exactly those of the previous one
// (a decode step: the same dispatches over the same buffers, only the token id and the position differ, and
// those live in the upload buffer, not in the commands) and no buffer was made or freed since, the command
// buffer recorded last time is submitted again: no descriptor or command recording per token.
// When recording, a barrier goes in only where a dispatch reads or writes a buffer that an earlier dispatch
// since the last barrier wrote (or writes one they read), so independent dispatches (the Q, K and V
// projections) run together.
#include "backend/vulkan/vk_device.h"
#include "backend/vulkan/vk_pipelines.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

namespace ponder::vk {

struct Binding {
    BufferRange range;
    bool written = false;
    bool operator==(const Binding& o) const
    {
        return range.buffer == o.range.buffer && range.offset == o.range.offset && range.size == o.range.size &&
               written == o.written;
    }
};
inline Binding reads(BufferRange r) { return {r, false}; }
inline Binding writes(BufferRange r) { return {r, true}; }

class Recorder {
public:
    explicit Recorder(Device& device);
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Runs pipeline with its buffers and push constants over groups (x, y, z) of workgroups.
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

    // Copies `bytes` into host-visible memory the GPU reads during this submission (token ids, positions);
    // valid until submit(). The same sequence of uploads lands at the same offsets every submission. Upload
    // right before the dispatch that reads it: anything in between that submits (a scratch buffer growing,
    // a table made on first use) lets later uploads overwrite it.
    BufferRange upload(std::span<const std::byte> bytes);
    template <typename T> BufferRange uploadValue(const T& value) { return upload(std::as_bytes(std::span(&value, 1))); }

    // Runs what was collected and waits for it. A no-op when nothing was collected.
    void submit();

    std::uint64_t dispatchCount() const { return dispatches_; }     // dispatch() calls so far
    std::uint64_t replayedSubmissions() const { return replayed_; } // submissions that reused the last recording

private:
    struct Command {
        const Pipeline* pipeline = nullptr; // null: a copy from bindings[0] to bindings[1]
        std::array<Binding, kMaxBindings> bindings{};
        std::uint32_t bindingCount = 0;
        std::array<std::byte, kPushConstantBytes> push{};
        std::uint32_t pushBytes = 0;
        std::uint32_t groups[3] = {0, 0, 0};
        bool operator==(const Command& o) const
        {
            return pipeline == o.pipeline && bindings == o.bindings && bindingCount == o.bindingCount &&
                   push == o.push && pushBytes == o.pushBytes && groups[0] == o.groups[0] &&
                   groups[1] == o.groups[1] && groups[2] == o.groups[2];
        }
    };

    void record();
    void ensureDescriptorCapacity(std::size_t sets);
    // Submits the collected commands if one of them names `buffer`, which is about to be destroyed.
    void submitIfNamed(VkBuffer buffer) noexcept;

    Device& device_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    VkCommandBuffer cmd_ = VK_NULL_HANDLE;
    VkFence fence_ = VK_NULL_HANDLE;
    VkDescriptorPool descriptors_ = VK_NULL_HANDLE;
    std::size_t descriptorCapacity_ = 0;
    std::vector<Command> pending_, recorded_; // collected now; what cmd_ holds
    std::uint64_t recordedGeneration_ = 0;   // the device's buffer generation when cmd_ was recorded
    bool haveRecording_ = false;
    Buffer uploads_;
    std::uint64_t uploadUsed_ = 0;
    std::uint64_t dispatches_ = 0, replayed_ = 0;
};

} // namespace ponder::vk
