#pragma once
// The Vulkan devices on this machine and what each offers, for `ponder-cli devices`, device pickers and
// the backend's own choice of device.
#include <cstdint>
#include <string>
#include <vector>

namespace ponder {

struct VulkanDeviceInfo {
    int index = 0;          // position in Vulkan's enumeration, what --device INDEX names
    std::string name;       // "NVIDIA H100 80GB HBM3", "llvmpipe (LLVM 15.0.6, 256 bits)"
    std::string type;       // "discrete GPU", "integrated GPU", "virtual GPU", "CPU", "other"
    std::string apiVersion; // "1.3.230"
    std::string driver;     // driver name and version when the driver reports them
    bool fp16 = false;      // shaderFloat16
    bool int8 = false;      // shaderInt8
    bool int8DotProduct = false;      // VK_KHR_shader_integer_dot_product, 4x8-bit packed accelerated
    bool nvCooperativeMatrix = false; // VK_NV_cooperative_matrix is offered
    // Its subgroup-scope shapes with fp16 A and B and fp32 C and D, "MxNxK", as
    // vkGetPhysicalDeviceCooperativeMatrixPropertiesNV lists them; empty without the extension, its
    // cooperativeMatrix feature or support in compute shaders.
    std::vector<std::string> nvCooperativeMatrixShapes;
    bool vulkanMemoryModel = false; // the vulkanMemoryModel feature, which cooperative-matrix shaders need
    std::uint32_t subgroupSize = 0;
    bool subgroupArithmetic = false; // subgroupAdd & co. in compute shaders
    std::uint32_t sharedMemoryBytes = 0;        // maxComputeSharedMemorySize
    std::uint64_t maxStorageBufferRange = 0;
    std::uint64_t maxAllocationBytes = 0;       // maxMemoryAllocationSize
    std::uint64_t deviceLocalBytes = 0;         // sum of DEVICE_LOCAL heaps
    std::uint64_t hostVisibleDeviceLocalBytes = 0; // UMA or resizable BAR: weights written in place
    std::vector<std::uint64_t> heapBytes;
    int rank = 0; // preference when nothing is named: discrete > integrated > virtual > CPU
};

// Every device the Vulkan loader reports. Throws ponder::Error when Vulkan itself is missing (no loader or
// no driver); returns an empty list when Vulkan works but exposes no device.
std::vector<VulkanDeviceInfo> listVulkanDevices();

// One line per property, for `ponder-cli devices`.
std::string describe(const VulkanDeviceInfo& device);

} // namespace ponder
