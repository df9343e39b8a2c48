#pragma once
// One logical device with one compute queue, and the buffers made on it. Picks memory types once:
// device-local for weights and activations (host-visible too when the device offers it in a large heap:
// UMA and resizable BAR, so uploads are plain memcpy), host-visible for staging and readback.
#include "backend/vulkan/vk_instance.h"
#include "backend/vulkan/vulkan_devices.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace ponder::vk {

enum class MemoryUse {
    Device,   // weights, activations, KV cache
    Staging,  // CPU writes, GPU reads (uploads, token ids)
    Readback, // GPU writes, CPU reads (logits)
};

class Device;

// The N of the cooperative-matrix shape (16 x N x 16, fp16 x fp16 + fp32, subgroup scope) the shaders can use
// on this device: 16 or 8 (shaders/matmul_coopmat.comp's two variants), or 0 when the device lacks
// VK_NV_cooperative_matrix, such a shape, shaderFloat16, the Vulkan memory model or a subgroup size of 32.
int nvCooperativeMatrixN(const VulkanDeviceInfo& device);

// A VkBuffer with its own memory; mapped for its lifetime when the memory is host-visible.
class Buffer {
public:
    Buffer() = default;
    Buffer(Device& device, std::uint64_t bytes, MemoryUse use, const std::string& purpose);
    ~Buffer();
    Buffer(Buffer&& other) noexcept;
    Buffer& operator=(Buffer&& other) noexcept;

    VkBuffer handle() const { return buffer_; }
    std::uint64_t size() const { return size_; }
    // Host pointer to the whole buffer, or nullptr when its memory is not host-visible.
    std::uint8_t* mapped() const { return mapped_; }

private:
    void release();

    Device* owner_ = nullptr;
    std::uint64_t allocated_ = 0; // bytes of device memory, returned to the owner's count when released
    VkDevice device_ = VK_NULL_HANDLE;
    VkBuffer buffer_ = VK_NULL_HANDLE;
    VkDeviceMemory memory_ = VK_NULL_HANDLE;
    std::uint64_t size_ = 0;
    std::uint8_t* mapped_ = nullptr;
};

// A part of a buffer bound to one shader binding.
struct BufferRange {
    VkBuffer buffer = VK_NULL_HANDLE;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
};
inline BufferRange wholeBuffer(const Buffer& b) { return {b.handle(), 0, b.size()}; }

class Device {
public:
    Device(Instance& instance, VkPhysicalDevice physical, VulkanDeviceInfo info);
    ~Device();
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    VkDevice handle() const { return device_; }
    VkQueue queue() const { return queue_; }
    std::uint32_t queueFamily() const { return queueFamily_; }
    const VulkanDeviceInfo& info() const { return info_; }
    const VkPhysicalDeviceLimits& limits() const { return limits_; }

    std::uint32_t memoryType(MemoryUse use) const;
    bool hostVisible(MemoryUse use) const;
    // Bytes still free in the heap behind `use` (VK_EXT_memory_budget when present, else the heap size less
    // what this device allocated).
    std::uint64_t freeBytes(MemoryUse use) const;
    // Called by Buffer for every allocation (+) and release (-). Each also moves the buffer generation on, so
    // a recorded command buffer (vk_recorder) knows whether the buffers it names may have changed.
    void noteAllocated(std::int64_t bytes)
    {
        allocated_ += bytes;
        ++bufferGeneration_;
    }
    std::uint64_t bufferGeneration() const { return bufferGeneration_; }
    // Called by Buffer just before it destroys its VkBuffer. The recorder hooks in here to submit collected
    // work that names the buffer (a KV cache or activations freed while their last commands were never
    // waited for, e.g. logits computed but never read), which would otherwise reach a dead buffer.
    void setReleaseHook(std::function<void(VkBuffer)> hook) { releaseHook_ = std::move(hook); }
    void beforeRelease(VkBuffer buffer)
    {
        if (releaseHook_)
            releaseHook_(buffer);
    }

    // Runs `record` in a one-time command buffer and waits for it (uploads through staging).
    template <typename F> void runNow(F&& record)
    {
        VkCommandBuffer cmd = beginOneTime();
        record(cmd);
        endOneTimeAndWait(cmd);
    }

    // Marks the device lost after VK_ERROR_DEVICE_LOST; every later call that reaches the GPU refuses.
    void checkResult(VkResult result, std::string_view what);

private:
    VkCommandBuffer beginOneTime();
    void endOneTimeAndWait(VkCommandBuffer cmd);
    void pickMemoryTypes();

    Instance& instance_;
    VkPhysicalDevice physical_;
    VulkanDeviceInfo info_;
    VkPhysicalDeviceLimits limits_{};
    VkPhysicalDeviceMemoryProperties memory_{};
    bool memoryBudget_ = false;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    std::uint32_t queueFamily_ = 0;
    VkCommandPool oneTimePool_ = VK_NULL_HANDLE;
    VkFence oneTimeFence_ = VK_NULL_HANDLE;
    std::uint32_t deviceType_ = 0, stagingType_ = 0, readbackType_ = 0;
    std::int64_t allocated_ = 0;
    std::uint64_t bufferGeneration_ = 0;
    std::function<void(VkBuffer)> releaseHook_;
    bool lost_ = false;
};

} // namespace ponder::vk
