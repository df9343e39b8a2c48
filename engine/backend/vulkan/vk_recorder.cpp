#include "backend/vulkan/vk_recorder.h"

#include "backend/vulkan/vk_check.h"
#include "core/error.h"

#include <cstring>
#include <set>

namespace ponder::vk {
namespace {

constexpr std::size_t kInitialSets = 1024;
constexpr std::uint64_t kInitialUploadBytes = 1 << 20;

void fullBarrier(VkCommandBuffer cmd, VkPipelineStageFlags dstStage, VkAccessFlags dstAccess)
{
    VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    barrier.dstAccessMask = dstAccess;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, dstStage, 0, 1,
                         &barrier, 0, nullptr, 0, nullptr);
}

} // namespace

Recorder::Recorder(Device& device) : device_(device)
{
    const VkDevice d = device.handle();
    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    poolInfo.queueFamilyIndex = device.queueFamily();
    check(vkCreateCommandPool(d, &poolInfo, nullptr, &pool_), "creating a command pool");
    VkCommandBufferAllocateInfo allocate{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocate.commandPool = pool_;
    allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocate.commandBufferCount = 1;
    check(vkAllocateCommandBuffers(d, &allocate, &cmd_), "allocating a command buffer");
    VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    check(vkCreateFence(d, &fenceInfo, nullptr, &fence_), "creating a fence");
    ensureDescriptorCapacity(kInitialSets);
    uploads_ = Buffer(device, kInitialUploadBytes, MemoryUse::Staging, "token ids and positions");
    device_.setReleaseHook([this](VkBuffer buffer) { submitIfNamed(buffer); });
}

Recorder::~Recorder()
{
    device_.setReleaseHook({});
    const VkDevice d = device_.handle();
    vkDeviceWaitIdle(d);
    vkDestroyDescriptorPool(d, descriptors_, nullptr);
    vkDestroyFence(d, fence_, nullptr);
    vkDestroyCommandPool(d, pool_, nullptr);
}

void Recorder::submitIfNamed(VkBuffer buffer) noexcept
{
    for (const Command& c : pending_)
        for (std::uint32_t i = 0; i < c.bindingCount; ++i)
            if (c.bindings[i].range.buffer == buffer) {
                try {
                    submit();
                } catch (...) { // a lost device: the work can no longer run, so it is dropped
                    pending_.clear();
                    uploadUsed_ = 0;
                }
                return;
            }
}

void Recorder::ensureDescriptorCapacity(std::size_t sets)
{
    if (descriptors_ && sets <= descriptorCapacity_)
        return;
    const VkDevice d = device_.handle();
    if (descriptors_)
        vkDestroyDescriptorPool(d, descriptors_, nullptr);
    descriptorCapacity_ = std::max(sets, 2 * descriptorCapacity_);
    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                              static_cast<std::uint32_t>(descriptorCapacity_ * kMaxBindings)};
    VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    info.maxSets = static_cast<std::uint32_t>(descriptorCapacity_);
    info.poolSizeCount = 1;
    info.pPoolSizes = &size;
    check(vkCreateDescriptorPool(d, &info, nullptr, &descriptors_), "creating a descriptor pool");
}

void Recorder::dispatch(const Pipeline& pipeline, std::initializer_list<Binding> bindings,
                        std::span<const std::byte> push, std::uint32_t groupsX, std::uint32_t groupsY,
                        std::uint32_t groupsZ)
{
    Command c;
    if (bindings.size() != pipeline.bindings || bindings.size() > c.bindings.size())
        throw Error("Vulkan: a dispatch passed " + std::to_string(bindings.size()) + " buffers to a shader taking " +
                    std::to_string(pipeline.bindings));
    if (groupsX == 0 || groupsY == 0 || groupsZ == 0)
        return;
    const auto& limits = device_.limits();
    if (groupsX > limits.maxComputeWorkGroupCount[0] || groupsY > limits.maxComputeWorkGroupCount[1] ||
        groupsZ > limits.maxComputeWorkGroupCount[2])
        throw Error("Vulkan: a dispatch of " + std::to_string(groupsX) + "x" + std::to_string(groupsY) + "x" +
                    std::to_string(groupsZ) + " workgroups exceeds the device's limit");
    c.pipeline = &pipeline;
    for (const Binding& b : bindings)
        c.bindings[c.bindingCount++] = b;
    std::memcpy(c.push.data(), push.data(), push.size());
    c.pushBytes = static_cast<std::uint32_t>((push.size() + 3) & ~std::size_t{3}); // whole words, zero-padded
    c.groups[0] = groupsX;
    c.groups[1] = groupsY;
    c.groups[2] = groupsZ;
    pending_.push_back(c);
    ++dispatches_;
}

void Recorder::copy(BufferRange from, BufferRange to)
{
    Command c;
    c.bindings[0] = reads(from);
    c.bindings[1] = writes(to);
    c.bindingCount = 2;
    pending_.push_back(c);
}

