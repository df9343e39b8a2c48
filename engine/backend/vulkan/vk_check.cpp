#include "backend/vulkan/vk_check.h"

#include "core/error.h"

namespace ponder::vk {

std::string resultName(VkResult result)
{
    switch (result) {
    case VK_SUCCESS: return "VK_SUCCESS";
    case VK_NOT_READY: return "VK_NOT_READY";
    case VK_TIMEOUT: return "VK_TIMEOUT";
    case VK_INCOMPLETE: return "VK_INCOMPLETE";
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_MEMORY_MAP_FAILED: return "VK_ERROR_MEMORY_MAP_FAILED";
    case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
    case VK_ERROR_FEATURE_NOT_PRESENT: return "VK_ERROR_FEATURE_NOT_PRESENT";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case VK_ERROR_TOO_MANY_OBJECTS: return "VK_ERROR_TOO_MANY_OBJECTS";
    case VK_ERROR_FORMAT_NOT_SUPPORTED: return "VK_ERROR_FORMAT_NOT_SUPPORTED";
    case VK_ERROR_FRAGMENTED_POOL: return "VK_ERROR_FRAGMENTED_POOL";
    case VK_ERROR_OUT_OF_POOL_MEMORY: return "VK_ERROR_OUT_OF_POOL_MEMORY";
    default: return "VkResult " + std::to_string(static_cast<int>(result));
    }
}

void check(VkResult result, std::string_view what)
{
    if (result == VK_SUCCESS)
        return;
    std::string message = "Vulkan: " + std::string(what) + " failed (" + resultName(result) + ")";
    switch (result) {
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
        message += ": the GPU is out of memory; close other GPU programs, use a smaller model or context, or the "
                   "CPU backend";
        break;
    case VK_ERROR_OUT_OF_HOST_MEMORY: message += ": the computer is out of memory"; break;
    case VK_ERROR_DEVICE_LOST:
        message += ": the GPU stopped responding (device lost); its driver may have reset it. The model must be "
                   "loaded again, or use the CPU backend";
        break;
    case VK_ERROR_INCOMPATIBLE_DRIVER:
        message += ": no Vulkan driver is installed (on Debian: apt install mesa-vulkan-drivers)";
        break;
    default: break;
    }
    throw Error(message);
}

} // namespace ponder::vk
