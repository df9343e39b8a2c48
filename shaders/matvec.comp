#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef SUBGROUP_REDUCE
// The subgroup variant (matvec_sg_*, moe_matvec_sg_*): LANES equals the device's subgroup size, so the lanes
// of one row form one subgroup and sum with subgroupAdd: no shared memory, no barrier.
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
// Decode mat-vec: out[t * outStride + firstOutRow + r] = dot(W row r, x row t) for 1..8 token rows t.
// LANES invocations share one weight row (a specialization constant the host picks per device: GPUs
// spread a row over a group of lanes so neighbouring lanes read neighbouring bytes; a CPU device such as
// lavapipe gives each invocation whole rows, which spares it the per-workgroup barrier cost). The weights,
// the bandwidth cost, are read once per step whatever the token count; dequantised in the shader
// (common/dequant.glsl, bit-exact with the CPU), products accumulated in fp32.
// Host: engine/backend/vulkan/matrix_ops.cpp (MatrixPush).
//
//   binding 0  weights: uint words; starts at this chunk's row 0; row r at byte r * rowBytes
//   binding 1  x:       float, xRows x K, row-major
//   binding 2  out:     float, xRows x outStride, row-major (this chunk writes columns firstOutRow..+outRows)
//   push constants (uint, std430, this order): K, outRows, firstOutRow, outStride, xRows, rowBytes
//   specialization constant 0: LANES (1, 2, 4 ... 64)
//   dispatch: (ceil(outRows / (64 / LANES)), 1, 1), workgroup 64 invocations
// K is whole blocks (a multiple of BLOCK_ELEMS, and of 4 for the block types); F32/F16/BF16 take any K.

#define MAX_TOKENS 8u

layout(local_size_x = 64) in;
layout(constant_id = 0) const uint LANES = 16u;

layout(std430, set = 0, binding = 0) readonly buffer Weights { uint weightWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Out { float outValues[]; };

layout(push_constant, std430) uniform Push {
    uint K;           // row length in elements
    uint outRows;     // W rows in this chunk
    uint firstOutRow; // output column of the chunk's row 0
    uint outStride;   // floats per output row
    uint xRows;       // token rows, 1..8
    uint rowBytes;    // bytes per W row
} p;

#define BYTES_BUFFER weightWords
#include "dequant.glsl"

shared float partial[MAX_TOKENS][64];

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint lane = tid % LANES;
    const uint row = gl_WorkGroupID.x * (64u / LANES) + tid / LANES;
    const bool live = row < p.outRows; // no early return: a barrier follows
    const uint tokens = min(p.xRows, MAX_TOKENS);
    const uint groups = p.K / 4u; // whole 4-value groups
    const uint rowAt = min(row, p.outRows - 1u) * p.rowBytes;

    float acc[MAX_TOKENS];
    for (uint t = 0u; t < MAX_TOKENS; ++t)
        acc[t] = 0.0;
    if (live) {
        for (uint g = lane; g < groups; g += LANES) {
            const uint k = 4u * g;
            vec4 w;
            weights4(rowAt, k, w);
            // Constant bound so acc stays in registers after unrolling; tokens past xRows are skipped.
            for (uint t = 0u; t < MAX_TOKENS; ++t)
                if (t < tokens) {
                    const uint xi = t * p.K + k;
                    acc[t] += dot(w, vec4(x[xi], x[xi + 1u], x[xi + 2u], x[xi + 3u]));
                }
        }
#ifdef WEIGHT_IS_FLOAT
        // Float rows may have any length: the last K % 4 values one by one.
        for (uint k = 4u * groups + lane; k < p.K; k += LANES) {
            const float w = weightAt(rowAt, k);
            for (uint t = 0u; t < MAX_TOKENS; ++t)
                if (t < tokens)
                    acc[t] += w * x[t * p.K + k];
        }
#endif
    }
#ifdef SUBGROUP_REDUCE
    for (uint t = 0u; t < MAX_TOKENS; ++t)
        acc[t] = subgroupAdd(acc[t]);
    if (live && lane == 0u)
        for (uint t = 0u; t < tokens; ++t)
            outValues[t * p.outStride + p.firstOutRow + row] = acc[t];
    return;
#endif
    if (LANES == 1u) {
        for (uint t = 0u; t < tokens; ++t)
            if (live)
                outValues[t * p.outStride + p.firstOutRow + row] = acc[t];
        return;
    }
    for (uint t = 0u; t < MAX_TOKENS; ++t)
        partial[t][tid] = acc[t];
    barrier();
    if (live && lane == 0u)
        for (uint t = 0u; t < tokens; ++t) {
            float sum = 0.0;
            for (uint l = 0u; l < LANES; ++l)
                sum += partial[t][tid + l];
            outValues[t * p.outStride + p.firstOutRow + row] = sum;
        }
}
