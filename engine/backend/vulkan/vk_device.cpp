#include "backend/vulkan/vk_device.h"

#include "backend/vulkan/vk_check.h"
#include "core/error.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace ponder::vk {
namespace {

bool hasExtension(VkPhysicalDevice device, const char* name)
{
    std::uint32_t count = 0;
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> properties(count);
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, properties.data());
    for (const auto& p : properties)
        if (std::strcmp(p.extensionName, name) == 0)
            return true;
    return false;
}

std::string mib(std::uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; }

} // namespace

int nvCooperativeMatrixN(const VulkanDeviceInfo& device)
{
    if (!device.nvCooperativeMatrix || !device.fp16 || !device.vulkanMemoryModel || device.subgroupSize != 32)
        return 0;
    const auto& shapes = device.nvCooperativeMatrixShapes;
    for (int n : {16, 8})
        if (std::find(shapes.begin(), shapes.end(), "16x" + std::to_string(n) + "x16") != shapes.end())
            return n;
    return 0;
}

// --- Buffer -------------------------------------------------------------------------------------------------

Buffer::Buffer(Device& device, std::uint64_t bytes, MemoryUse use, const std::string& purpose)
    : owner_(&device), device_(device.handle()), size_(bytes)
{
    if (bytes == 0)
        throw Error("Vulkan: cannot make an empty buffer for " + purpose);
    VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.size = bytes;
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    device.checkResult(vkCreateBuffer(device_, &info, nullptr, &buffer_), "creating a buffer for " + purpose);

    VkMemoryRequirements requirements;
    vkGetBufferMemoryRequirements(device_, buffer_, &requirements);
    const std::uint32_t type = device.memoryType(use);
    if (!(requirements.memoryTypeBits & (1u << type))) {
        release();
        throw Error("Vulkan: the device cannot place a buffer for " + purpose + " in the chosen memory type");
    }
    VkMemoryAllocateInfo allocate{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    allocate.allocationSize = requirements.size;
    allocate.memoryTypeIndex = type;
    const VkResult result = vkAllocateMemory(device_, &allocate, nullptr, &memory_);
    if (result != VK_SUCCESS) {
        release();
        device.checkResult(result, "allocating " + mib(bytes) + " for " + purpose);
    }
    device.checkResult(vkBindBufferMemory(device_, buffer_, memory_, 0), "binding memory for " + purpose);
    if (device.hostVisible(use)) {
        void* pointer = nullptr;
        device.checkResult(vkMapMemory(device_, memory_, 0, VK_WHOLE_SIZE, 0, &pointer), "mapping " + purpose);
        mapped_ = static_cast<std::uint8_t*>(pointer);
    }
    allocated_ = requirements.size;
    device.noteAllocated(static_cast<std::int64_t>(allocated_));
}

Buffer::~Buffer() { release(); }

Buffer::Buffer(Buffer&& other) noexcept { *this = std::move(other); }

Buffer& Buffer::operator=(Buffer&& other) noexcept
{
    if (this != &other) {
        release();
        std::swap(owner_, other.owner_);
        std::swap(allocated_, other.allocated_);
        std::swap(device_, other.device_);
        std::swap(buffer_, other.buffer_);
        std::swap(memory_, other.memory_);
        std::swap(size_, other.size_);
        std::swap(mapped_, other.mapped_);
    }
    return *this;
}

void Buffer::release()
{
    if (owner_ && buffer_)
        owner_->beforeRelease(buffer_);
    if (buffer_)
        vkDestroyBuffer(device_, buffer_, nullptr);
    if (memory_)
        vkFreeMemory(device_, memory_, nullptr); // unmaps too
    if (owner_ && allocated_)
        owner_->noteAllocated(-static_cast<std::int64_t>(allocated_));
    allocated_ = 0;
    buffer_ = VK_NULL_HANDLE;
    memory_ = VK_NULL_HANDLE;
    mapped_ = nullptr;
    size_ = 0;
}

// --- Device -------------------------------------------------------------------------------------------------

Device::Device(Instance& instance, VkPhysicalDevice physical, VulkanDeviceInfo info)
    : instance_(instance), physical_(physical), info_(std::move(info))
{
    VkPhysicalDeviceProperties properties;
    vkGetPhysicalDeviceProperties(physical_, &properties);
    limits_ = properties.limits;
    vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);
    pickMemoryTypes();

    std::uint32_t familyCount = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(physical_, &familyCount, nullptr);
    std::vector<VkQueueFamilyProperties> families(familyCount);
    vkGetPhysicalDeviceQueueFamilyProperties(physical_, &familyCount, families.data());
    std::optional<std::uint32_t> family;
    for (std::uint32_t f = 0; f < familyCount && !family; ++f)
        if (families[f].queueFlags & VK_QUEUE_COMPUTE_BIT)
            family = f;
    if (!family)
        throw Error("Vulkan: device '" + info_.name + "' has no compute queue");
    queueFamily_ = *family;

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queueInfo.queueFamilyIndex = queueFamily_;
    queueInfo.queueCount = 1;
    queueInfo.pQueuePriorities = &priority;

    std::vector<const char*> extensions;
    memoryBudget_ = hasExtension(physical_, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
    if (memoryBudget_)
        extensions.push_back(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
    // Optional shader features, enabled only where the device has them (the validation layer rejects a
    // shader that uses one the device was not created with): fp16 arithmetic for matmul_f16.comp, and
    // for matmul_coopmat.comp NVIDIA's cooperative matrices with the Vulkan memory model.
    VkPhysicalDeviceShaderFloat16Int8Features float16Int8{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES};
    float16Int8.shaderFloat16 = info_.fp16 ? VK_TRUE : VK_FALSE;
    VkPhysicalDeviceVulkanMemoryModelFeatures memoryModel{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_MEMORY_MODEL_FEATURES};
    VkPhysicalDeviceCooperativeMatrixFeaturesNV coopmat{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_COOPERATIVE_MATRIX_FEATURES_NV};
    if (nvCooperativeMatrixN(info_) != 0) {
        extensions.push_back(VK_NV_COOPERATIVE_MATRIX_EXTENSION_NAME);
        coopmat.cooperativeMatrix = VK_TRUE;
        memoryModel.vulkanMemoryModel = VK_TRUE;
        memoryModel.pNext = &coopmat;
        float16Int8.pNext = &memoryModel;
    }
    VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    deviceInfo.pNext = &float16Int8;
    deviceInfo.queueCreateInfoCount = 1;
    deviceInfo.pQueueCreateInfos = &queueInfo;
    deviceInfo.enabledExtensionCount = static_cast<std::uint32_t>(extensions.size());
    deviceInfo.ppEnabledExtensionNames = extensions.data();
    check(vkCreateDevice(physical_, &deviceInfo, nullptr, &device_), "opening device '" + info_.name + "'");
    vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);

    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT | VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    poolInfo.queueFamilyIndex = queueFamily_;
    check(vkCreateCommandPool(device_, &poolInfo, nullptr, &oneTimePool_), "creating a command pool");
    VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    check(vkCreateFence(device_, &fenceInfo, nullptr, &oneTimeFence_), "creating a fence");
}

Device::~Device()
{
    if (device_) {
        vkDeviceWaitIdle(device_);
        vkDestroyFence(device_, oneTimeFence_, nullptr);
        vkDestroyCommandPool(device_, oneTimePool_, nullptr);
        vkDestroyDevice(device_, nullptr);
    }
}

void Device::pickMemoryTypes()
{
    // The first type with all `required` flags, preferring one that also has `preferred`.
    auto find = [&](VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred,
                    std::uint64_t minHeap) -> std::optional<std::uint32_t> {
        std::optional<std::uint32_t> fallback;
        for (std::uint32_t t = 0; t < memory_.memoryTypeCount; ++t) {
            const auto flags = memory_.memoryTypes[t].propertyFlags;
            if ((flags & required) != required || memory_.memoryHeaps[memory_.memoryTypes[t].heapIndex].size < minHeap)
                continue;
            if ((flags & preferred) == preferred)
                return t;
            if (!fallback)
                fallback = t;
        }
        return fallback;
    };
    const auto local = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
    const auto host = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    // Device-local and host-visible in a heap larger than the classic 256 MiB BAR window: UMA or ReBAR.
    auto deviceType = find(local | host, 0, 512ull << 20);
    if (!deviceType)
        deviceType = find(local, 0, 0);
    auto stagingType = find(host, 0, 0);
    auto readbackType = find(host, VK_MEMORY_PROPERTY_HOST_CACHED_BIT, 0);
    if (!deviceType || !stagingType || !readbackType)
        throw Error("Vulkan: device '" + info_.name + "' lacks the memory types Ponder needs");
    deviceType_ = *deviceType;
    stagingType_ = *stagingType;
    readbackType_ = *readbackType;
}

std::uint32_t Device::memoryType(MemoryUse use) const
{
    switch (use) {
    case MemoryUse::Device: return deviceType_;
    case MemoryUse::Staging: return stagingType_;
    case MemoryUse::Readback: return readbackType_;
    }
    return deviceType_;
}

bool Device::hostVisible(MemoryUse use) const
{
    return memory_.memoryTypes[memoryType(use)].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
}

std::uint64_t Device::freeBytes(MemoryUse use) const
{
    const std::uint32_t heap = memory_.memoryTypes[memoryType(use)].heapIndex;
    if (memoryBudget_) {
        VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT};
        VkPhysicalDeviceMemoryProperties2 properties{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2};
        properties.pNext = &budget;
        vkGetPhysicalDeviceMemoryProperties2(physical_, &properties);
        const auto total = budget.heapBudget[heap], used = budget.heapUsage[heap];
        return total > used ? total - used : 0;
    }
    const auto size = memory_.memoryHeaps[heap].size;
    return size > static_cast<std::uint64_t>(allocated_) ? size - static_cast<std::uint64_t>(allocated_) : 0;
}

