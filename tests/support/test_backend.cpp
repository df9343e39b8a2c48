#include "test_backend.h"

#include "backend/cpu/cpu_backend.h"
#include "backend/vulkan/vulkan_backend.h"

#include <QString>
#include <QtGlobal>

namespace ponder::test {

bool testingVulkan() { return qEnvironmentVariable("PONDER_TEST_BACKEND") == "vulkan"; }

std::unique_ptr<Backend> makeTestBackend(unsigned cpuThreads)
{
    if (testingVulkan()) {
        VulkanOptions options{"", true};
        options.topLogits = VulkanOptions::TopLogits::Gpu; // the shader path, though lavapipe would use the host
        return createVulkanBackend(options);
    }
    return createCpuBackend(cpuThreads);
}

bool noValidationMessages(const Backend& backend)
{
    const auto* vulkan = dynamic_cast<const VulkanBackend*>(&backend);
    if (!vulkan)
        return true;
    const auto messages = vulkan->validationMessages();
    for (const auto& m : messages)
        qWarning("Vulkan validation: %s", m.c_str());
    return messages.empty();
}

} // namespace ponder::test
