// Per-token operations between the weight reads: norms, RoPE with the KV-cache write, SwiGLU, residual adds,
// MoE routing, and reading results back to the host.
#include "backend/vulkan/vulkan_ops.h"

#include "core/error.h"

#include <cstring>

namespace ponder::vk {
namespace {

struct RmsNormPush {
    std::uint32_t cols, rows;
    float eps;
};
struct QkNormRopeStorePush { // the position comes from the upload buffer (shaders/common/step.glsl)
    std::uint32_t rows, heads, kvHeads, headDim;
    float eps, attentionFactor;
};
struct CountPush {
    std::uint32_t count;
};
struct RoutePush {
    std::uint32_t rows, experts, topK, normalize;
};

// The fp32 copy of a norm vector (uploaded as fp32 by the weight store).
BufferRange normWeights(Context& ctx, const TensorView& view, std::int64_t expectedLength, const char* op)
{
    const GpuMatrix& m = ctx.weights.matrix(view);
    require(m.type == TensorType::F32 && m.rowLength == expectedLength && m.rows == 1, op,
            "norm " + view.name + " does not have " + std::to_string(expectedLength) + " values");
    return m.chunks.front().range;
}

BufferRange ropeTable(Context& ctx, const RopeParameters& rope)
{
    if (ctx.ropeFrequenciesUploaded != rope.inverseFrequencies) {
        const std::uint64_t bytes = rope.inverseFrequencies.size() * 4;
        ctx.recorder.submit(); // recorded dispatches may still read the previous table
        ctx.ropeFrequencies = Buffer(ctx.device, bytes, MemoryUse::Staging, "RoPE frequencies");
        std::memcpy(ctx.ropeFrequencies.mapped(), rope.inverseFrequencies.data(), bytes);
        ctx.ropeFrequenciesUploaded = rope.inverseFrequencies;
    }
    return wholeBuffer(ctx.ropeFrequencies);
}

} // namespace

void rmsNorm(Context& ctx, const Activation& x, const TensorView& weight, float eps, Activation& out)
{
    require(x.rows() == out.rows() && x.cols() == out.cols(), "rmsNorm", "input and output shapes differ");
    const BufferRange w = normWeights(ctx, weight, x.cols(), "rmsNorm");
    const RmsNormPush push{static_cast<std::uint32_t>(x.cols()), static_cast<std::uint32_t>(x.rows()), eps};
    ctx.recorder.dispatch(ctx.pipelines.get("rms_norm", 3),
                          {reads(activationRange(x, "rmsNorm")), reads(w), writes(activationRange(out, "rmsNorm"))},
                          push, static_cast<std::uint32_t>(x.rows()));
}

void qkNormRopeStore(Context& ctx, Activation& q, const Activation& k, const Activation& v, const TensorView& qNorm,
                     const TensorView& kNorm, float eps, std::int64_t headDim, const RopeParameters& rope,
                     KvCache& cache, std::int64_t layer, std::int64_t firstPosition)
{
    const char* op = "qkNormRopeStore";
    auto* kv = dynamic_cast<VulkanKvCache*>(&cache);
    require(kv != nullptr, op, "the KV cache does not belong to the Vulkan backend");
    const std::int64_t rows = q.rows();
    require(headDim > 0 && headDim % 2 == 0 && q.cols() % headDim == 0 && k.cols() == kv->kvWidth() &&
                kv->kvWidth() % headDim == 0 && v.cols() == k.cols() && k.rows() == rows && v.rows() == rows &&
                static_cast<std::int64_t>(rope.inverseFrequencies.size()) == headDim / 2,
            op, "shapes do not match the cache and the head size " + std::to_string(headDim));
    require(layer >= 0 && layer < kv->layers(), op,
            "layer " + std::to_string(layer) + " of a cache for " + std::to_string(kv->layers()));
    require(firstPosition >= 0 && firstPosition + rows <= kv->capacity(), op,
            "positions " + std::to_string(firstPosition) + ".." + std::to_string(firstPosition + rows - 1) +
                " are outside the cache");
    const QkNormRopeStorePush push{static_cast<std::uint32_t>(rows), static_cast<std::uint32_t>(q.cols() / headDim),
                                   static_cast<std::uint32_t>(k.cols() / headDim),
                                   static_cast<std::uint32_t>(headDim), eps, rope.attentionFactor};
    // The table first: making it submits the work recorded so far, after which the upload memory is reused, so
    // a position uploaded before it would be overwritten by a later upload (the next chunk's token ids did:
    // their keys went to the wrong positions) before this dispatch reads it.
    const BufferRange table = ropeTable(ctx, rope);
    const BufferRange step = ctx.recorder.uploadValue(static_cast<std::uint32_t>(firstPosition));
    ctx.recorder.dispatch(ctx.pipelines.get(kv->fp32() ? "qk_norm_rope_store_f32" : "qk_norm_rope_store", 9),
                          {writes(activationRange(q, op)), reads(activationRange(k, op)),
                           reads(activationRange(v, op)), reads(normWeights(ctx, qNorm, headDim, op)),
                           reads(normWeights(ctx, kNorm, headDim, op)), reads(table), writes(kv->keys(layer)),
                           writes(kv->values(layer)), reads(step)},
                          push, static_cast<std::uint32_t>(push.heads + push.kvHeads),
                          static_cast<std::uint32_t>(rows));
}

void swiglu(Context& ctx, const Activation& gate, const Activation& up, Activation& out)
{
    require(gate.rows() == up.rows() && gate.cols() == up.cols() && out.rows() == gate.rows() &&
                out.cols() == gate.cols(),
            "swiglu", "shapes differ");
    const auto count = static_cast<std::uint32_t>(gate.rows() * gate.cols());
    ctx.recorder.dispatch(ctx.pipelines.get("swiglu", 3),
                          {reads(activationRange(gate, "swiglu")), reads(activationRange(up, "swiglu")),
                           writes(activationRange(out, "swiglu"))},
                          CountPush{count}, groupsFor(count, 64));
}

void addInPlace(Context& ctx, Activation& x, const Activation& y)
{
    require(x.rows() == y.rows() && x.cols() == y.cols(), "addInPlace", "shapes differ");
    const auto count = static_cast<std::uint32_t>(x.rows() * x.cols());
    ctx.recorder.dispatch(ctx.pipelines.get("add", 2),
                          {writes(activationRange(x, "addInPlace")), reads(activationRange(y, "addInPlace"))},
                          CountPush{count}, groupsFor(count, 64));
}

void moeRoute(Context& ctx, const Activation& routerLogits, bool normalize, ExpertRouting& routing)
{
    auto* r = dynamic_cast<VulkanExpertRouting*>(&routing);
    require(r != nullptr, "moeRoute", "routing does not belong to the Vulkan backend");
    require(routerLogits.cols() >= r->expertsPerToken() && routerLogits.cols() <= 512 && r->expertsPerToken() <= 16,
            "moeRoute", "Ponder routes among at most 512 experts, at most 16 per token");
    require(static_cast<std::uint64_t>(routerLogits.rows() * r->expertsPerToken()) * 4 <= r->ids.size(), "moeRoute",
            "more rows than the routing holds");
    r->rows = routerLogits.rows();
    const RoutePush push{static_cast<std::uint32_t>(routerLogits.rows()), static_cast<std::uint32_t>(routerLogits.cols()),
                         static_cast<std::uint32_t>(r->expertsPerToken()), normalize ? 1u : 0u};
    ctx.recorder.dispatch(ctx.pipelines.get("moe_route", 3),
                          {reads(activationRange(routerLogits, "moeRoute")), writes(wholeBuffer(r->ids)),
                           writes(wholeBuffer(r->weights))},
                          push, static_cast<std::uint32_t>(routerLogits.rows()));
}

void readRow(Context& ctx, const Activation& x, std::int64_t row, std::span<float> out)
{
    require(row >= 0 && row < x.rows() && static_cast<std::int64_t>(out.size()) == x.cols(), "readRow",
            "row " + std::to_string(row) + " or the output size is out of range");
    const BufferRange range = activationRange(x, "readRow");
    const std::uint64_t bytes = static_cast<std::uint64_t>(x.cols()) * 4;
    const std::uint64_t offset = static_cast<std::uint64_t>(row) * bytes;
    const auto& storage = static_cast<const ActivationBuffer&>(x.storageAs<ActivationStorage>());
    if (storage.buffer.mapped()) { // UMA / ReBAR / lavapipe: read in place once the GPU is done
        ctx.recorder.submit();
        std::memcpy(out.data(), storage.buffer.mapped() + offset, bytes);
        return;
    }
    // One readback buffer kept for every call, so that a decode step's commands (and buffers) repeat.
    if (ctx.readback.size() < bytes) {
        ctx.recorder.submit();
        ctx.readback = Buffer(ctx.device, bytes, MemoryUse::Readback, "reading results");
    }
    ctx.recorder.copy({range.buffer, offset, bytes}, {ctx.readback.handle(), 0, bytes});
    ctx.recorder.submit();
    std::memcpy(out.data(), ctx.readback.mapped(), bytes);
}

} // namespace ponder::vk
