#version 450
#extension GL_GOOGLE_include_directive : require
// Routed experts' grouped mat-mat (MoE prefill): for every slot s routed to expert e,
// out[s * N + n] = dot(row n of expert e, input of slot s), with the slots gathered per expert by
// moe_group.comp. As in matmul.comp, a workgroup computes a 32 (expert rows) x 32 (gathered slots) tile,
// walking K 32 values at a time: the weight tile is dequantised once into shared fp32 (common/dequant.glsl,
// bit-exact with the CPU) for up to 32 of the expert's tokens, instead of once per slot as in moe_matvec;
// each of the 64 threads accumulates a 4 x 4 micro-tile in fp32, so a value does not depend on which tile or
// tile position its slot landed in.
// The dispatch covers every expert of the chunk (z) with as many slot tiles (y) as the busiest expert could
// need (an expert takes at most one slot of each token row); a workgroup past its expert's slot count exits
// at once. The experts are split into chunks of whole experts (one dispatch each).
// Host: engine/backend/vulkan/matrix_ops.cpp (GroupedPush, expertMatmul; used above 8 token rows when the
// slots average Context::moeGroupedMinSlots per expert: any on GPUs, 16 on CPU devices).
//
//   binding 0  experts: uint words; starts at expert firstExpert; expert e's row n at byte
//              (e - firstExpert) * expertBytes + n * rowBytes
//   binding 1  x:       float; rows x K when xPerSlot == 0 (slot s reads row s / topK),
//                       (rows * topK) x K when xPerSlot != 0 (slot s reads row s)
//   binding 2  groups:  uint, moe_group.comp's output: experts + 1 offsets, then the gathered slots
//   binding 3  out:     float, (rows * topK) x N
//   push constants (uint, std430, this order): K, N, rowBytes, expertBytes, firstExpert, experts, topK, xPerSlot
//   dispatch: (ceil(N / 32), ceil(rows / 32), experts in this chunk), workgroup 64 threads
// K is whole blocks; the block types' K is a multiple of 32 (a tile step never splits a block's 4-value
// group). F32/F16/BF16 take any K: their last, ragged step is zero-padded.

#define TILE 32u
#define PAD 33u // row pitch of the shared tiles: +1 spreads a column walk over all banks
#define NO_SLOT 0xffffffffu

layout(local_size_x = 64) in;

layout(std430, set = 0, binding = 0) readonly buffer Experts { uint expertWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 2) readonly buffer Groups { uint groups[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { float outValues[]; };

layout(push_constant, std430) uniform Push {
    uint K;           // row length in elements
    uint N;           // rows per expert
    uint rowBytes;    // bytes per row
    uint expertBytes; // bytes per expert (N * rowBytes)
    uint firstExpert; // expert id of the binding's first expert
    uint experts;     // experts in the layer (where the gathered slot list starts in groups)
    uint topK;        // experts per token
    uint xPerSlot;    // 0: x is rows x K; else x is (rows * topK) x K (the down projection's per-slot input)
} p;

#define BYTES_BUFFER expertWords
#include "dequant.glsl"

// 2 x 32 x 33 floats + 32 slots = 8,576 bytes (limit 16 KiB).
shared float wTile[TILE * PAD]; // [expert row][k]
shared float xTile[TILE * PAD]; // [gathered slot][k]
shared uint tileSlot[TILE];     // the slot of each gathered row of this tile, NO_SLOT past the expert's count

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint e = p.firstExpert + gl_WorkGroupID.z;
    const uint first = groups[e], count = groups[e + 1u] - first;
    const uint slotBase = gl_WorkGroupID.y * TILE;
    // count is the same for the whole workgroup, so this return is uniform and no invocation misses a barrier.
    if (slotBase >= count)
        return;
    const uint rowBase = gl_WorkGroupID.x * TILE;
    const uint expertAt = gl_WorkGroupID.z * p.expertBytes;
    if (tid < TILE)
        tileSlot[tid] = slotBase + tid < count ? groups[p.experts + 1u + first + slotBase + tid] : NO_SLOT;
    barrier();
    // This thread's 4x4 micro-tile: rows tr + 8i, slots tc + 8j (interleaved as in matmul.comp).
    const uint tr = tid % 8u, tc = tid / 8u;

    float acc[4][4];
    for (uint i = 0u; i < 4u; ++i)
        for (uint j = 0u; j < 4u; ++j)
            acc[i][j] = 0.0;

    for (uint k0 = 0u; k0 < p.K; k0 += TILE) {
        // Weight tile: 32 rows x 8 groups of 4 = 256 groups, 4 per thread; values outside the expert are 0.
        for (uint q = 0u; q < 4u; ++q) {
            const uint g = tid + 64u * q;
            const uint r = g / 8u, kq = 4u * (g % 8u);
            const uint row = rowBase + r, k = k0 + kq;
            vec4 w = vec4(0.0);
            if (row < p.N) {
                const uint rowAt = expertAt + row * p.rowBytes;
#ifdef WEIGHT_IS_FLOAT
                if (k + 4u <= p.K) {
                    weights4(rowAt, k, w);
                } else {
                    for (uint c = 0u; c < 4u; ++c)
                        if (k + c < p.K)
                            w[c] = weightAt(rowAt, k + c);
                }
#else
                weights4(rowAt, k, w); // K is a multiple of 32: the step is never ragged in k
#endif
            }
            for (uint c = 0u; c < 4u; ++c)
                wTile[r * PAD + kq + c] = w[c];
        }
        // x tile: the 32 gathered slots' inputs x 32 k, 16 values per thread, consecutive threads on
        // consecutive k. An if, not ?:, so no load is issued outside x.
        for (uint q = 0u; q < 16u; ++q) {
            const uint idx = tid + 64u * q;
            const uint t = idx / TILE, kk = idx % TILE;
            const uint s = tileSlot[t], k = k0 + kk;
            float v = 0.0;
            if (s != NO_SLOT && k < p.K)
                v = x[(p.xPerSlot == 0u ? s / p.topK : s) * p.K + k];
            xTile[t * PAD + kk] = v;
        }
        barrier();

        for (uint kk = 0u; kk < TILE; ++kk) {
            float a[4], b[4];
            for (uint i = 0u; i < 4u; ++i)
                a[i] = wTile[(tr + 8u * i) * PAD + kk];
            for (uint j = 0u; j < 4u; ++j)
                b[j] = xTile[(tc + 8u * j) * PAD + kk];
            for (uint i = 0u; i < 4u; ++i)
                for (uint j = 0u; j < 4u; ++j)
                    acc[i][j] += a[i] * b[j];
        }
        barrier(); // before the next step overwrites the tiles
    }

    for (uint j = 0u; j < 4u; ++j) {
        const uint s = tileSlot[tc + 8u * j];
        if (s == NO_SLOT)
            continue;
        for (uint i = 0u; i < 4u; ++i) {
            const uint row = rowBase + tr + 8u * i;
            if (row < p.N)
                outValues[s * p.N + row] = acc[i][j];
        }
    }
}
