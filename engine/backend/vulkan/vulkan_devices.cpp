#include "backend/vulkan/vulkan_devices.h"

#include "backend/vulkan/vk_instance.h"

#include <sstream>

namespace ponder {

std::vector<VulkanDeviceInfo> listVulkanDevices()
{
    vk::Instance instance(false);
    std::vector<VulkanDeviceInfo> devices;
    int index = 0;
    for (VkPhysicalDevice device : instance.physicalDevices())
        devices.push_back(instance.describeDevice(device, index++));
    return devices;
}

namespace {

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

} // namespace

std::string describe(const VulkanDeviceInfo& d)
{
    std::ostringstream out;
    out << d.index << ": " << d.name << " (" << d.type << ")\n"
        << "   Vulkan " << d.apiVersion << ", driver " << d.driver << '\n'
        << "   device-local memory " << mib(d.deviceLocalBytes);
    if (d.hostVisibleDeviceLocalBytes > 0)
        out << " (" << mib(d.hostVisibleDeviceLocalBytes) << " host-visible)";
    out << ", heaps";
    for (auto heap : d.heapBytes)
        out << ' ' << mib(heap);
    out << '\n'
        << "   fp16 " << (d.fp16 ? "yes" : "no") << ", int8 " << (d.int8 ? "yes" : "no") << ", int8 dot product "
        << (d.int8DotProduct ? "yes" : "no") << ", NV cooperative matrix " << (d.nvCooperativeMatrix ? "yes" : "no");
    if (d.nvCooperativeMatrix) {
        out << " (fp16 x fp16 + fp32 shapes:";
        for (const auto& shape : d.nvCooperativeMatrixShapes)
            out << ' ' << shape;
        if (d.nvCooperativeMatrixShapes.empty())
            out << " none";
        out << (d.vulkanMemoryModel ? "" : "; no Vulkan memory model") << ')';
    }
    out << '\n'
        << "   subgroup " << d.subgroupSize << (d.subgroupArithmetic ? " (arithmetic)" : "") << ", shared memory " << d.sharedMemoryBytes << " bytes, storage range "
        << mib(d.maxStorageBufferRange) << ", largest allocation " << mib(d.maxAllocationBytes) << '\n';
    return out.str();
}

} // namespace ponder
