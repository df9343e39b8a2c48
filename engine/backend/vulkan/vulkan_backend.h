#pragma once
// The Vulkan backend: Qwen3's operations as compute shaders (shaders/) on one Vulkan device.
#include "backend/backend.h"
#include "backend/vulkan/vulkan_devices.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

// The shader behind the prefill mat-mat (more than 8 token rows; fewer use the mat-vec shaders).
enum class VulkanMatmulKernel {
    Fp32Tiles, // matmul.comp: fp32 shared tiles and arithmetic, any device
    Fp16Tiles, // matmul_f16.comp: fp16 shared tiles and products, fp32 sums (devices with shaderFloat16)
    NvCoopmat, // matmul_coopmat.comp: fp16 x fp16 + fp32 cooperative matrices (VK_NV_cooperative_matrix)
};
std::string_view matmulKernelName(VulkanMatmulKernel kernel);

// Whether the prefill mat-mat computes in fp16 (VulkanOptions::fp16Matmul).
enum class VulkanFp16Matmul {
    Auto, // on GPUs with shaderFloat16; off on CPU devices (lavapipe), where the fp32 shader is as fast or
          // faster; the environment variable PONDER_VULKAN_FP16=0 or 1 turns it off or on
    On,   // wherever the device has shaderFloat16
    Off,  // the fp32 shader everywhere (comparisons against fp32 references to 1e-5)
};

struct VulkanOptions {
    // "" picks the best device (discrete > integrated > virtual > CPU); digits name an index from
    // listVulkanDevices(); anything else is matched case-insensitively against device names.
    std::string device;
    // Enable the Khronos validation layer (also PONDER_VULKAN_VALIDATION=1).
    bool validation = false;
    // Keys and values in fp16 (half the memory and bandwidth of attention) or fp32 (to check the rest of
    // the GPU path against fp32 references to 1e-5).
    bool fp32KvCache = false;
    // How the mat-vec shaders spread a weight row, for tests and tuning. 0 chooses by device: one
    // invocation per row on CPU devices; on GPUs one subgroup per row summed with subgroup arithmetic where
    // the device has it, else 16 invocations summed through shared memory. Otherwise: that many invocations
    // per row (a power of two up to 64), with subgroup arithmetic when allowed and it equals the subgroup size.
    std::uint32_t matvecLanes = 0;
    bool matvecSubgroups = true;
    // MoE prefill chunks of more than 8 rows run the routed experts as a grouped mat-mat (each weight tile
    // read once for up to 32 of an expert's slots) when their slots (rows x experts per token) average at
    // least this many per expert, else as per-slot mat-vecs. -1 chooses by device: 0 on GPUs, where the
    // mat-vecs' repeated weight reads cost bandwidth; 16 (half a tile) on CPU devices such as lavapipe, where
    // the mostly-empty tiles of sparsely used experts cost arithmetic (Qwen3-30B-A3B's 64-row chunks average
    // 4 slots per expert). Tests set 0 to check the grouped path on any device.
    std::int64_t moeGroupedMinSlots = -1;
    // Where topLogits picks the highest logits. Auto: on the GPU (shaders/top_k.comp, so a decode step reads
    // back a few numbers instead of the whole row) except on CPU devices such as lavapipe, whose "device
    // memory" is the host's: there reading the row and selecting on the host costs a memcpy, while the
    // shader's sorting network is arithmetic the CPU would run anyway, slower. Tests force Gpu.
    enum class TopLogits { Auto, Gpu, Host };
    TopLogits topLogits = TopLogits::Auto;
    // The prefill mat-mat in fp16 arithmetic (about 5e-4 of the result's scale from the fp32 one).
    VulkanFp16Matmul fp16Matmul = VulkanFp16Matmul::Auto;
    // With fp16 on, NVIDIA's cooperative matrices where the device has them (vk_device.h,
    // nvCooperativeMatrixN); used only after a small GEMM through them agrees with the fp32 shader's when the
    // backend opens (else a note on stderr says why, and the fp16 or fp32 shader runs).
    bool coopmatMatmul = true;
};

class VulkanBackend : public Backend {
public:
    virtual const VulkanDeviceInfo& device() const = 0;
    // The prefill mat-mat shader chosen for this device and these options.
    virtual VulkanMatmulKernel matmulKernel() const = 0;
    // Validation-layer warnings and errors so far (empty without validation).
    virtual std::vector<std::string> validationMessages() const = 0;
    // Compute dispatches recorded since the backend was made (the bench reports dispatches per token).
    virtual std::uint64_t dispatchCount() const = 0;
    // Submissions that replayed the previous recording unchanged (decode steps after the first).
    virtual std::uint64_t replayedSubmissions() const = 0;
    // Whether topLogits selects on the GPU (else it reads the whole row and selects on the host).
    virtual bool topLogitsOnGpu() const = 0;
    // Bytes of weights uploaded to the device.
    virtual std::uint64_t weightBytes() const = 0;
    // Fills the first values.size() / cols rows of an activation from the host (tests set inputs this way).
    virtual void writeRows(Activation& a, std::span<const float> values) = 0;
    // The device's measured memory bandwidth in GB/s: a buffer-to-buffer copy on the device, counting bytes
    // read plus bytes written (as STREAM counts a copy), best of several. The ceiling decode speed is judged by.
    virtual double measureCopyBandwidth() = 0;
};

// Opens the chosen device. Throws ponder::Error with a message naming the problem when Vulkan, a device,
// or the named device is missing; the caller can then fall back to the CPU backend.
std::unique_ptr<VulkanBackend> createVulkanBackend(const VulkanOptions& options = {});

// The device `selector` names among `devices` (see VulkanOptions::device); throws ponder::Error listing
// the devices when none matches.
const VulkanDeviceInfo& selectVulkanDevice(const std::vector<VulkanDeviceInfo>& devices, const std::string& selector);

} // namespace ponder
