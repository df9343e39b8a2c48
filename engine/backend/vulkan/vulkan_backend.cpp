#include "backend/vulkan/vulkan_backend.h"

#include "backend/vulkan/vk_device.h"
#include "backend/vulkan/vk_instance.h"
#include "backend/vulkan/vulkan_ops.h"
#include "backend/vulkan/vulkan_storage.h"
#include "core/error.h"
#include "core/token_candidate.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string_view>

namespace ponder {
namespace {

std::string lower(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// VulkanOptions::fp16Matmul, where Auto gives way to PONDER_VULKAN_FP16=0 or 1.
VulkanFp16Matmul fp16Setting(VulkanFp16Matmul option)
{
    const char* value = std::getenv("PONDER_VULKAN_FP16");
    if (option != VulkanFp16Matmul::Auto || value == nullptr)
        return option;
    if (std::string_view(value) == "0")
        return VulkanFp16Matmul::Off;
    if (std::string_view(value) == "1")
        return VulkanFp16Matmul::On;
    return option;
}

class VulkanBackendImpl final : public VulkanBackend {
public:
    explicit VulkanBackendImpl(const VulkanOptions& options)
        : instance_(options.validation), fp32KvCache_(options.fp32KvCache)
    {
        const auto physical = instance_.physicalDevices();
        std::vector<VulkanDeviceInfo> infos;
        for (std::size_t i = 0; i < physical.size(); ++i)
            infos.push_back(instance_.describeDevice(physical[i], static_cast<int>(i)));
        const VulkanDeviceInfo& chosen = selectVulkanDevice(infos, options.device);
        device_ = std::make_unique<vk::Device>(instance_, physical[static_cast<std::size_t>(chosen.index)], chosen);
        ctx_ = std::make_unique<vk::Context>(
            *device_, vk::chooseMatvecLayout(chosen, options.matvecLanes, options.matvecSubgroups));
        ctx_->moeGroupedMinSlots =
            options.moeGroupedMinSlots >= 0 ? options.moeGroupedMinSlots : (chosen.type == "CPU" ? 16 : 0);
        topLogitsOnGpu_ = options.topLogits == VulkanOptions::TopLogits::Gpu ||
                          (options.topLogits == VulkanOptions::TopLogits::Auto && chosen.type != "CPU");
        const VulkanFp16Matmul fp16 = fp16Setting(options.fp16Matmul);
        ctx_->matmulKernel = vk::chooseMatmulKernel(chosen, fp16, options.coopmatMatmul);
        if (ctx_->matmulKernel == VulkanMatmulKernel::NvCoopmat) {
            // Never run on this project's test machines (lavapipe has no cooperative matrices), so it proves
            // itself on the device before it is trusted.
            const std::string problem = checkCoopmatMatmul();
            if (!problem.empty()) {
                ctx_->matmulKernel = vk::chooseMatmulKernel(chosen, fp16, false);
                std::fprintf(stderr, "ponder: Vulkan: not using cooperative matrices on '%s': %s; using %s\n",
                             chosen.name.c_str(), problem.c_str(),
                             std::string(matmulKernelName(ctx_->matmulKernel)).c_str());
            }
        }
    }

    ~VulkanBackendImpl() override
    {
        ctx_.reset(); // everything on the device goes before the device
        device_.reset();
    }

    std::string name() const override { return "vulkan (" + device_->info().name + ")"; }
    const VulkanDeviceInfo& device() const override { return device_->info(); }
    VulkanMatmulKernel matmulKernel() const override { return ctx_->matmulKernel; }
    std::vector<std::string> validationMessages() const override { return instance_.validationMessages(); }
    std::uint64_t dispatchCount() const override { return ctx_->recorder.dispatchCount(); }
    std::uint64_t replayedSubmissions() const override { return ctx_->recorder.replayedSubmissions(); }
    std::uint64_t weightBytes() const override { return ctx_->weights.bytesOnDevice(); }

    void writeRows(Activation& a, std::span<const float> values) override
    {
        const vk::BufferRange range = vk::activationRange(a, "writeRows");
        if (values.size() % static_cast<std::size_t>(a.cols()) != 0 ||
            static_cast<std::int64_t>(values.size()) > a.capacityRows() * a.cols())
            throw Error("writeRows: " + std::to_string(values.size()) + " values do not fill whole rows of the activation");
        ctx_->recorder.submit(); // recorded work may still read the old values
        auto& storage = a.storageAs<vk::ActivationBuffer>();
        if (storage.buffer.mapped()) {
            std::memcpy(storage.buffer.mapped(), values.data(), values.size_bytes());
            return;
        }
        vk::Buffer staging(*device_, values.size_bytes(), vk::MemoryUse::Staging, "writing activations");
        std::memcpy(staging.mapped(), values.data(), values.size_bytes());
        device_->runNow([&](VkCommandBuffer cmd) {
            VkBufferCopy region{0, 0, values.size_bytes()};
            vkCmdCopyBuffer(cmd, staging.handle(), range.buffer, 1, &region);
        });
    }

    double measureCopyBandwidth() override
    {
        ctx_->recorder.submit();
        const std::uint64_t bytes = std::min<std::uint64_t>(256ull << 20, device_->freeBytes(vk::MemoryUse::Device) / 4);
        vk::Buffer from(*device_, bytes, vk::MemoryUse::Device, "measuring bandwidth");
        vk::Buffer to(*device_, bytes, vk::MemoryUse::Device, "measuring bandwidth");
        constexpr int kCopiesPerRun = 4, kRuns = 5;
        const auto copies = [&](VkCommandBuffer cmd) {
            VkBufferCopy region{0, 0, bytes};
            for (int i = 0; i < kCopiesPerRun; ++i)
                vkCmdCopyBuffer(cmd, from.handle(), to.handle(), 1, &region);
        };
        // Real data in the source: never-written memory can be backed by one shared zero page, which a CPU
        // device (lavapipe) would read from cache.
        device_->runNow([&](VkCommandBuffer cmd) { vkCmdFillBuffer(cmd, from.handle(), 0, bytes, 0x3f800000u); });
        device_->runNow(copies); // warm up: first touch of the destination, driver setup
        double best = 0;
        for (int r = 0; r < kRuns; ++r) {
            const auto start = std::chrono::steady_clock::now();
            device_->runNow(copies);
            const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
            best = std::max(best, 2.0 * static_cast<double>(bytes) * kCopiesPerRun / seconds.count() / 1e9);
        }
        return best;
    }

    void prepareWeights(const ModelConfig& config, const ModelWeights& weights,
                        const std::function<void(double)>& progress) override
    {
        ctx_->recorder.submit();
        ctx_->weights.load(config, weights, progress);
    }

    Activation allocate(std::int64_t rows, std::int64_t cols) override
    {
        if (rows < 0 || cols <= 0)
            throw Error("allocate: cannot allocate " + std::to_string(rows) + "x" + std::to_string(cols));
        auto storage = std::make_unique<vk::ActivationBuffer>();
        storage->buffer = vk::Buffer(*device_, static_cast<std::uint64_t>(std::max<std::int64_t>(rows, 1) * cols) * 4,
                                     vk::MemoryUse::Device, "activations");
        return Activation(rows, cols, std::move(storage));
    }

    std::unique_ptr<KvCache> createKvCache(const ModelConfig& config, std::int64_t capacity) override
    {
        return std::make_unique<vk::VulkanKvCache>(*device_, config.layerCount, capacity,
                                                   config.kvHeadCount * config.headDim, fp32KvCache_);
    }

    std::unique_ptr<ExpertRouting> createExpertRouting(std::int64_t rows, std::int64_t expertsPerToken) override
    {
        return std::make_unique<vk::VulkanExpertRouting>(*device_, std::max<std::int64_t>(rows, 1), expertsPerToken);
    }

    void embed(const TensorView& embedding, std::span<const std::int32_t> ids, Activation& out) override
    {
        vk::embed(*ctx_, embedding, ids, out);
    }
    void rmsNorm(const Activation& x, const TensorView& weight, float eps, Activation& out) override
    {
        vk::rmsNorm(*ctx_, x, weight, eps, out);
    }
    void matmul(const Activation& x, const TensorView& weight, Activation& out) override
    {
        vk::matmul(*ctx_, x, weight, out);
    }
    void qkNormRopeStore(Activation& q, const Activation& k, const Activation& v, const TensorView& qNorm,
                         const TensorView& kNorm, float eps, std::int64_t headDim, const RopeParameters& rope,
                         KvCache& cache, std::int64_t layer, std::int64_t firstPosition) override
    {
        vk::qkNormRopeStore(*ctx_, q, k, v, qNorm, kNorm, eps, headDim, rope, cache, layer, firstPosition);
    }
    void attention(const Activation& q, const KvCache& cache, std::int64_t layer, std::int64_t firstPosition,
                   std::int64_t headDim, Activation& out) override
    {
        vk::attention(*ctx_, q, cache, layer, firstPosition, headDim, out);
    }
    void swiglu(const Activation& gate, const Activation& up, Activation& out) override
    {
        vk::swiglu(*ctx_, gate, up, out);
    }
    void addInPlace(Activation& x, const Activation& y) override { vk::addInPlace(*ctx_, x, y); }
    void moeRoute(const Activation& routerLogits, bool normalize, ExpertRouting& routing) override
    {
        vk::moeRoute(*ctx_, routerLogits, normalize, routing);
    }
    void moeExperts(const Activation& x, std::span<const ExpertWeights> experts, const ExpertRouting& routing,
                    Activation& out) override
    {
        vk::moeExperts(*ctx_, x, experts, routing, out);
    }
    void readRow(const Activation& x, std::int64_t row, std::span<float> out) override
    {
        vk::readRow(*ctx_, x, row, out);
    }
    bool topLogitsOnGpu() const override { return topLogitsOnGpu_; }
    std::vector<TokenCandidate> topLogits(const Activation& x, std::int64_t row, std::int64_t count) override
    {
        if (topLogitsOnGpu_)
            return vk::topLogits(*ctx_, x, row, count);
        if (row < 0 || row >= x.rows() || count < 1 || count > std::min(x.cols(), kMaxTopLogits))
            throw Error("topLogits: row " + std::to_string(row) + " or count " + std::to_string(count) +
                        " is out of range");
        hostRow_.resize(static_cast<std::size_t>(x.cols()));
        vk::readRow(*ctx_, x, row, hostRow_);
        return highestLogits(hostRow_, static_cast<std::size_t>(count));
    }

private:
    // A 40-token GEMM on 80 x 288 fp32 weights (two row tiles and one token tile of the cooperative-matrix
    // shader, all ragged) through the chosen cooperative-matrix shader and through the fp32 one. Returns ""
    // when every value agrees within 2e-3 of the result's scale (fp16 inputs give about 5e-4), else what
    // went wrong. Leaves the weight store empty of model weights, as before any prepareWeights.
    std::string checkCoopmatMatmul()
    {
        constexpr std::int64_t k = 288, n = 80, rows = 40;
        std::mt19937 engine(12345);
        std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
        std::vector<float> weights(static_cast<std::size_t>(k * n)), x(static_cast<std::size_t>(rows * k));
        for (float& v : weights)
            v = uniform(engine);
        for (float& v : x)
            v = uniform(engine);
        TensorView view;
        view.name = "cooperative-matrix check";
        view.type = TensorType::F32;
        view.dims = {k, n};
        view.data = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(weights.data()),
                                                  weights.size() * sizeof(float));
        try {
            ModelWeights model;
            model.layers.resize(1);
            model.layers[0].q = view;
            ctx_->weights.load(ModelConfig{}, model);
            Activation in = allocate(rows, k), viaCoopmat = allocate(rows, n), viaFp32 = allocate(rows, n);
            writeRows(in, x);
            vk::matmul(*ctx_, in, view, viaCoopmat);
            const VulkanMatmulKernel chosen = ctx_->matmulKernel;
            ctx_->matmulKernel = VulkanMatmulKernel::Fp32Tiles;
            vk::matmul(*ctx_, in, view, viaFp32);
            ctx_->matmulKernel = chosen;
            std::vector<float> got(static_cast<std::size_t>(n)), want(static_cast<std::size_t>(n));
            double worst = 0, scale = 1;
            std::vector<double> errors;
            for (std::int64_t r = 0; r < rows; ++r) {
                readRow(viaCoopmat, r, got);
                readRow(viaFp32, r, want);
                for (std::size_t i = 0; i < got.size(); ++i) {
                    scale = std::max(scale, static_cast<double>(std::abs(want[i])));
                    const double error = std::abs(static_cast<double>(got[i]) - want[i]);
                    worst = std::isnan(error) ? std::numeric_limits<double>::infinity() : std::max(worst, error);
                }
            }
            ctx_->recorder.submit(); // nothing recorded may still name the test weights
            ctx_->weights.load(ModelConfig{}, ModelWeights{});
            if (worst > 2e-3 * scale)
                return "a test GEMM through them differs from the fp32 shader's by " + std::to_string(worst / scale) +
                       " of the result's scale";
            return "";
        } catch (const Error& e) {
            return std::string("a test GEMM through them failed: ") + e.what();
        }
    }

    vk::Instance instance_;
    bool fp32KvCache_;
    bool topLogitsOnGpu_ = true;
    std::vector<float> hostRow_; // the row topLogits selects from on the host
    std::unique_ptr<vk::Device> device_;
    std::unique_ptr<vk::Context> ctx_;
};

} // namespace

std::string_view matmulKernelName(VulkanMatmulKernel kernel)
{
    switch (kernel) {
    case VulkanMatmulKernel::Fp32Tiles: return "fp32 tiles";
    case VulkanMatmulKernel::Fp16Tiles: return "fp16 tiles";
    case VulkanMatmulKernel::NvCoopmat: return "NV cooperative matrix";
    }
    return "unknown";
}

const VulkanDeviceInfo& selectVulkanDevice(const std::vector<VulkanDeviceInfo>& devices, const std::string& selector)
{
    if (devices.empty())
        throw Error("no Vulkan device found: install the GPU's Vulkan driver (on Debian, mesa-vulkan-drivers gives "
                    "every machine at least the CPU device 'llvmpipe'), or use the CPU backend");
    if (selector.empty())
        return *std::max_element(devices.begin(), devices.end(),
                                 [](const auto& a, const auto& b) { return a.rank < b.rank; });
    const bool isIndex = std::all_of(selector.begin(), selector.end(), [](char c) { return std::isdigit(
                                                                                         static_cast<unsigned char>(c)); });
    for (const auto& d : devices)
        if (isIndex ? std::to_string(d.index) == selector : lower(d.name).find(lower(selector)) != std::string::npos)
            return d;
    std::string known;
    for (const auto& d : devices)
        known += (known.empty() ? "" : ", ") + std::to_string(d.index) + ": " + d.name;
    throw Error("no Vulkan device matches '" + selector + "'; the devices are " + known);
}

std::unique_ptr<VulkanBackend> createVulkanBackend(const VulkanOptions& options)
{
    return std::make_unique<VulkanBackendImpl>(options);
}

} // namespace ponder
