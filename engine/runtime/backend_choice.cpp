#include "runtime/backend_choice.h"

#include "backend/cpu/cpu_backend.h"
#include "backend/vulkan/vulkan_backend.h"
#include "backend/vulkan/vulkan_devices.h"
#include "core/error.h"

#include <algorithm>

namespace ponder {
namespace {

// Whether a GPU Vulkan device exists; false (not an error) when Vulkan itself is missing.
bool machineHasVulkanGpu()
{
    try {
        const auto devices = listVulkanDevices();
        return std::any_of(devices.begin(), devices.end(), [](const VulkanDeviceInfo& d) { return d.type != "CPU"; });
    } catch (const Error&) {
        return false;
    }
}

} // namespace

bool isBackendName(const std::string& name)
{
    return name == "cpu" || name == "vulkan" || name == "auto";
}

std::unique_ptr<Backend> createBackend(const BackendChoice& choice)
{
    if (!isBackendName(choice.backend))
        throw Error("unknown backend '" + choice.backend + "' (known: cpu, vulkan, auto)");
    if (choice.backend == "cpu")
        return createCpuBackend();
    if (choice.backend == "vulkan" || !choice.device.empty() || machineHasVulkanGpu())
        return createVulkanBackend({choice.device, false});
    return createCpuBackend();
}

} // namespace ponder
