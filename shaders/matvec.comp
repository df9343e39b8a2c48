#version 450
#extension GL_GOOGLE_include_directive : require
// Decode mat-vec: out[t * outStride + firstOutRow + r] = dot(W row r, x row t) for 1..8 token rows t.
// Each workgroup takes ROWS_PER_WG = 2 weight rows and dots them with every token, so the weights (the
// bandwidth cost) are read once per step whatever the token count. Weights are dequantised in the shader
// (common/dequant.glsl, bit-exact with the CPU); products are accumulated in fp32.
// Host: engine/backend/vulkan/matrix_ops.cpp (MatrixPush).
//
//   binding 0  weights: uint words; starts at this chunk's row 0; row r at byte r * rowBytes
//   binding 1  x:       float, xRows x K, row-major
//   binding 2  out:     float, xRows x outStride, row-major (this chunk writes columns firstOutRow..+outRows)
//   push constants (uint, std430, this order): K, outRows, firstOutRow, outStride, xRows, rowBytes
//   dispatch: (ceil(outRows / 2), 1, 1), workgroup 64 threads
// K is whole blocks (a multiple of BLOCK_ELEMS, and of 4 for the block types); F32/F16/BF16 take any K.

#define ROWS_PER_WG 2u
#define MAX_TOKENS 8u
#define REDUCE_VALUES 16 // ROWS_PER_WG * MAX_TOKENS

layout(local_size_x = 64) in;

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
#include "reduce.glsl"

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint firstRow = gl_WorkGroupID.x * ROWS_PER_WG;
    const uint tokens = min(p.xRows, MAX_TOKENS);
    const uint groups = p.K / 4u; // whole 4-value groups

    // A row past the chunk's end (odd outRows, last workgroup) re-reads the last row and is not written:
    // no early return, the reduction has barriers.
    uint rowAt[ROWS_PER_WG];
    for (uint r = 0u; r < ROWS_PER_WG; ++r)
        rowAt[r] = min(firstRow + r, p.outRows - 1u) * p.rowBytes;

    float acc[ROWS_PER_WG][MAX_TOKENS];
    for (uint r = 0u; r < ROWS_PER_WG; ++r)
        for (uint t = 0u; t < MAX_TOKENS; ++t)
            acc[r][t] = 0.0;

    for (uint g = tid; g < groups; g += 64u) {
        const uint k = 4u * g;
        vec4 w[ROWS_PER_WG];
        for (uint r = 0u; r < ROWS_PER_WG; ++r)
            weights4(rowAt[r], k, w[r]);
        // Constant bound so acc stays in registers after unrolling; tokens past xRows are skipped.
        for (uint t = 0u; t < MAX_TOKENS; ++t) {
            if (t < tokens) {
                const uint xi = t * p.K + k;
                const vec4 xv = vec4(x[xi], x[xi + 1u], x[xi + 2u], x[xi + 3u]);
                for (uint r = 0u; r < ROWS_PER_WG; ++r)
                    acc[r][t] += dot(w[r], xv);
            }
        }
    }
#ifdef WEIGHT_IS_FLOAT
    // Float rows may have any length: the last K % 4 values one by one (at most 3 threads).
    const uint kTail = 4u * groups + tid;
    if (kTail < p.K) {
        for (uint r = 0u; r < ROWS_PER_WG; ++r) {
            const float w = weightAt(rowAt[r], kTail);
            for (uint t = 0u; t < MAX_TOKENS; ++t)
                if (t < tokens)
                    acc[r][t] += w * x[t * p.K + kTail];
        }
    }
#endif

    // Sum i = token i / 2, row i % 2; only the 2 * tokens live sums are reduced.
    for (uint t = 0u; t < MAX_TOKENS; ++t)
        if (t < tokens)
            for (uint r = 0u; r < ROWS_PER_WG; ++r)
                reduceBuf[t * ROWS_PER_WG + r][tid] = acc[r][t];
    reduceSums(tid, tokens * ROWS_PER_WG);

    if (tid < tokens * ROWS_PER_WG) {
        const uint t = tid / ROWS_PER_WG, row = firstRow + tid % ROWS_PER_WG;
        if (row < p.outRows)
            outValues[t * p.outStride + p.firstOutRow + row] = reduceBuf[tid][0];
    }
}