BufferRange Recorder::upload(std::span<const std::byte> bytes)
{
    const std::uint64_t alignment = std::max<std::uint64_t>(device_.limits().minStorageBufferOffsetAlignment, 16);
    const std::uint64_t size = std::max<std::uint64_t>(bytes.size(), 4);
    std::uint64_t offset = (uploadUsed_ + alignment - 1) / alignment * alignment;
    if (offset + size > uploads_.size()) {
        submit(); // the GPU is done with earlier uploads: start over (bigger when needed)
        if (size > uploads_.size())
            uploads_ = Buffer(device_, std::max(size, 2 * uploads_.size()), MemoryUse::Staging,
                              "token ids and positions");
        offset = 0;
    }
    std::memcpy(uploads_.mapped() + offset, bytes.data(), bytes.size());
    uploadUsed_ = offset + size;
    return {uploads_.handle(), offset, size};
}

void Recorder::record()
{
    const VkDevice d = device_.handle();
    device_.checkResult(vkResetCommandBuffer(cmd_, 0), "resetting a command buffer");
    vkResetDescriptorPool(d, descriptors_, 0);
    ensureDescriptorCapacity(pending_.size());

    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    device_.checkResult(vkBeginCommandBuffer(cmd_, &begin), "starting a command buffer");
    std::set<VkBuffer> written, read; // since the last barrier
    for (const Command& c : pending_) {
        const std::span<const Binding> bindings(c.bindings.data(), c.bindingCount);
        bool needed = false;
        for (const Binding& b : bindings)
            if (written.count(b.range.buffer) || (b.written && read.count(b.range.buffer)))
                needed = true;
        if (needed) {
            fullBarrier(cmd_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                            VK_ACCESS_TRANSFER_WRITE_BIT);
            written.clear();
            read.clear();
        }
        for (const Binding& b : bindings)
            (b.written ? written : read).insert(b.range.buffer);

        if (!c.pipeline) {
            const BufferRange from = c.bindings[0].range, to = c.bindings[1].range;
            VkBufferCopy region{from.offset, to.offset, std::min(from.size, to.size)};
            vkCmdCopyBuffer(cmd_, from.buffer, to.buffer, 1, &region);
            continue;
        }
        VkDescriptorSetAllocateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        info.descriptorPool = descriptors_;
        info.descriptorSetCount = 1;
        info.pSetLayouts = &c.pipeline->setLayout;
        VkDescriptorSet set = VK_NULL_HANDLE;
        device_.checkResult(vkAllocateDescriptorSets(d, &info, &set), "allocating descriptors");
        VkDescriptorBufferInfo infos[kMaxBindings];
        VkWriteDescriptorSet writes[kMaxBindings];
        for (std::uint32_t i = 0; i < c.bindingCount; ++i) {
            infos[i] = {c.bindings[i].range.buffer, c.bindings[i].range.offset, c.bindings[i].range.size};
            writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
            writes[i].dstSet = set;
            writes[i].dstBinding = i;
            writes[i].descriptorCount = 1;
            writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
            writes[i].pBufferInfo = &infos[i];
        }
        vkUpdateDescriptorSets(d, c.bindingCount, writes, 0, nullptr);
        vkCmdBindPipeline(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, c.pipeline->pipeline);
        vkCmdBindDescriptorSets(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, c.pipeline->layout, 0, 1, &set, 0, nullptr);
        if (c.pushBytes > 0)
            vkCmdPushConstants(cmd_, c.pipeline->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, c.pushBytes, c.push.data());
        vkCmdDispatch(cmd_, c.groups[0], c.groups[1], c.groups[2]);
    }
    // Make every write visible to the host: readRow reads mapped memory after the fence.
    fullBarrier(cmd_, VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    device_.checkResult(vkEndCommandBuffer(cmd_), "recording commands");
    recorded_.swap(pending_);
    recordedGeneration_ = device_.bufferGeneration();
    haveRecording_ = true;
}

void Recorder::submit()
{
    if (pending_.empty())
        return;
    if (haveRecording_ && pending_ == recorded_ && recordedGeneration_ == device_.bufferGeneration())
        ++replayed_; // the same commands over the same buffers: submit the recording as it is
    else
        record();
    pending_.clear();
    uploadUsed_ = 0;
    VkSubmitInfo info{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    info.commandBufferCount = 1;
    info.pCommandBuffers = &cmd_;
    device_.checkResult(vkQueueSubmit(device_.queue(), 1, &info, fence_), "submitting work to the GPU");
    device_.checkResult(vkWaitForFences(device_.handle(), 1, &fence_, VK_TRUE, UINT64_MAX), "waiting for the GPU");
    vkResetFences(device_.handle(), 1, &fence_);
}

} // namespace ponder::vk