void Device::checkResult(VkResult result, std::string_view what)
{
    if (result == VK_ERROR_DEVICE_LOST)
        lost_ = true;
    check(result, what);
}

VkCommandBuffer Device::beginOneTime()
{
    if (lost_)
        throw Error("Vulkan: device '" + info_.name + "' was lost; load the model again");
    VkCommandBufferAllocateInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    info.commandPool = oneTimePool_;
    info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    info.commandBufferCount = 1;
    VkCommandBuffer cmd;
    checkResult(vkAllocateCommandBuffers(device_, &info, &cmd), "allocating a command buffer");
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    vkBeginCommandBuffer(cmd, &begin);
    return cmd;
}

void Device::endOneTimeAndWait(VkCommandBuffer cmd)
{
    checkResult(vkEndCommandBuffer(cmd), "recording an upload");
    VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &cmd;
    checkResult(vkQueueSubmit(queue_, 1, &submit, oneTimeFence_), "submitting an upload");
    checkResult(vkWaitForFences(device_, 1, &oneTimeFence_, VK_TRUE, UINT64_MAX), "waiting for an upload");
    vkResetFences(device_, 1, &oneTimeFence_);
    vkFreeCommandBuffers(device_, oneTimePool_, 1, &cmd);
}

} // namespace ponder::vk
