#include "library/memory_fit.h"

#include "backend/vulkan/vulkan_devices.h"

#include <QCoreApplication>

#include <unistd.h>

#include <exception>

namespace ponder::library {

MemoryEstimate estimateMemory(const ModelShape& shape, std::int64_t contextLength)
{
    MemoryEstimate e;
    e.weightsBytes = shape.weightsBytes;
    e.kvCacheBytes = shape.layers * shape.kvHeads * shape.headDim * 2 * kKvBytesPerElement * contextLength;
    e.overheadBytes = kMemoryOverheadBytes;
    return e;
}

Fit classifyFit(const MemoryEstimate& estimate, const MachineMemory& machine)
{
    const std::int64_t total = estimate.totalBytes();
    if (machine.gpuBytes > 0) {
        if (total <= machine.gpuBytes)
            return Fit::Gpu;
        if (total <= machine.gpuBytes + machine.ramBytes)
            return Fit::Partial;
        return Fit::None;
    }
    return total <= machine.ramBytes ? Fit::Cpu : Fit::None;
}

QString fitName(Fit fit)
{
    switch (fit) {
    case Fit::Gpu: return QStringLiteral("gpu");
    case Fit::Partial: return QStringLiteral("partial");
    case Fit::Cpu: return QStringLiteral("cpu");
    case Fit::None: return QStringLiteral("none");
    }
    return QStringLiteral("none");
}

QString fitText(Fit fit)
{
    switch (fit) {
    case Fit::Gpu: return QCoreApplication::translate("MemoryFit", "Fits on the GPU");
    case Fit::Partial: return QCoreApplication::translate("MemoryFit", "Fits partly on the GPU, the rest in RAM");
    case Fit::Cpu: return QCoreApplication::translate("MemoryFit", "Runs only on the CPU");
    case Fit::None: return QCoreApplication::translate("MemoryFit", "Does not fit in this computer's memory");
    }
    return {};
}

MachineMemory detectMachineMemory()
{
    MachineMemory machine;
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && pageSize > 0)
        machine.ramBytes = static_cast<std::int64_t>(pages) * pageSize;
    try {
        int bestRank = -1;
        for (const VulkanDeviceInfo& d : listVulkanDevices()) {
            if (d.type == "CPU") // lavapipe / llvmpipe: the CPU's own memory, already counted as RAM
                continue;
            if (d.rank > bestRank || (d.rank == bestRank && static_cast<std::int64_t>(d.deviceLocalBytes) > machine.gpuBytes)) {
                bestRank = d.rank;
                machine.gpuBytes = static_cast<std::int64_t>(d.deviceLocalBytes);
                machine.gpuName = QString::fromStdString(d.name);
            }
        }
    } catch (const std::exception&) {
        // No Vulkan (no loader or no driver): no GPU to count.
    }
    return machine;
}

} // namespace ponder::library
