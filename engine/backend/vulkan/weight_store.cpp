#include "backend/vulkan/weight_store.h"

#include "core/error.h"
#include "formats/quant.h"
#include "formats/tensor_type.h"

#include <algorithm>
#include <cstring>

namespace ponder::vk {
namespace {

constexpr std::uint64_t kBlockBytes = 1ull << 30;   // device blocks the chunks are cut from
constexpr std::uint64_t kStagingBytes = 64ull << 20; // for devices whose weight memory the CPU cannot map
constexpr std::int64_t kMaxChunkRows = 65536;

std::string mib(std::uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; }

const TensorView& expertView(const ExpertWeights& e, ExpertRole role)
{
    return role == ExpertRole::Gate ? e.gate : role == ExpertRole::Up ? e.up : e.down;
}

std::uint64_t viewRowBytes(const TensorView& view)
{
    const auto bytes = rowBytes(view.type, static_cast<std::uint64_t>(view.rowLength()));
    if (!bytes)
        throw Error("tensor " + view.name + ": its rows are not whole " + tensorTypeName(view.type) + " blocks");
    return *bytes;
}

} // namespace

WeightStore::WeightStore(Device& device) : device_(device) {}

std::uint64_t WeightStore::chunkLimit() const
{
    const auto& info = device_.info();
    std::uint64_t limit = std::min<std::uint64_t>(info.maxStorageBufferRange, kBlockBytes);
    if (info.maxAllocationBytes > 0)
        limit = std::min<std::uint64_t>(limit, info.maxAllocationBytes);
    return limit & ~std::uint64_t{255};
}

BufferRange WeightStore::allocate(std::uint64_t bytes, const std::string& purpose)
{
    const std::uint64_t alignment = std::max<std::uint64_t>(device_.limits().minStorageBufferOffsetAlignment, 256);
    const std::uint64_t size = (std::max<std::uint64_t>(bytes, 4) + 3) & ~std::uint64_t{3};
    std::uint64_t offset = (blockUsed_ + alignment - 1) / alignment * alignment;
    if (blocks_.empty() || offset + size > blocks_.back().size()) {
        std::uint64_t blockBytes = std::min<std::uint64_t>(kBlockBytes, stillNeeded_ + (16ull << 20));
        if (device_.info().maxAllocationBytes > 0)
            blockBytes = std::min<std::uint64_t>(blockBytes, device_.info().maxAllocationBytes);
        blockBytes = std::max(blockBytes, size);
        blocks_.emplace_back(device_, blockBytes, MemoryUse::Device, "the model's weights (" + purpose + ")");
        offset = 0;
    }
    blockUsed_ = offset + size;
    used_ += size;
    stillNeeded_ = stillNeeded_ > size ? stillNeeded_ - size : 0;
    return {blocks_.back().handle(), offset, size};
}

void WeightStore::write(BufferRange range, std::uint64_t offset, std::span<const std::uint8_t> bytes)
{
    for (const Buffer& block : blocks_)
        if (block.handle() == range.buffer && block.mapped()) {
            std::memcpy(block.mapped() + range.offset + offset, bytes.data(), bytes.size());
            return;
        }
    if (!staging_.handle())
        staging_ = Buffer(device_, kStagingBytes, MemoryUse::Staging, "uploading weights");
    for (std::uint64_t done = 0; done < bytes.size();) {
        const std::uint64_t n = std::min<std::uint64_t>(kStagingBytes, bytes.size() - done);
        std::memcpy(staging_.mapped(), bytes.data() + done, n);
        device_.runNow([&](VkCommandBuffer cmd) {
            VkBufferCopy region{0, range.offset + offset + done, n};
            vkCmdCopyBuffer(cmd, staging_.handle(), range.buffer, 1, &region);
        });
        done += n;
    }
}

void WeightStore::uploadMatrix(const TensorView& view, bool asFloat)
{
    if (view.data.empty())
        return; // a role this layer does not have
    const std::uint8_t* key = view.data.data();
    if (matrices_.count(key))
        return; // tied embedding and lm_head share one copy
    GpuMatrix m;
    m.rowLength = view.rowLength();
    m.rows = view.rowCount();
    if (asFloat) { // a norm vector: dequantise once on the host
        std::vector<float> values(static_cast<std::size_t>(view.elements()));
        dequantizeRow(view.type, view.data.data(), values.data(), view.elements());
        m.type = TensorType::F32;
        m.rowBytes = static_cast<std::uint64_t>(m.rowLength) * 4;
        MatrixChunk chunk{allocate(values.size() * 4, view.name), 0, m.rows};
        write(chunk.range, 0, {reinterpret_cast<const std::uint8_t*>(values.data()), values.size() * 4});
        m.chunks.push_back(chunk);
    } else {
        m.type = view.type;
        m.rowBytes = viewRowBytes(view);
        const std::int64_t rowsPerChunk =
            std::min<std::int64_t>(kMaxChunkRows, static_cast<std::int64_t>(chunkLimit() / m.rowBytes));
        if (rowsPerChunk < 1)
            throw Error("tensor " + view.name + ": one row is larger than the device's buffer range");
        for (std::int64_t first = 0; first < m.rows; first += rowsPerChunk) {
            const std::int64_t rows = std::min(rowsPerChunk, m.rows - first);
            MatrixChunk chunk{allocate(static_cast<std::uint64_t>(rows) * m.rowBytes, view.name), first, rows};
            write(chunk.range, 0, view.data.subspan(static_cast<std::size_t>(first) * m.rowBytes,
                                                    static_cast<std::size_t>(rows) * m.rowBytes));
            m.chunks.push_back(chunk);
        }
    }
    matrices_.emplace(key, std::move(m));
}

void WeightStore::uploadExperts(std::span<const ExpertWeights> experts, ExpertRole role)
{
    const TensorView& first = expertView(experts.front(), role);
    GpuExperts e;
    e.type = first.type;
    e.rowLength = first.rowLength();
    e.rowsPerExpert = first.rowCount();
    e.rowBytes = viewRowBytes(first);
    e.expertBytes = e.rowBytes * static_cast<std::uint64_t>(e.rowsPerExpert);
    const auto perChunk = static_cast<std::int64_t>(chunkLimit() / e.expertBytes);
    if (perChunk < 1)
        throw Error("tensor " + first.name + ": one expert is larger than the device's buffer range");
    const auto count = static_cast<std::int64_t>(experts.size());
    for (std::int64_t begin = 0; begin < count; begin += perChunk) {
        const std::int64_t n = std::min(perChunk, count - begin);
        ExpertChunk chunk{allocate(static_cast<std::uint64_t>(n) * e.expertBytes, first.name), begin, n};
        for (std::int64_t i = 0; i < n; ++i) {
            const TensorView& view = expertView(experts[static_cast<std::size_t>(begin + i)], role);
            if (view.type != e.type || view.data.size() != e.expertBytes)
                throw Error("tensor " + view.name + ": experts of one layer differ in type or shape");
            write(chunk.range, static_cast<std::uint64_t>(i) * e.expertBytes, view.data);
        }
        e.chunks.push_back(chunk);
    }
    experts_.emplace(std::pair{first.data.data(), static_cast<int>(role)}, std::move(e));
}

void WeightStore::load(const ModelConfig&, const ModelWeights& weights,
                       const std::function<void(double)>& progress)
{
    matrices_.clear(); // a backend can be given another model
    experts_.clear();
    blocks_.clear();
    blockUsed_ = used_ = 0;
    // What the upload will take, checked before the first allocation so a model that cannot fit is refused
    // whole rather than failing halfway.
    std::uint64_t needed = weights.embedding.data.size() + weights.outputNorm.data.size() * 2;
    if (weights.output.data.data() != weights.embedding.data.data())
        needed += weights.output.data.size();
    for (const LayerWeights& layer : weights.layers) {
        for (const TensorView* v : {&layer.q, &layer.k, &layer.v, &layer.o, &layer.gate, &layer.up, &layer.down,
                                    &layer.router})
            needed += v->data.size();
        for (const TensorView* v : {&layer.attnNorm, &layer.qNorm, &layer.kNorm, &layer.ffnNorm})
            needed += v->data.size() * 2;
        for (const ExpertWeights& e : layer.experts)
            needed += e.gate.data.size() + e.up.data.size() + e.down.data.size();
    }
    const std::uint64_t available = device_.freeBytes(MemoryUse::Device);
    if (needed > available)
        throw Error("the model's weights need " + mib(needed) + " of GPU memory, but '" + device_.info().name +
                    "' has " + mib(available) + " free; choose a smaller quantisation or the CPU backend");

    stillNeeded_ = needed;
    // stillNeeded_ falls as tensors are placed, so what has been placed is the upload's progress.
    const auto report = [&] {
        if (progress && needed > 0)
            progress(static_cast<double>(needed - stillNeeded_) / static_cast<double>(needed));
    };
    uploadMatrix(weights.embedding, false);
    uploadMatrix(weights.output, false);
    uploadMatrix(weights.outputNorm, true);
    report();
    for (const LayerWeights& layer : weights.layers) {
        for (const TensorView* norm : {&layer.attnNorm, &layer.qNorm, &layer.kNorm, &layer.ffnNorm})
            uploadMatrix(*norm, true);
        for (const TensorView* m : {&layer.q, &layer.k, &layer.v, &layer.o})
            uploadMatrix(*m, false);
        report();
        if (layer.sparse) {
            uploadMatrix(layer.router, false);
            for (ExpertRole role : {ExpertRole::Gate, ExpertRole::Up, ExpertRole::Down}) {
                uploadExperts(layer.experts, role);
                report();
            }
        } else {
            for (const TensorView* m : {&layer.gate, &layer.up, &layer.down}) {
                uploadMatrix(*m, false);
                report();
            }
        }
    }
    staging_ = Buffer(); // uploads done
    if (progress)
        progress(1.0);
}

const GpuMatrix& WeightStore::matrix(const TensorView& view) const
{
    const auto found = matrices_.find(view.data.data());
    if (found == matrices_.end())
        throw Error("Vulkan: tensor " + view.name + " was not uploaded (prepareWeights not called for its model)");
    return found->second;
}

const GpuExperts& WeightStore::experts(std::span<const ExpertWeights> experts, ExpertRole role) const
{
    if (experts.empty())
        throw Error("Vulkan: a MoE layer without experts");
    const auto found = experts_.find({expertView(experts.front(), role).data.data(), static_cast<int>(role)});
    if (found == experts_.end())
        throw Error("Vulkan: the experts of " + expertView(experts.front(), role).name + " were not uploaded");
    return found->second;
}

} // namespace ponder::vk
