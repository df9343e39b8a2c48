#include "backend/vulkan/vk_instance.h"

#include "backend/vulkan/vk_check.h"
#include "core/error.h"

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace ponder::vk {
namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool hasLayer(const char* name)
{
    std::uint32_t count = 0;
    vkEnumerateInstanceLayerProperties(&count, nullptr);
    std::vector<VkLayerProperties> layers(count);
    vkEnumerateInstanceLayerProperties(&count, layers.data());
    for (const auto& layer : layers)
        if (std::strcmp(layer.layerName, name) == 0)
            return true;
    return false;
}

std::vector<std::string> deviceExtensions(VkPhysicalDevice device)
{
    std::uint32_t count = 0;
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> properties(count);
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, properties.data());
    std::vector<std::string> names;
    for (const auto& p : properties)
        names.emplace_back(p.extensionName);
    return names;
}

bool contains(const std::vector<std::string>& names, const char* name)
{
    for (const auto& n : names)
        if (n == name)
            return true;
    return false;
}

// The subgroup-scope fp16 x fp16 + fp32 shapes VK_NV_cooperative_matrix offers on `device`, "MxNxK".
std::vector<std::string> nvCooperativeMatrixShapes(VkInstance instance, VkPhysicalDevice device)
{
    const auto query = reinterpret_cast<PFN_vkGetPhysicalDeviceCooperativeMatrixPropertiesNV>(
        vkGetInstanceProcAddr(instance, "vkGetPhysicalDeviceCooperativeMatrixPropertiesNV"));
    if (!query)
        return {};
    std::uint32_t count = 0;
    if (query(device, &count, nullptr) != VK_SUCCESS)
        return {};
    std::vector<VkCooperativeMatrixPropertiesNV> list(count, {VK_STRUCTURE_TYPE_COOPERATIVE_MATRIX_PROPERTIES_NV});
    if (query(device, &count, list.data()) != VK_SUCCESS)
        return {};
    std::vector<std::string> shapes;
    for (const auto& m : list)
        if (m.scope == VK_SCOPE_SUBGROUP_NV && m.AType == VK_COMPONENT_TYPE_FLOAT16_NV &&
            m.BType == VK_COMPONENT_TYPE_FLOAT16_NV && m.CType == VK_COMPONENT_TYPE_FLOAT32_NV &&
            m.DType == VK_COMPONENT_TYPE_FLOAT32_NV)
            shapes.push_back(std::to_string(m.MSize) + "x" + std::to_string(m.NSize) + "x" + std::to_string(m.KSize));
    return shapes;
}

std::string versionString(std::uint32_t v)
{
    return std::to_string(VK_API_VERSION_MAJOR(v)) + "." + std::to_string(VK_API_VERSION_MINOR(v)) + "." +
           std::to_string(VK_API_VERSION_PATCH(v));
}

std::pair<std::string, int> typeAndRank(VkPhysicalDeviceType type)
{
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return {"discrete GPU", 4};
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return {"integrated GPU", 3};
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return {"virtual GPU", 2};
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return {"CPU", 1};
    default: return {"other", 0};
    }
}

} // namespace

bool validationRequestedByEnvironment()
{
    const char* value = std::getenv("PONDER_VULKAN_VALIDATION");
    return value && std::strcmp(value, "1") == 0;
}

Instance::Instance(bool validation)
{
    validation = validation || validationRequestedByEnvironment();
    if (validation && !hasLayer(kValidationLayer))
        throw Error("Vulkan validation was requested but the Khronos validation layer is not installed (on Debian: "
                    "apt install vulkan-validationlayers)");

    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "Ponder";
    app.pEngineName = "Ponder";
    app.apiVersion = VK_API_VERSION_1_2;

    VkDebugUtilsMessengerCreateInfoEXT messengerInfo{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    messengerInfo.messageSeverity =
        VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    messengerInfo.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    messengerInfo.pfnUserCallback = &Instance::onMessage;
    messengerInfo.pUserData = this;

    const char* layers[] = {kValidationLayer};
    const char* extensions[] = {VK_EXT_DEBUG_UTILS_EXTENSION_NAME};
    VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    info.pApplicationInfo = &app;
    if (validation) {
        info.enabledLayerCount = 1;
        info.ppEnabledLayerNames = layers;
        info.enabledExtensionCount = 1;
        info.ppEnabledExtensionNames = extensions;
        info.pNext = &messengerInfo; // also reports problems in vkCreateInstance / vkDestroyInstance
    }
    check(vkCreateInstance(&info, nullptr, &instance_), "creating the instance");

    if (validation) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
        if (!create) {
            vkDestroyInstance(instance_, nullptr);
            throw Error("Vulkan: the validation layer is present but VK_EXT_debug_utils is not");
        }
        check(create(instance_, &messengerInfo, nullptr, &messenger_), "creating the validation messenger");
    }
}

