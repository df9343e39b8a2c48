#include "backend/vulkan/vulkan_storage.h"

#include "backend/vulkan/vulkan_ops.h"

#include "core/error.h"
#include "formats/tensor_type.h"

#include <cctype>

namespace ponder::vk {

BufferRange activationRange(const Activation& a, std::string_view op)
{
    if (a.capacityRows() == 0)
        throw Error(std::string(op) + ": activation was never allocated");
    const auto* storage = dynamic_cast<const ActivationBuffer*>(&a.storageAs<ActivationStorage>());
    if (!storage)
        throw Error(std::string(op) + ": activation does not belong to the Vulkan backend");
    const std::uint64_t bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(a.rows(), 1) * a.cols()) * 4;
    return {storage->buffer.handle(), 0, bytes};
}

VulkanKvCache::VulkanKvCache(Device& device, std::int64_t layers, std::int64_t capacity, std::int64_t kvWidth,
                             bool fp32)
    : capacity_(capacity), kvWidth_(kvWidth), fp32_(fp32)
{
    if (capacity < 1)
        throw Error("the KV cache must hold at least one position");
    const std::uint64_t perLayer = static_cast<std::uint64_t>(capacity * kvWidth) * (fp32 ? 4 : 2);
    if (perLayer > device.info().maxStorageBufferRange)
        throw Error("a context of " + std::to_string(capacity) + " positions needs " + std::to_string(perLayer >> 20) +
                    " MiB of keys per layer, more than '" + device.info().name + "' can bind; use a shorter context");
    const std::uint64_t total = perLayer * 2 * static_cast<std::uint64_t>(layers);
    const std::uint64_t available = device.freeBytes(MemoryUse::Device);
    if (total > available)
        throw Error("the KV cache for " + std::to_string(capacity) + " positions needs " + std::to_string(total >> 20) +
                    " MiB of GPU memory, but '" + device.info().name + "' has " + std::to_string(available >> 20) +
                    " MiB free; use a shorter context");
    for (std::int64_t l = 0; l < layers; ++l) {
        keys_.emplace_back(device, perLayer, MemoryUse::Device, "the KV cache");
        values_.emplace_back(device, perLayer, MemoryUse::Device, "the KV cache");
    }
}

VulkanExpertRouting::VulkanExpertRouting(Device& device, std::int64_t capacityRows, std::int64_t expertsPerToken)
    : ids(device, static_cast<std::uint64_t>(capacityRows * expertsPerToken) * 4, MemoryUse::Device, "expert routing"),
      weights(device, static_cast<std::uint64_t>(capacityRows * expertsPerToken) * 4, MemoryUse::Device,
              "expert routing"),
      expertsPerToken_(expertsPerToken)
{
}

BufferRange ScratchBuffer::get(std::uint64_t bytes)
{
    bytes = std::max<std::uint64_t>(bytes, 4);
    if (buffer_.size() < bytes) {
        recorder_.submit(); // recorded work may still use the old buffer
        buffer_ = Buffer(device_, bytes, MemoryUse::Device, purpose_);
    }
    return {buffer_.handle(), 0, bytes};
}

MatvecLayout chooseMatvecLayout(const VulkanDeviceInfo& device, std::uint32_t requestedLanes, bool allowSubgroups)
{
    const bool subgroupFits = allowSubgroups && device.subgroupArithmetic && device.subgroupSize >= 2 &&
                              device.subgroupSize <= 64;
    if (requestedLanes != 0) {
        if (requestedLanes > 64 || (requestedLanes & (requestedLanes - 1)) != 0)
            throw Error("Vulkan: mat-vec lanes must be a power of two up to 64, not " + std::to_string(requestedLanes));
        return {requestedLanes, subgroupFits && requestedLanes == device.subgroupSize};
    }
    if (device.type == "CPU")
        return {1, false};
    if (subgroupFits)
        return {device.subgroupSize, true};
    return {16, false};
}

VulkanMatmulKernel chooseMatmulKernel(const VulkanDeviceInfo& device, VulkanFp16Matmul fp16, bool allowCoopmat)
{
    const bool wanted = fp16 == VulkanFp16Matmul::On || (fp16 == VulkanFp16Matmul::Auto && device.type != "CPU");
    if (!wanted || !device.fp16)
        return VulkanMatmulKernel::Fp32Tiles;
    if (allowCoopmat && nvCooperativeMatrixN(device) != 0)
        return VulkanMatmulKernel::NvCoopmat;
    return VulkanMatmulKernel::Fp16Tiles;
}

void require(bool condition, const char* op, const std::string& message)
{
    if (!condition)
        throw Error(std::string(op) + ": " + message);
}

std::string shaderTypeName(TensorType type)
{
    std::string name(tensorTypeInfo(type).name);
    for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

} // namespace ponder::vk
