// Backend::topLogits on the GPU (shaders/top_k.comp): levels of per-workgroup selection until one workgroup
// is left, which writes the k (id, logit) pairs into host-visible memory; only those 8 * k bytes are read.
#include "backend/vulkan/vulkan_ops.h"

#include "core/error.h"

#include <algorithm>
#include <cstring>

namespace ponder::vk {
namespace {

struct TopKPush {
    std::uint32_t rowStart, count, k, firstLevel, lastLevel;
};

// Candidates one workgroup sorts (SLICE in the shader).
constexpr std::int64_t kSlice = 1024;

std::uint64_t alignUp(std::uint64_t bytes, std::uint64_t alignment)
{
    return (bytes + alignment - 1) / alignment * alignment;
}

} // namespace

std::vector<TokenCandidate> topLogits(Context& ctx, const Activation& x, std::int64_t row, std::int64_t count)
{
    require(row >= 0 && row < x.rows(), "topLogits", "row " + std::to_string(row) + " is out of range");
    require(count >= 1 && count <= std::min(x.cols(), kMaxTopLogits), "topLogits",
            std::to_string(count) + " candidates from a row of " + std::to_string(x.cols()) + " (at most " +
                std::to_string(kMaxTopLogits) + ")");
    const BufferRange logits = activationRange(x, "topLogits");
    const auto k = static_cast<std::uint32_t>(count);

    // Two regions of ids, written and read in turn by successive levels; the first level writes the most.
    const std::uint64_t alignment = std::max<std::uint64_t>(ctx.device.limits().minStorageBufferOffsetAlignment, 16);
    const std::uint64_t regionBytes =
        alignUp(static_cast<std::uint64_t>(groupsFor(x.cols(), kSlice)) * k * 4, alignment);
    const BufferRange scratch = ctx.topKIds.get(2 * regionBytes);
    const BufferRange regions[2] = {{scratch.buffer, 0, regionBytes}, {scratch.buffer, regionBytes, regionBytes}};
    const std::uint64_t resultBytes = static_cast<std::uint64_t>(kMaxTopLogits) * 8;
    if (ctx.topKResult.size() < resultBytes) {
        ctx.recorder.submit();
        ctx.topKResult = Buffer(ctx.device, resultBytes, MemoryUse::Readback, "reading the highest logits");
    }
    require(ctx.topKResult.mapped() != nullptr, "topLogits", "the readback memory is not host-visible");

    TopKPush push{static_cast<std::uint32_t>(row * x.cols()), static_cast<std::uint32_t>(x.cols()), k, 1, 0};
    BufferRange in = regions[1]; // unread by the first level
    for (int level = 0;; ++level) {
        const std::uint32_t groups = groupsFor(push.count, kSlice);
        push.lastLevel = groups == 1 ? 1 : 0;
        const BufferRange out = push.lastLevel ? BufferRange{ctx.topKResult.handle(), 0, resultBytes}
                                               : regions[level % 2];
        ctx.recorder.dispatch(ctx.pipelines.get("top_k", 3), {reads(logits), reads(in), writes(out)}, push, groups);
        if (push.lastLevel)
            break;
        in = out;
        push.count = groups * k;
        push.firstLevel = 0;
    }
    ctx.recorder.submit();

    std::vector<std::uint32_t> words(2 * static_cast<std::size_t>(k));
    std::memcpy(words.data(), ctx.topKResult.mapped(), words.size() * 4);
    std::vector<TokenCandidate> candidates(k);
    for (std::size_t j = 0; j < k; ++j) {
        candidates[j].id = static_cast<std::int32_t>(words[2 * j]);
        std::memcpy(&candidates[j].logit, &words[2 * j + 1], 4);
    }
    return candidates;
}

} // namespace ponder::vk
