// `ponder-cli devices [--json]`: the Vulkan devices and what each offers, and which one --backend vulkan
// picks when no --device is given.
#include "backend/vulkan/vulkan_backend.h"
#include "backend/vulkan/vulkan_devices.h"
#include "cli_args.h"
#include "commands.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace ponder::cli {

int runDevices(const Args& args)
{
    const CliArgs cli(args, {}, {"json"});
    if (!cli.positionals().empty())
        throw UsageError("devices takes no arguments");
    const auto devices = listVulkanDevices();
    const int chosen = devices.empty() ? -1 : selectVulkanDevice(devices, "").index;
    if (cli.flag("json")) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& d : devices)
            list.push_back({{"index", d.index},
                            {"name", d.name},
                            {"type", d.type},
                            {"default", d.index == chosen},
                            {"vulkan", d.apiVersion},
                            {"driver", d.driver},
                            {"fp16", d.fp16},
                            {"int8", d.int8},
                            {"int8_dot_product", d.int8DotProduct},
                            {"nv_cooperative_matrix", d.nvCooperativeMatrix},
                            {"subgroup_size", d.subgroupSize},
                            {"subgroup_arithmetic", d.subgroupArithmetic},
                            {"shared_memory_bytes", d.sharedMemoryBytes},
                            {"max_storage_buffer_range", d.maxStorageBufferRange},
                            {"max_allocation_bytes", d.maxAllocationBytes},
                            {"device_local_bytes", d.deviceLocalBytes},
                            {"host_visible_device_local_bytes", d.hostVisibleDeviceLocalBytes},
                            {"heap_bytes", d.heapBytes}});
        std::cout << list.dump(2) << '\n';
        return 0;
    }
    if (devices.empty()) {
        std::puts("no Vulkan device found (ponder-cli runs on the CPU backend)");
        return 0;
    }
    for (const auto& d : devices)
        std::cout << describe(d) << (d.index == chosen ? "   (used by --backend vulkan)\n" : "");
    return 0;
}

} // namespace ponder::cli
