// The CPU reference backend: the Backend interface over the operations in cpu_ops.h.
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/cpu_storage.h"

#include "core/error.h"

namespace ponder {
namespace {

class CpuBackend final : public Backend {
public:
    explicit CpuBackend(unsigned threads) : ctx_(threads) {}

    std::string name() const override { return "cpu"; }

    // Nothing to prepare: operations read the weights where the model file is mapped, in their file type.
    // The weights are used in place (mapped from the file): nothing to prepare.
    void prepareWeights(const ModelConfig&, const ModelWeights&,
                        const std::function<void(double)>& progress) override
    {
        if (progress)
            progress(1.0);
    }

    Activation allocate(std::int64_t rows, std::int64_t cols) override
    {
        cpu::require(rows >= 0 && cols > 0, "allocate",
                     "cannot allocate " + std::to_string(rows) + "x" + std::to_string(cols));
        auto storage = std::make_unique<cpu::ActivationData>();
        storage->values.resize(static_cast<std::size_t>(rows * cols));
        return Activation(rows, cols, std::move(storage));
    }

    std::unique_ptr<KvCache> createKvCache(const ModelConfig& config, std::int64_t capacity) override
    {
        return std::make_unique<cpu::CpuKvCache>(config.layerCount, capacity, config.kvHeadCount, config.headDim);
    }

    std::unique_ptr<ExpertRouting> createExpertRouting(std::int64_t rows, std::int64_t expertsPerToken) override
    {
        return std::make_unique<cpu::CpuExpertRouting>(rows, expertsPerToken);
    }

    void embed(const TensorView& embedding, std::span<const std::int32_t> ids, Activation& out) override
    {
        cpu::embed(embedding, ids, out);
    }
    void rmsNorm(const Activation& x, const TensorView& weight, float eps, Activation& out) override
    {
        cpu::rmsNorm(ctx_, x, weight, eps, out);
    }
    void matmul(const Activation& x, const TensorView& weight, Activation& out) override
    {
        cpu::matmul(ctx_, x, weight, out);
    }
    void qkNormRopeStore(Activation& q, const Activation& k, const Activation& v, const TensorView& qNorm,
                         const TensorView& kNorm, float eps, std::int64_t headDim, const RopeParameters& rope,
                         KvCache& cache, std::int64_t layer, std::int64_t firstPosition) override
    {
        cpu::qkNormRopeStore(ctx_, q, k, v, qNorm, kNorm, eps, headDim, rope, cache, layer, firstPosition);
    }
    void attention(const Activation& q, const KvCache& cache, std::int64_t layer, std::int64_t firstPosition,
                   std::int64_t headDim, Activation& out) override
    {
        cpu::attention(ctx_, q, cache, layer, firstPosition, headDim, out);
    }
    void swiglu(const Activation& gate, const Activation& up, Activation& out) override
    {
        cpu::swiglu(ctx_, gate, up, out);
    }
    void addInPlace(Activation& x, const Activation& y) override { cpu::addInPlace(ctx_, x, y); }
    void moeRoute(const Activation& routerLogits, bool normalize, ExpertRouting& routing) override
    {
        cpu::moeRoute(routerLogits, normalize, routing);
    }
    void moeExperts(const Activation& x, std::span<const ExpertWeights> experts, const ExpertRouting& routing,
                    Activation& out) override
    {
        cpu::moeExperts(ctx_, x, experts, routing, out);
    }
    void readRow(const Activation& x, std::int64_t row, std::span<float> out) override { cpu::readRow(x, row, out); }
    std::vector<TokenCandidate> topLogits(const Activation& x, std::int64_t row, std::int64_t count) override
    {
        return cpu::topLogits(x, row, count);
    }

private:
    cpu::Context ctx_;
};

} // namespace

std::unique_ptr<Backend> createCpuBackend(unsigned threads) { return std::make_unique<CpuBackend>(threads); }

} // namespace ponder
