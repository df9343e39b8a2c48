// Host side of shaders/attention_prefill.comp: the tile shape per head size, and the dispatch.
#include "backend/vulkan/attention_prefill.h"

#include "core/error.h"

namespace ponder::vk {
namespace {

struct PrefillPush {
    std::uint32_t rows, heads, kvHeads;
};

constexpr std::int64_t kSharedWords = 16 * 1024 / 4; // shaders/README.md: shared memory <= 16 KiB
constexpr std::int64_t kMaxAccumulators = 16;        // value pairs per invocation, kept in registers
constexpr std::int64_t kWorkgroup = 64;

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// The shader's shared arrays, in 32-bit words (its header comment has the same sum).
std::int64_t sharedWords(std::int64_t headDim, std::int64_t rows, std::int64_t keys, bool fp32Cache)
{
    return rows * headDim + keys * (headDim / 2 + 1) * (fp32Cache ? 2 : 1) + rows * keys + 2 * rows;
}

// Value pairs each invocation accumulates (the shader's ACC_ROWS * ACC_COLS).
std::int64_t accumulators(std::int64_t headDim, std::int64_t rows)
{
    const std::int64_t pairs = headDim / 2, lanes = std::min(pairs, kWorkgroup);
    return ceilDiv(pairs, lanes) * ceilDiv(rows, kWorkgroup / lanes);
}

} // namespace

PrefillTile prefillTile(std::int64_t headDim, bool fp32Cache)
{
    if (headDim <= 0 || headDim > 256 || headDim % 2 != 0)
        throw Error("attention: no prefill tile for heads of " + std::to_string(headDim));
    for (std::int64_t rows = 16; rows >= 1; rows /= 2) {
        if (accumulators(headDim, rows) > kMaxAccumulators)
            continue;
        for (std::int64_t keys = 64; keys >= 1; keys /= 2)
            if (sharedWords(headDim, rows, keys, fp32Cache) <= kSharedWords)
                return {static_cast<std::uint32_t>(rows), static_cast<std::uint32_t>(keys)};
    }
    throw Error("attention: no prefill tile fits shared memory for heads of " + std::to_string(headDim)); // unreachable for <= 256
}

void attentionPrefill(Context& ctx, const Activation& q, BufferRange keys, BufferRange values, BufferRange step,
                      std::int64_t kvHeads, std::int64_t headDim, bool fp32Cache, Activation& out)
{
    const PrefillTile tile = prefillTile(headDim, fp32Cache);
    const std::int64_t rows = q.rows(), heads = q.cols() / headDim;
    const PrefillPush push{static_cast<std::uint32_t>(rows), static_cast<std::uint32_t>(heads),
                           static_cast<std::uint32_t>(kvHeads)};
    const Pipeline& pipeline = ctx.pipelines.get(fp32Cache ? "attention_prefill_f32" : "attention_prefill", 5,
                                                 {static_cast<std::uint32_t>(headDim), tile.rows, tile.keys});
    ctx.recorder.dispatch(pipeline,
                          {reads(activationRange(q, "attention")), reads(keys), reads(values),
                           writes(activationRange(out, "attention")), reads(step)},
                          push, static_cast<std::uint32_t>(ceilDiv(rows, tile.rows)), static_cast<std::uint32_t>(heads));
}

} // namespace ponder::vk
