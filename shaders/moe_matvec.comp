#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef SUBGROUP_REDUCE
// The subgroup variant (matvec_sg_*, moe_matvec_sg_*): LANES equals the device's subgroup size, so the lanes
// of one row form one subgroup and sum with subgroupAdd: no shared memory, no barrier.
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
// Routed experts' mat-vec (MoE): for each (token, expert) slot s = row * topK + j,
// out[s * N + n] = dot(row n of expert ids[s], input of slot s). As in matvec.comp, LANES invocations share
// a weight row (a per-device specialization constant). The experts are split into chunks of whole experts
// (one dispatch each); a slot whose expert lies in another chunk is skipped by the whole workgroup, so
// across the chunks every slot is written once. The expert ids never leave the GPU.
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
//   specialization constant 0: LANES (1, 2, 4 ... 64)
//   dispatch: (ceil(N / (64 / LANES)), rows * topK, 1), workgroup 64 invocations
// K is whole blocks (a multiple of BLOCK_ELEMS, and of 4 for the block types); F32/F16/BF16 take any K.

layout(local_size_x = 64) in;
layout(constant_id = 0) const uint LANES = 16u;

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

shared float partial[64];

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint s = gl_WorkGroupID.y;
    const int e = ids[s];
    // e is the same for the whole workgroup, so this return is uniform and no invocation misses the barrier.
    if (e < int(p.firstExpert) || e >= int(p.firstExpert + p.expertCount))
        return;
    const uint lane = tid % LANES;
    const uint n = gl_WorkGroupID.x * (64u / LANES) + tid / LANES;
    const bool live = n < p.N;
    const uint rowAt = uint(e - int(p.firstExpert)) * p.expertBytes + min(n, p.N - 1u) * p.rowBytes;
    const uint xAt = (p.xPerSlot == 0u ? s / p.topK : s) * p.K;
    const uint groups = p.K / 4u;

    float acc = 0.0;
    if (live) {
        for (uint g = lane; g < groups; g += LANES) {
            const uint k = 4u * g;
            vec4 w;
            weights4(rowAt, k, w);
            acc += dot(w, vec4(x[xAt + k], x[xAt + k + 1u], x[xAt + k + 2u], x[xAt + k + 3u]));
        }
#ifdef WEIGHT_IS_FLOAT
        for (uint k = 4u * groups + lane; k < p.K; k += LANES)
            acc += weightAt(rowAt, k) * x[xAt + k];
#endif
    }
#ifdef SUBGROUP_REDUCE
    acc = subgroupAdd(acc);
    if (live && lane == 0u)
        outValues[s * p.N + n] = acc;
    return;
#endif
    if (LANES == 1u) {
        if (live)
            outValues[s * p.N + n] = acc;
        return;
    }
    partial[tid] = acc;
    barrier();
    if (live && lane == 0u) {
        float sum = 0.0;
        for (uint l = 0u; l < LANES; ++l)
            sum += partial[tid + l];
        outValues[s * p.N + n] = sum;
    }
}
