#version 450
#extension GL_GOOGLE_include_directive : require
// Routed experts' mat-vec (MoE): for each (token, expert) slot s = row * topK + j,
// out[s * N + n] = dot(row n of expert ids[s], input of slot s), 2 rows n per workgroup as in matvec.comp.
// The experts are split into chunks of whole experts (one dispatch each); a slot whose expert lies in
// another chunk is skipped by the whole workgroup, so across the chunks every slot is written once.
// Host: engine/backend/vulkan/matrix_ops.cpp (ExpertPush, expertMatvec).
//
//   binding 0  experts: uint words; starts at expert firstExpert; expert e's row n at byte
//              (e - firstExpert) * expertBytes + n * rowBytes
//   binding 1  x:       float; rows x K when xPerSlot == 0 (slot s reads row s / topK),
//                       (rows * topK) x K when xPerSlot != 0 (slot s reads row s)
//   binding 2  ids:     int, rows x topK routed expert ids
//   binding 3  out:     float, (rows * topK) x N
//   push constants (uint, std430, this order): K, N, rowBytes, expertBytes, firstExpert, expertCount, rows,
//              topK, xPerSlot
//   dispatch: (ceil(N / 2), rows * topK, 1), workgroup 64 threads
// K is whole blocks (a multiple of BLOCK_ELEMS, and of 4 for the block types); F32/F16/BF16 take any K.

#define ROWS_PER_WG 2u
#define REDUCE_VALUES 2 // ROWS_PER_WG

layout(local_size_x = 64) in;

layout(std430, set = 0, binding = 0) readonly buffer Experts { uint expertWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 2) readonly buffer Ids { int ids[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Out { float outValues[]; };

layout(push_constant, std430) uniform Push {
    uint K;           // row length in elements
    uint N;           // rows per expert
    uint rowBytes;    // bytes per row
    uint expertBytes; // bytes per expert (N * rowBytes)
    uint firstExpert; // expert id of the binding's first expert
    uint expertCount; // experts in this chunk
    uint rows;        // token rows
    uint topK;        // experts per token
    uint xPerSlot;    // 0: x is rows x K; else x is (rows * topK) x K (the down projection's per-slot input)
} p;

#define BYTES_BUFFER expertWords
#include "dequant.glsl"
#include "reduce.glsl"

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint s = gl_WorkGroupID.y;
    const int e = ids[s];
    // e is the same for the whole workgroup, so this return is uniform and no thread misses a barrier.
    if (e < int(p.firstExpert) || e >= int(p.firstExpert + p.expertCount))
        return;
    const uint expertAt = uint(e - int(p.firstExpert)) * p.expertBytes;
    const uint xAt = (p.xPerSlot == 0u ? s / p.topK : s) * p.K;
    const uint firstRow = gl_WorkGroupID.x * ROWS_PER_WG;
    const uint groups = p.K / 4u;

    // A row past N (odd N, last workgroup) re-reads row N - 1 and is not written (no early return: barriers).
    uint rowAt[ROWS_PER_WG];
    float acc[ROWS_PER_WG];
    for (uint r = 0u; r < ROWS_PER_WG; ++r) {
        rowAt[r] = expertAt + min(firstRow + r, p.N - 1u) * p.rowBytes;
        acc[r] = 0.0;
    }

    for (uint g = tid; g < groups; g += 64u) {
        const uint k = 4u * g, xi = xAt + k;
        const vec4 xv = vec4(x[xi], x[xi + 1u], x[xi + 2u], x[xi + 3u]);
        for (uint r = 0u; r < ROWS_PER_WG; ++r) {
            vec4 w;
            weights4(rowAt[r], k, w);
            acc[r] += dot(w, xv);
        }
    }
#ifdef WEIGHT_IS_FLOAT
    // Float rows may have any length: the last K % 4 values one by one (at most 3 threads).
    const uint kTail = 4u * groups + tid;
    if (kTail < p.K)
        for (uint r = 0u; r < ROWS_PER_WG; ++r)
            acc[r] += weightAt(rowAt[r], kTail) * x[xAt + kTail];
#endif

    for (uint r = 0u; r < ROWS_PER_WG; ++r)
        reduceBuf[r][tid] = acc[r];
    reduceSums(tid, ROWS_PER_WG);

    if (tid < ROWS_PER_WG) {
        const uint n = firstRow + tid;
        if (n < p.N)
            outValues[s * p.N + n] = reduceBuf[tid][0];
    }
}
