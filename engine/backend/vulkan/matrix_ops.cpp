// Weight-reading operations. Each weight is split into chunks (weight_store.h); a chunk is one dispatch
// that writes its own slice of the output.
#include "backend/vulkan/vulkan_ops.h"

#include "core/error.h"

namespace ponder::vk {
namespace {

// Up to this many token rows use the mat-vec shader (each weight row is read once and dotted with every
// token); longer prefill chunks use the tiled mat-mat shader.
constexpr std::int64_t kMatvecMaxRows = 8;
constexpr std::int64_t kMoeMatmulTile = 32; // moe_matmul.comp: 32 expert rows x 32 gathered slots
// MoE chunks of more than this many token rows may group their slots by expert (moe_group) and run the
// grouped mat-mat (moe_matmul), which dequantises each weight tile once for up to 32 of an expert's tokens;
// up to this many use the per-slot mat-vec (moe_matvec), which reads an expert's weights once per slot
// routed to it. The same cut as the dense path: at a handful of rows few experts get more than one slot
// (with 128 experts top-8, 8 rows make 64 slots over 128 experts), so grouping would add two dispatches and
// a mostly-empty tile without saving weight reads; decode (1 row) always takes the mat-vec. Above it the
// device's Context::moeGroupedMinSlots decides (VulkanOptions::moeGroupedMinSlots).
constexpr std::int64_t kExpertMatvecMaxRows = kMatvecMaxRows;
constexpr std::int64_t kMatmulTile = 64;    // matmul.comp: 64 W rows x 64 tokens per workgroup
constexpr std::int64_t kMatmulF16Tile = 64; // matmul_f16.comp: 64 x 64
constexpr std::int64_t kMatmulCoopmatTile = 64; // matmul_coopmat.comp: 64 x 64

struct MatrixPush { // matvec.comp and matmul.comp
    std::uint32_t k, outRows, firstOutRow, outStride, xRows, rowBytes;
};
struct EmbedPush {
    std::uint32_t k, idCount, firstRow, chunkRows, rowBytes;
};
struct ExpertPush { // moe_matvec.comp
    std::uint32_t k, n, rowBytes, expertBytes, firstExpert, expertCount, rows, topK, xPerSlot;
};
struct GroupedPush { // moe_matmul.comp
    std::uint32_t k, n, rowBytes, expertBytes, firstExpert, experts, topK, xPerSlot;
};
struct GroupPush { // moe_group.comp
    std::uint32_t slots, experts;
};
struct CountPush {
    std::uint32_t count;
};
struct CombinePush { // moe_combine.comp
    std::uint32_t rows, cols, topK;
};

// Mat-vec over `rows` of x with each expert role's chunks, writing (rows*topK) x n slot outputs.
void expertMatvec(Context& ctx, const GpuExperts& w, BufferRange x, BufferRange ids, std::int64_t rows,
                  std::int64_t topK, bool xPerSlot, BufferRange out)
{
    const Pipeline& p = ctx.pipelines.get((ctx.matvec.subgroups ? "moe_matvec_sg_" : "moe_matvec_") +
                                              shaderTypeName(w.type),
                                          4, {ctx.matvec.lanes});
    const std::int64_t rowsPerGroup = 64 / ctx.matvec.lanes;
    for (const ExpertChunk& chunk : w.chunks) {
        const ExpertPush push{static_cast<std::uint32_t>(w.rowLength), static_cast<std::uint32_t>(w.rowsPerExpert),
                              static_cast<std::uint32_t>(w.rowBytes),  static_cast<std::uint32_t>(w.expertBytes),
                              static_cast<std::uint32_t>(chunk.firstExpert), static_cast<std::uint32_t>(chunk.experts),
                              static_cast<std::uint32_t>(rows), static_cast<std::uint32_t>(topK),
                              xPerSlot ? 1u : 0u};
        ctx.recorder.dispatch(p, {reads(chunk.range), reads(x), reads(ids), writes(out)}, push,
                              groupsFor(w.rowsPerExpert, rowsPerGroup), static_cast<std::uint32_t>(rows * topK));
    }
}

// Grouped mat-mat over the slots that moe_group gathered per expert, with each expert role's chunks.
// Every expert of a chunk gets ceil(rows / 32) slot tiles, the most one expert can use (each token row routes
// to an expert at most once); tiles past an expert's slot count exit at once, after reading two offsets.
// (An indirect dispatch over a compacted list of (expert, tile) work items would skip those workgroups, but
// needs moe_group to write that list and the recorder to record indirect dispatches; the empty workgroups of
// a fixed grid cost little next to the weight reads, and the commands stay the same for any routing.)
void expertMatmul(Context& ctx, const GpuExperts& w, BufferRange x, BufferRange groups, std::int64_t rows,
                  std::int64_t experts, std::int64_t topK, bool xPerSlot, BufferRange out)
{
    const Pipeline& p = ctx.pipelines.get("moe_matmul_" + shaderTypeName(w.type), 4);
    for (const ExpertChunk& chunk : w.chunks) {
        const GroupedPush push{static_cast<std::uint32_t>(w.rowLength),   static_cast<std::uint32_t>(w.rowsPerExpert),
                               static_cast<std::uint32_t>(w.rowBytes),    static_cast<std::uint32_t>(w.expertBytes),
                               static_cast<std::uint32_t>(chunk.firstExpert), static_cast<std::uint32_t>(experts),
                               static_cast<std::uint32_t>(topK),          xPerSlot ? 1u : 0u};
        ctx.recorder.dispatch(p, {reads(chunk.range), reads(x), reads(groups), writes(out)}, push,
                              groupsFor(w.rowsPerExpert, kMoeMatmulTile), groupsFor(rows, kMoeMatmulTile),
                              static_cast<std::uint32_t>(chunk.experts));
    }
}

} // namespace

void embed(Context& ctx, const TensorView& embedding, std::span<const std::int32_t> ids, Activation& out)
{
    const GpuMatrix& table = ctx.weights.matrix(embedding);
    require(out.rows() == static_cast<std::int64_t>(ids.size()) && out.cols() == table.rowLength, "embed",
            "output shape does not match the ids and the table");
    for (std::int32_t id : ids)
        require(id >= 0 && id < table.rows, "embed", "token id " + std::to_string(id) + " is outside the table");
    if (ids.empty())
        return;
    const BufferRange idBuffer = ctx.recorder.upload(std::as_bytes(ids));
    const BufferRange outRange = activationRange(out, "embed");
    const Pipeline& p = ctx.pipelines.get("embed_" + shaderTypeName(table.type), 3);
    for (const MatrixChunk& chunk : table.chunks) {
        const EmbedPush push{static_cast<std::uint32_t>(table.rowLength), static_cast<std::uint32_t>(ids.size()),
                             static_cast<std::uint32_t>(chunk.firstRow), static_cast<std::uint32_t>(chunk.rows),
                             static_cast<std::uint32_t>(table.rowBytes)};
        ctx.recorder.dispatch(p, {reads(chunk.range), reads(idBuffer), writes(outRange)}, push,
                              static_cast<std::uint32_t>(ids.size()));
    }
}

void matmul(Context& ctx, const Activation& x, const TensorView& weight, Activation& out)
{
    const GpuMatrix& w = ctx.weights.matrix(weight);
    require(x.cols() == w.rowLength && out.cols() == w.rows && x.rows() == out.rows(), "matmul",
            "shapes do not match: x " + std::to_string(x.rows()) + "x" + std::to_string(x.cols()) + ", weight " +
                weight.name + " " + std::to_string(w.rowLength) + "x" + std::to_string(w.rows) + ", out " +
                std::to_string(out.rows()) + "x" + std::to_string(out.cols()));
    if (x.rows() == 0)
        return;
    const bool matvec = x.rows() <= kMatvecMaxRows;
    const std::string type = shaderTypeName(w.type);
    std::int64_t tile = kMatmulTile;
    std::string matmulShader = "matmul_" + type;
    if (ctx.matmulKernel == VulkanMatmulKernel::Fp16Tiles) {
        tile = kMatmulF16Tile;
        matmulShader = "matmul_f16_" + type;
    } else if (ctx.matmulKernel == VulkanMatmulKernel::NvCoopmat) {
        tile = kMatmulCoopmatTile;
        matmulShader = "matmul_cm" + std::to_string(nvCooperativeMatrixN(ctx.device.info())) + "_" + type;
    }
    const Pipeline& p = matvec ? ctx.pipelines.get((ctx.matvec.subgroups ? "matvec_sg_" : "matvec_") + type, 3,
                                                   {ctx.matvec.lanes})
                               : ctx.pipelines.get(matmulShader, 3);
    const std::int64_t rowsPerGroup = 64 / ctx.matvec.lanes;
    const BufferRange xRange = activationRange(x, "matmul"), outRange = activationRange(out, "matmul");
    for (const MatrixChunk& chunk : w.chunks) {
        const MatrixPush push{static_cast<std::uint32_t>(w.rowLength), static_cast<std::uint32_t>(chunk.rows),
                              static_cast<std::uint32_t>(chunk.firstRow), static_cast<std::uint32_t>(w.rows),
                              static_cast<std::uint32_t>(x.rows()), static_cast<std::uint32_t>(w.rowBytes)};
        if (matvec)
            ctx.recorder.dispatch(p, {reads(chunk.range), reads(xRange), writes(outRange)}, push,
                                  groupsFor(chunk.rows, rowsPerGroup));
        else
            ctx.recorder.dispatch(p, {reads(chunk.range), reads(xRange), writes(outRange)}, push,
                                  groupsFor(chunk.rows, tile), groupsFor(x.rows(), tile));
    }
}

void moeExperts(Context& ctx, const Activation& x, std::span<const ExpertWeights> experts,
                const ExpertRouting& routing, Activation& out)
{
    const auto* r = dynamic_cast<const VulkanExpertRouting*>(&routing);
    require(r != nullptr, "moeExperts", "routing does not belong to the Vulkan backend");
    const GpuExperts& gate = ctx.weights.experts(experts, ExpertRole::Gate);
    const GpuExperts& up = ctx.weights.experts(experts, ExpertRole::Up);
    const GpuExperts& down = ctx.weights.experts(experts, ExpertRole::Down);
    const std::int64_t rows = x.rows(), topK = r->expertsPerToken(), ffn = gate.rowsPerExpert;
    require(r->rows == rows && x.cols() == gate.rowLength && out.cols() == down.rowsPerExpert && out.rows() == rows,
            "moeExperts", "shapes do not match the routing and the experts");
    if (rows == 0)
        return;
    const std::int64_t slots = rows * topK;
    const BufferRange ids = wholeBuffer(r->ids), weights = wholeBuffer(r->weights);
    const BufferRange gateOut = ctx.expertInputs.get(static_cast<std::uint64_t>(slots * ffn) * 4);
    const BufferRange upOut = ctx.expertHidden.get(static_cast<std::uint64_t>(slots * ffn) * 4);
    const BufferRange slotOut = ctx.expertOutputs.get(static_cast<std::uint64_t>(slots * out.cols()) * 4);
    const BufferRange xRange = activationRange(x, "moeExperts");
    const auto expertCount = static_cast<std::int64_t>(experts.size());
    const bool grouped = rows > kExpertMatvecMaxRows && slots >= ctx.moeGroupedMinSlots * expertCount;
    BufferRange groups{};
    if (grouped) {
        require(expertCount <= 512, "moeExperts", "Ponder groups at most 512 experts");
        groups = ctx.expertGroups.get(static_cast<std::uint64_t>(expertCount + 1 + slots) * 4);
        ctx.recorder.dispatch(ctx.pipelines.get("moe_group", 2), {reads(ids), writes(groups)},
                              GroupPush{static_cast<std::uint32_t>(slots), static_cast<std::uint32_t>(expertCount)},
                              1);
        expertMatmul(ctx, gate, xRange, groups, rows, expertCount, topK, false, gateOut);
        expertMatmul(ctx, up, xRange, groups, rows, expertCount, topK, false, upOut);
    } else {
        expertMatvec(ctx, gate, xRange, ids, rows, topK, false, gateOut);
        expertMatvec(ctx, up, xRange, ids, rows, topK, false, upOut);
    }
    // silu(gate) * up, written over the gate outputs: the input of each expert's down projection.
    const auto count = static_cast<std::uint32_t>(slots * ffn);
    ctx.recorder.dispatch(ctx.pipelines.get("swiglu", 3), {reads(gateOut), reads(upOut), writes(gateOut)},
                          CountPush{count}, groupsFor(count, 64));
    if (grouped)
        expertMatmul(ctx, down, gateOut, groups, rows, expertCount, topK, true, slotOut);
    else
        expertMatvec(ctx, down, gateOut, ids, rows, topK, true, slotOut);
    const CombinePush push{static_cast<std::uint32_t>(rows), static_cast<std::uint32_t>(out.cols()),
                           static_cast<std::uint32_t>(topK)};
    ctx.recorder.dispatch(ctx.pipelines.get("moe_combine", 3),
                          {reads(slotOut), reads(weights), writes(activationRange(out, "moeExperts"))}, push,
                          groupsFor(out.cols(), 64), static_cast<std::uint32_t>(rows));
}

} // namespace ponder::vk
