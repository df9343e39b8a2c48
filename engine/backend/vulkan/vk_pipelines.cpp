#include "backend/vulkan/vk_pipelines.h"

#include "backend/vulkan/vk_check.h"
#include "backend/vulkan/vk_device.h"
#include "core/error.h"
#include "spirv_registry.h"

#include <algorithm>
#include <vector>

namespace ponder::vk {

Pipelines::~Pipelines()
{
    const VkDevice device = device_.handle();
    for (auto& [name, p] : pipelines_) {
        vkDestroyPipeline(device, p.pipeline, nullptr);
        vkDestroyPipelineLayout(device, p.layout, nullptr);
        vkDestroyDescriptorSetLayout(device, p.setLayout, nullptr);
    }
}

const Pipeline& Pipelines::get(const std::string& name, std::uint32_t bindings,
                               const std::vector<std::uint32_t>& constants)
{
    std::string key = name;
    for (std::uint32_t c : constants)
        key += "/" + std::to_string(c);
    if (auto found = pipelines_.find(key); found != pipelines_.end()) {
        if (found->second.bindings != bindings)
            throw Error("Vulkan: shader " + name + " asked for with " + std::to_string(bindings) + " buffers, made with " +
                        std::to_string(found->second.bindings));
        return found->second;
    }
    if (bindings > kMaxBindings || bindings > device_.limits().maxPerStageDescriptorStorageBuffers)
        throw Error("Vulkan: shader " + name + " binds " + std::to_string(bindings) + " storage buffers; '" +
                    device_.info().name + "' allows " +
                    std::to_string(std::min(kMaxBindings, device_.limits().maxPerStageDescriptorStorageBuffers)));
    const VkDevice device = device_.handle();
    const auto words = shaders::spirv(name);
    Pipeline p;
    p.bindings = bindings;

    std::vector<VkDescriptorSetLayoutBinding> layoutBindings(bindings);
    for (std::uint32_t i = 0; i < bindings; ++i)
        layoutBindings[i] = {i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    setInfo.bindingCount = bindings;
    setInfo.pBindings = layoutBindings.data();
    check(vkCreateDescriptorSetLayout(device, &setInfo, nullptr, &p.setLayout), "creating the layout of " + name);

    VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, kPushConstantBytes};
    VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &p.setLayout;
    layoutInfo.pushConstantRangeCount = 1;
    layoutInfo.pPushConstantRanges = &push;
    check(vkCreatePipelineLayout(device, &layoutInfo, nullptr, &p.layout), "creating the pipeline layout of " + name);

    VkShaderModuleCreateInfo moduleInfo{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    moduleInfo.codeSize = words.size_bytes();
    moduleInfo.pCode = words.data();
    VkShaderModule module;
    check(vkCreateShaderModule(device, &moduleInfo, nullptr, &module), "loading shader " + name);

    VkComputePipelineCreateInfo pipelineInfo{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    pipelineInfo.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    pipelineInfo.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    pipelineInfo.stage.module = module;
    pipelineInfo.stage.pName = "main";
    std::vector<VkSpecializationMapEntry> entries;
    for (std::uint32_t i = 0; i < constants.size(); ++i)
        entries.push_back({i, i * 4u, 4u});
    VkSpecializationInfo specialization{static_cast<std::uint32_t>(entries.size()), entries.data(),
                                        constants.size() * 4u, constants.data()};
    if (!constants.empty())
        pipelineInfo.stage.pSpecializationInfo = &specialization;
    pipelineInfo.layout = p.layout;
    const VkResult result = vkCreateComputePipelines(device, VK_NULL_HANDLE, 1, &pipelineInfo, nullptr, &p.pipeline);
    vkDestroyShaderModule(device, module, nullptr);
    check(result, "compiling shader " + name);
    return pipelines_.emplace(key, p).first->second;
}

} // namespace ponder::vk
