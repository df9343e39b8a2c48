#pragma once
// The Vulkan instance: created once per backend, optionally with the Khronos validation layer, whose
// messages are collected so tests can fail on any of them.
#include "backend/vulkan/vulkan_devices.h"

#include <vulkan/vulkan.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ponder::vk {

class Instance {
public:
    // `validation`: enable VK_LAYER_KHRONOS_validation (throws when it is not installed). Also enabled by the
    // environment variable PONDER_VULKAN_VALIDATION=1.
    explicit Instance(bool validation);
    ~Instance();
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;

    VkInstance handle() const { return instance_; }
    bool validating() const { return messenger_ != VK_NULL_HANDLE; }

    std::vector<VkPhysicalDevice> physicalDevices() const;
    VulkanDeviceInfo describeDevice(VkPhysicalDevice device, int index) const;

    // Validation warnings and errors so far (each also printed to stderr).
    std::vector<std::string> validationMessages() const;

private:
    static VKAPI_ATTR VkBool32 VKAPI_CALL onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                    VkDebugUtilsMessageTypeFlagsEXT types,
                                                    const VkDebugUtilsMessengerCallbackDataEXT* data, void* self);

    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    mutable std::mutex messagesMutex_;
    std::vector<std::string> messages_;
};

// Whether PONDER_VULKAN_VALIDATION=1 is set.
bool validationRequestedByEnvironment();

} // namespace ponder::vk
