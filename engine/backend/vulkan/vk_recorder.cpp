#include "backend/vulkan/vk_recorder.h"

#include "backend/vulkan/vk_check.h"
#include "core/error.h"

#include <cstring>

namespace ponder::vk {
namespace {

constexpr std::uint32_t kSetsPerSubmit = 4096;
constexpr std::uint32_t kMaxBindings = 8;
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

    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kSetsPerSubmit * kMaxBindings};
    VkDescriptorPoolCreateInfo descriptorInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    descriptorInfo.maxSets = kSetsPerSubmit;
    descriptorInfo.poolSizeCount = 1;
    descriptorInfo.pPoolSizes = &size;
    check(vkCreateDescriptorPool(d, &descriptorInfo, nullptr, &descriptors_), "creating a descriptor pool");
    uploads_ = Buffer(device, kInitialUploadBytes, MemoryUse::Staging, "token ids");
}

Recorder::~Recorder()
{
    const VkDevice d = device_.handle();
    if (recording_)
        vkEndCommandBuffer(cmd_);
    vkDeviceWaitIdle(d);
    vkDestroyDescriptorPool(d, descriptors_, nullptr);
    vkDestroyFence(d, fence_, nullptr);
    vkDestroyCommandPool(d, pool_, nullptr);
}

void Recorder::begin()
{
    if (recording_)
        return;
    VkCommandBufferBeginInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    info.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    device_.checkResult(vkBeginCommandBuffer(cmd_, &info), "starting a command buffer");
    recording_ = true;
}

void Recorder::barrierIfNeeded(std::initializer_list<Binding> bindings)
{
    bool needed = false;
    for (const Binding& b : bindings)
        if (writtenSinceBarrier_.count(b.range.buffer) || (b.written && readSinceBarrier_.count(b.range.buffer)))
            needed = true;
    if (needed) {
        fullBarrier(cmd_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                    VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                        VK_ACCESS_TRANSFER_WRITE_BIT);
        writtenSinceBarrier_.clear();
        readSinceBarrier_.clear();
    }
    for (const Binding& b : bindings)
        (b.written ? writtenSinceBarrier_ : readSinceBarrier_).insert(b.range.buffer);
}

VkDescriptorSet Recorder::allocateSet(const Pipeline& pipeline)
{
    VkDescriptorSetAllocateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    info.descriptorPool = descriptors_;
    info.descriptorSetCount = 1;
    info.pSetLayouts = &pipeline.setLayout;
    VkDescriptorSet set = VK_NULL_HANDLE;
    VkResult result = vkAllocateDescriptorSets(device_.handle(), &info, &set);
    if (result == VK_ERROR_OUT_OF_POOL_MEMORY || result == VK_ERROR_FRAGMENTED_POOL) {
        submit(); // runs what is recorded and frees every set
        begin();
        result = vkAllocateDescriptorSets(device_.handle(), &info, &set);
    }
    device_.checkResult(result, "allocating descriptors");
    return set;
}

void Recorder::dispatch(const Pipeline& pipeline, std::initializer_list<Binding> bindings,
                        std::span<const std::byte> push, std::uint32_t groupsX, std::uint32_t groupsY,
                        std::uint32_t groupsZ)
{
    if (bindings.size() != pipeline.bindings || bindings.size() > kMaxBindings)
        throw Error("Vulkan: a dispatch passed " + std::to_string(bindings.size()) + " buffers to a shader taking " +
                    std::to_string(pipeline.bindings));
    if (groupsX == 0 || groupsY == 0 || groupsZ == 0)
        return;
    const auto& limits = device_.limits();
    if (groupsX > limits.maxComputeWorkGroupCount[0] || groupsY > limits.maxComputeWorkGroupCount[1] ||
        groupsZ > limits.maxComputeWorkGroupCount[2])
        throw Error("Vulkan: a dispatch of " + std::to_string(groupsX) + "x" + std::to_string(groupsY) + "x" +
                    std::to_string(groupsZ) + " workgroups exceeds the device's limit");
    begin();
    const VkDescriptorSet set = allocateSet(pipeline);
    VkDescriptorBufferInfo infos[kMaxBindings];
    VkWriteDescriptorSet writes[kMaxBindings];
    std::uint32_t i = 0;
    for (const Binding& b : bindings) {
        infos[i] = {b.range.buffer, b.range.offset, b.range.size};
        writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[i].dstSet = set;
        writes[i].dstBinding = i;
        writes[i].descriptorCount = 1;
        writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[i].pBufferInfo = &infos[i];
        ++i;
    }
    vkUpdateDescriptorSets(device_.handle(), i, writes, 0, nullptr);

    barrierIfNeeded(bindings);
    vkCmdBindPipeline(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.pipeline);
    vkCmdBindDescriptorSets(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout, 0, 1, &set, 0, nullptr);
    if (!push.empty()) {
        // Push constants are read in whole 4-byte words; pad a short block with zeros.
        std::byte padded[kPushConstantBytes] = {};
        std::memcpy(padded, push.data(), push.size());
        vkCmdPushConstants(cmd_, pipeline.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0,
                           static_cast<std::uint32_t>((push.size() + 3) & ~std::size_t{3}), padded);
    }
    vkCmdDispatch(cmd_, groupsX, groupsY, groupsZ);
    ++totalDispatches_;
}

void Recorder::copy(BufferRange from, BufferRange to)
{
    begin();
    barrierIfNeeded({reads(from), writes(to)});
    VkBufferCopy region{from.offset, to.offset, std::min(from.size, to.size)};
    vkCmdCopyBuffer(cmd_, from.buffer, to.buffer, 1, &region);
}

BufferRange Recorder::upload(std::span<const std::byte> bytes)
{
    const std::uint64_t alignment = std::max<std::uint64_t>(device_.limits().minStorageBufferOffsetAlignment, 16);
    const std::uint64_t size = std::max<std::uint64_t>(bytes.size(), 4);
    std::uint64_t offset = (uploadUsed_ + alignment - 1) / alignment * alignment;
    if (offset + size > uploads_.size()) {
        submit(); // the GPU is done with earlier uploads: start over (bigger when needed)
        if (size > uploads_.size())
            uploads_ = Buffer(device_, std::max(size, 2 * uploads_.size()), MemoryUse::Staging, "token ids");
        offset = 0;
    }
    std::memcpy(uploads_.mapped() + offset, bytes.data(), bytes.size());
    uploadUsed_ = offset + size;
    return {uploads_.handle(), offset, size};
}

void Recorder::submit()
{
    if (!recording_)
        return;
    // Make every write visible to the host: readRow reads mapped memory after the fence.
    fullBarrier(cmd_, VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    recording_ = false;
    device_.checkResult(vkEndCommandBuffer(cmd_), "recording commands");
    VkSubmitInfo info{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    info.commandBufferCount = 1;
    info.pCommandBuffers = &cmd_;
    device_.checkResult(vkQueueSubmit(device_.queue(), 1, &info, fence_), "submitting work to the GPU");
    device_.checkResult(vkWaitForFences(device_.handle(), 1, &fence_, VK_TRUE, UINT64_MAX), "waiting for the GPU");
    vkResetFences(device_.handle(), 1, &fence_);
    vkResetCommandBuffer(cmd_, 0);
    vkResetDescriptorPool(device_.handle(), descriptors_, 0);
    writtenSinceBarrier_.clear();
    readSinceBarrier_.clear();
    uploadUsed_ = 0;
}

} // namespace ponder::vk
