#pragma once
// The tiled causal attention of a prefill chunk (shaders/attention_prefill.comp): one workgroup per tile of
// consecutive query rows of one head, each key/value tile read once into shared memory, the output written
// directly. attention() (attention_ops.cpp) uses it for chunks of more than kSplitMaxRows rows.
#include "backend/vulkan/vulkan_storage.h"

#include <cstdint>

namespace ponder::vk {

// Chunks of up to this many rows keep the split-K decode kernel (attention_split.comp + attention_reduce);
// the same boundary as the mat-vec / mat-mat one (matrix_ops.cpp). Such chunks are decode steps (rows 1)
// or a few tokens over a cache that is usually much longer: there the split over the key range is what fills
// a GPU (heads x splits x rows workgroups), and the prefill kernel, with one workgroup per head for them,
// would walk every key in a single workgroup. From 9 rows on, the tile kernel reads each key and value once
// per TILE_ROWS query rows instead of once per row, and needs no reduce pass.
constexpr std::int64_t kSplitMaxRows = 8;

// The query rows and keys of one tile, as the shader's specialization constants 1 and 2.
struct PrefillTile {
    std::uint32_t rows = 0, keys = 0;
};

// The tile for heads of `headDim` (even, <= 256): the most query rows (<= 16: KV reads per row fall as
// 1 / rows), then the most keys (a power of two <= 64: barriers per key fall as 1 / keys), whose shared memory
// fits 16 KiB and whose accumulators stay <= 16 value pairs per invocation. headDim 128: 16 x 16 (fp16
// cache), 16 x 8 (fp32); 256: 8 x 8, 8 x 4.
PrefillTile prefillTile(std::int64_t headDim, bool fp32Cache);

// Records the attention of q's rows (positions firstPosition + row, read from `step`) to the cache's keys
// and values, already stored for this chunk, into out.
void attentionPrefill(Context& ctx, const Activation& q, BufferRange keys, BufferRange values, BufferRange step,
                      std::int64_t kvHeads, std::int64_t headDim, bool fp32Cache, Activation& out);

} // namespace ponder::vk
