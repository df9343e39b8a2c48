#pragma once
// Will a model fit this machine? An estimate of the memory running it takes (weights, the KV cache at a
// chosen context, a fixed overhead for activations and buffers) set against the GPU's memory and the RAM.
// The estimate and the classification are pure functions; detectMachineMemory() asks the machine.
#include <QString>

#include <cstdint>

namespace ponder::library {

// Activations, logits, scratch buffers and the runtime itself: a fixed allowance over weights and KV cache.
inline constexpr std::int64_t kMemoryOverheadBytes = 256ll << 20;
inline constexpr std::int64_t kKvBytesPerElement = 2; // fp16 K and V

struct ModelShape {
    std::int64_t weightsBytes = 0; // every tensor's bytes
    std::int64_t layers = 0;
    std::int64_t kvHeads = 0;
    std::int64_t headDim = 0;
};

struct MemoryEstimate {
    std::int64_t weightsBytes = 0;
    std::int64_t kvCacheBytes = 0; // layers × KV heads × head dim × 2 (K and V) × 2 bytes × context
    std::int64_t overheadBytes = 0;
    std::int64_t totalBytes() const { return weightsBytes + kvCacheBytes + overheadBytes; }
};

MemoryEstimate estimateMemory(const ModelShape& shape, std::int64_t contextLength);

struct MachineMemory {
    std::int64_t gpuBytes = 0; // device-local memory of the best real GPU; 0: none (lavapipe is a CPU)
    std::int64_t ramBytes = 0; // physical RAM
    QString gpuName;           // empty without a GPU
};

enum class Fit {
    Gpu,     // everything fits in the GPU's memory
    Partial, // more than the GPU holds, but the GPU and the RAM together hold it
    Cpu,     // no GPU, and the RAM holds it
    None,    // more than the machine has
};

// Gpu when the total fits the GPU; Partial when a GPU is there and the total fits GPU + RAM; Cpu when there is
// no GPU and it fits the RAM; else None.
Fit classifyFit(const MemoryEstimate& estimate, const MachineMemory& machine);

// "gpu", "partial", "cpu", "none": what the list model's role and the CLI's JSON say.
QString fitName(Fit fit);
// "Fits on the GPU", ...: a short sentence for the Models page and the CLI (translated).
QString fitText(Fit fit);

// The best Vulkan device that is a real GPU (listVulkanDevices(); a missing Vulkan means no GPU) and the RAM
// (sysconf). Takes a moment (a Vulkan instance): run it off the GUI thread.
MachineMemory detectMachineMemory();

} // namespace ponder::library
