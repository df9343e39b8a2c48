#pragma once
// Compute pipelines made from the embedded SPIR-V (shaders/), on first use, by variant name. Every pipeline
// has one descriptor set of storage buffers (binding i = the shader's i-th buffer) and 128 bytes of push
// constants.
#include <vulkan/vulkan.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ponder::vk {

class Device;

struct Pipeline {
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    std::uint32_t bindings = 0;
};

constexpr std::uint32_t kPushConstantBytes = 128;
// The most storage buffers one shader binds (qk_norm_rope_store: 9). Desktop drivers allow far more per
// stage; get() checks the device's maxPerStageDescriptorStorageBuffers.
constexpr std::uint32_t kMaxBindings = 10;

class Pipelines {
public:
    explicit Pipelines(Device& device) : device_(device) {}
    ~Pipelines();
    Pipelines(const Pipelines&) = delete;
    Pipelines& operator=(const Pipelines&) = delete;

    // The pipeline of shader variant `name` with `bindings` storage buffers, its specialization constants
    // 0, 1, ... set to `constants`.
    const Pipeline& get(const std::string& name, std::uint32_t bindings,
                        const std::vector<std::uint32_t>& constants = {});

private:
    Device& device_;
    std::map<std::string, Pipeline> pipelines_;
};

} // namespace ponder::vk
