// Attention over the KV cache (fp16, or fp32 when asked for; qkNormRopeStore in layer_ops.cpp wrote this
// chunk's keys and values): for a decode step (up to kSplitMaxRows rows), split the key range into pieces
// attended in parallel (flash-decoding) and combine the pieces' partial softmax sums; a longer prefill chunk
// goes to the tiled kernel instead (attention_prefill.cpp).
#include "backend/vulkan/attention_prefill.h"
#include "backend/vulkan/vulkan_ops.h"

#include "core/error.h"

#include <algorithm>

namespace ponder::vk {
namespace {

// The position comes from the upload buffer (shaders/common/step.glsl), so a decode step's commands repeat.
struct SplitPush {
    std::uint32_t rows, heads, kvHeads, headDim, splits;
};
struct ReducePush {
    std::uint32_t rows, heads, headDim, splits;
};

// Splits per cache: one per 256 positions of capacity, at most 32 (enough to keep a GPU busy on one decode
// row, few enough that the reduce is cheap). Fixed per cache, not per step, so decode steps repeat; the
// shader shares the keys seen so far evenly among them.
constexpr std::int64_t kCapacityPerSplit = 256;
constexpr std::int64_t kMaxSplits = 32;

} // namespace

void attention(Context& ctx, const Activation& q, const KvCache& cache, std::int64_t layer,
               std::int64_t firstPosition, std::int64_t headDim, Activation& out)
{
    const auto* kv = dynamic_cast<const VulkanKvCache*>(&cache);
    if (!kv)
        throw Error("attention: the KV cache does not belong to the Vulkan backend");
    if (headDim <= 0 || headDim > 256 || headDim % 2 != 0 || kv->kvWidth() % headDim != 0)
        throw Error("attention: the cache does not hold heads of " + std::to_string(headDim));
    const std::int64_t rows = q.rows(), heads = q.cols() / headDim, kvHeads = kv->kvWidth() / headDim;
    if (q.cols() % headDim != 0 || out.cols() != q.cols() || out.rows() != rows || heads % kvHeads != 0)
        throw Error("attention: shapes do not match the cache and the head size " + std::to_string(headDim));
    if (firstPosition < 0 || firstPosition + rows > kv->capacity())
        throw Error("attention: positions " + std::to_string(firstPosition) + ".." +
                    std::to_string(firstPosition + rows - 1) + " are outside the cache");
    if (layer < 0 || layer >= kv->layers())
        throw Error("attention: layer " + std::to_string(layer) + " of a cache for " + std::to_string(kv->layers()));
    if (rows == 0)
        return;

    const bool prefill = rows > kSplitMaxRows;
    // The split kernel's partials before the position: growing them submits the work recorded so far, after
    // which the upload memory is reused, and a position uploaded earlier would be overwritten by the next
    // upload (e.g. the following chunk's) before the split kernel reads it.
    const std::int64_t splits = std::clamp<std::int64_t>(kv->capacity() / kCapacityPerSplit, 1, kMaxSplits);
    const BufferRange partials =
        prefill ? BufferRange{}
                : ctx.attentionPartials.get(static_cast<std::uint64_t>(rows * heads * splits * (headDim + 2)) * 4);

    const BufferRange keys = kv->keys(layer), values = kv->values(layer);
    const BufferRange step = ctx.recorder.uploadValue(static_cast<std::uint32_t>(firstPosition));
    const std::string cacheVariant = kv->fp32() ? "_f32" : "";
    if (prefill) { // tiled, no partials
        attentionPrefill(ctx, q, keys, values, step, kvHeads, headDim, kv->fp32(), out);
        return;
    }

    const SplitPush split{static_cast<std::uint32_t>(rows),      static_cast<std::uint32_t>(heads),
                          static_cast<std::uint32_t>(kvHeads),   static_cast<std::uint32_t>(headDim),
                          static_cast<std::uint32_t>(splits)};
    ctx.recorder.dispatch(ctx.pipelines.get("attention_split" + cacheVariant, 5),
                          {reads(activationRange(q, "attention")), reads(keys), reads(values), writes(partials),
                           reads(step)},
                          split,
                          static_cast<std::uint32_t>(splits), static_cast<std::uint32_t>(heads),
                          static_cast<std::uint32_t>(rows));
    const ReducePush reduce{static_cast<std::uint32_t>(rows), static_cast<std::uint32_t>(heads),
                            static_cast<std::uint32_t>(headDim), static_cast<std::uint32_t>(splits)};
    ctx.recorder.dispatch(ctx.pipelines.get("attention_reduce", 2),
                          {reads(partials), writes(activationRange(out, "attention"))}, reduce,
                          static_cast<std::uint32_t>(heads), static_cast<std::uint32_t>(rows));
}

} // namespace ponder::vk