Instance::~Instance()
{
    if (messenger_) {
        auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
        if (destroy)
            destroy(instance_, messenger_, nullptr);
    }
    vkDestroyInstance(instance_, nullptr);
}

VKAPI_ATTR VkBool32 VKAPI_CALL Instance::onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                   VkDebugUtilsMessageTypeFlagsEXT,
                                                   const VkDebugUtilsMessengerCallbackDataEXT* data, void* self)
{
    const std::string text = std::string(severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT ? "error" : "warning") +
                             ": " + (data && data->pMessage ? data->pMessage : "(no text)");
    std::cerr << "Vulkan validation " << text << '\n';
    auto* instance = static_cast<Instance*>(self);
    std::lock_guard lock(instance->messagesMutex_);
    instance->messages_.push_back(text);
    return VK_FALSE;
}

std::vector<std::string> Instance::validationMessages() const
{
    std::lock_guard lock(messagesMutex_);
    return messages_;
}

std::vector<VkPhysicalDevice> Instance::physicalDevices() const
{
    std::uint32_t count = 0;
    check(vkEnumeratePhysicalDevices(instance_, &count, nullptr), "listing devices");
    std::vector<VkPhysicalDevice> devices(count);
    check(vkEnumeratePhysicalDevices(instance_, &count, devices.data()), "listing devices");
    devices.resize(count);
    return devices;
}

VulkanDeviceInfo Instance::describeDevice(VkPhysicalDevice device, int index) const
{
    VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    driver.pNext = &subgroup;
    VkPhysicalDeviceMaintenance3Properties maintenance3{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES};
    maintenance3.pNext = &driver;

    const auto extensions = deviceExtensions(device);
    const bool nvCoopmat = contains(extensions, VK_NV_COOPERATIVE_MATRIX_EXTENSION_NAME);
    VkPhysicalDeviceCooperativeMatrixPropertiesNV coopmatProperties{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_COOPERATIVE_MATRIX_PROPERTIES_NV};
    if (nvCoopmat)
        subgroup.pNext = &coopmatProperties;
    VkPhysicalDeviceProperties2 properties{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    properties.pNext = &maintenance3;
    vkGetPhysicalDeviceProperties2(device, &properties);

    VkPhysicalDeviceVulkan12Features features12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceCooperativeMatrixFeaturesNV coopmatFeatures{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_COOPERATIVE_MATRIX_FEATURES_NV};
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    features.pNext = &features12;
    if (nvCoopmat) // an extension's structures are chained only where the device offers it
        features12.pNext = &coopmatFeatures;
    vkGetPhysicalDeviceFeatures2(device, &features);

    const VkPhysicalDeviceLimits& limits = properties.properties.limits;

    VulkanDeviceInfo info;
    info.index = index;
    info.name = properties.properties.deviceName;
    std::tie(info.type, info.rank) = typeAndRank(properties.properties.deviceType);
    info.apiVersion = versionString(properties.properties.apiVersion);
    info.driver = std::string(driver.driverName) + (driver.driverInfo[0] ? std::string(" ") + driver.driverInfo : "");
    info.fp16 = features12.shaderFloat16;
    info.int8 = features12.shaderInt8;
    info.int8DotProduct = contains(extensions, "VK_KHR_shader_integer_dot_product");
    info.nvCooperativeMatrix = nvCoopmat;
    info.vulkanMemoryModel = features12.vulkanMemoryModel;
    if (nvCoopmat && coopmatFeatures.cooperativeMatrix &&
        (coopmatProperties.cooperativeMatrixSupportedStages & VK_SHADER_STAGE_COMPUTE_BIT))
        info.nvCooperativeMatrixShapes = nvCooperativeMatrixShapes(instance_, device);
    info.subgroupSize = subgroup.subgroupSize;
    info.subgroupArithmetic = (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT) &&
                              (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT);
    info.sharedMemoryBytes = limits.maxComputeSharedMemorySize;
    info.maxStorageBufferRange = limits.maxStorageBufferRange;
    info.maxAllocationBytes = maintenance3.maxMemoryAllocationSize;

    VkPhysicalDeviceMemoryProperties memory;
    vkGetPhysicalDeviceMemoryProperties(device, &memory);
    for (std::uint32_t h = 0; h < memory.memoryHeapCount; ++h) {
        info.heapBytes.push_back(memory.memoryHeaps[h].size);
        if (memory.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
            info.deviceLocalBytes += memory.memoryHeaps[h].size;
    }
    for (std::uint32_t t = 0; t < memory.memoryTypeCount; ++t) {
        const auto flags = memory.memoryTypes[t].propertyFlags;
        const auto wanted = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT | VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
        if ((flags & wanted) == wanted) {
            const auto size = memory.memoryHeaps[memory.memoryTypes[t].heapIndex].size;
            info.hostVisibleDeviceLocalBytes = std::max(info.hostVisibleDeviceLocalBytes, size);
        }
    }
    return info;
}

} // namespace ponder::vk
