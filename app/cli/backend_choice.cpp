#include "backend_choice.h"

#include "backend/cpu/cpu_backend.h"
#include "backend/vulkan/vulkan_backend.h"
#include "backend/vulkan/vulkan_devices.h"
#include "core/error.h"

#include <algorithm>

namespace ponder::cli {
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

void addBackendOptions(std::set<std::string>& values)
{
    values.insert("backend");
    values.insert("device");
}

BackendChoice backendChoice(const CliArgs& cli)
{
    BackendChoice choice;
    choice.backend = cli.value("backend").value_or("auto");
    choice.device = cli.value("device").value_or("");
    if (!choice.device.empty() && choice.backend == "cpu")
        throw UsageError("--device names a Vulkan device; it does not go with --backend cpu");
    return choice;
}

std::unique_ptr<Backend> createBackend(const BackendChoice& choice)
{
    if (choice.backend == "cpu")
        return createCpuBackend();
    if (choice.backend == "vulkan" || (choice.backend == "auto" && (!choice.device.empty() || machineHasVulkanGpu())))
        return createVulkanBackend({choice.device, false});
    if (choice.backend == "auto")
        return createCpuBackend();
    throw UsageError("--backend: '" + choice.backend + "' is not one of cpu, vulkan, auto");
}

} // namespace ponder::cli
