#pragma once
// Turning VkResult failures into ponder::Error messages a user can act on.
#include <vulkan/vulkan.h>

#include <string>
#include <string_view>

namespace ponder::vk {

// "VK_ERROR_DEVICE_LOST", "VK_ERROR_OUT_OF_DEVICE_MEMORY"...
std::string resultName(VkResult result);

// Throws ponder::Error "Vulkan: <what> failed (<result>)" for any result other than VK_SUCCESS, with a
// plain-words explanation for the failures users meet (out of memory, device lost, no driver).
void check(VkResult result, std::string_view what);

} // namespace ponder::vk
