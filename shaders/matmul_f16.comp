#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
// Prefill mat-mat in fp16 arithmetic, for GPUs with shaderFloat16: the layout of matmul.comp (same bindings,
// push constants, 64 x 64 tiles, 8 x 8 micro-tiles per thread; results to ~1e-3 relative), but the tiles
// live in shared memory as fp16 (half the bytes and shared-memory traffic, so K steps of 32) and products
// are formed 4 at a time as an f16vec4 dot (fp16 multiply and add over a run of 4 values, packed fp16 math
// on GPUs), each run added to an fp32 accumulator, so the rounding error stays that of a few fp16
// operations per term instead of growing with K. Without fp16 arithmetic units (lavapipe) it is no faster
// than matmul.comp, so CPU devices do not pick it by default.
// Host: engine/backend/vulkan/matrix_ops.cpp (MatrixPush; used above 8 token rows, see
// VulkanOptions::fp16Matmul).
//
//   binding 0  weights: uint words; starts at this chunk's row 0; row r at byte r * rowBytes
//   binding 1  x:       float, xRows x K, row-major
//   binding 2  out:     float, xRows x outStride, row-major (this chunk writes columns firstOutRow..+outRows)
//   push constants (uint, std430, this order): K, outRows, firstOutRow, outStride, xRows (>= 1), rowBytes
//   dispatch: (ceil(outRows / 64), ceil(xRows / 64), 1), workgroup 64 threads
// K is whole blocks; the block types' K is a multiple of 32 (a tile step never splits a block's 4-value
// group). F32/F16/BF16 take any K: their last, ragged step is zero-padded.
// Range: weights and activations are rounded to fp16, so |x| above 65504 would overflow to infinity (not
// checked: the projections' inputs are RMS-normalised or SwiGLU outputs); values under 6.1e-5 lose
// precision as fp16 subnormals, an absolute error below 1e-7 per term.

#define TILE 64u   // W rows and tokens per workgroup
#define STEP 8u    // f16vec4 groups per tile row per K step: 32 values of K
#define PITCH 9u   // f16vec4 per shared row: +1 spreads the 8 threads of a column walk over distinct banks

layout(local_size_x = 64) in;

layout(std430, set = 0, binding = 0) readonly buffer Weights { uint weightWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Out { float outValues[]; };

layout(push_constant, std430) uniform Push {
    uint K;           // row length in elements
    uint outRows;     // W rows in this chunk
    uint firstOutRow; // output column of the chunk's row 0
    uint outStride;   // floats per output row
    uint xRows;       // token rows
    uint rowBytes;    // bytes per W row
} p;

#define BYTES_BUFFER weightWords
#include "dequant.glsl"

// 2 x 64 x 9 x 8 bytes = 9,216 bytes (limit 16 KiB).
shared f16vec4 wTile[TILE * PITCH]; // [W row][k / 4]
shared f16vec4 xTile[TILE * PITCH]; // [token][k / 4]

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint rowBase = gl_WorkGroupID.x * TILE;
    const uint tokBase = gl_WorkGroupID.y * TILE;
    // This thread's 8x8 micro-tile: rows tr + 8i, tokens tc + 8j (interleaved, as in matmul.comp).
    const uint tr = tid % 8u, tc = tid / 8u;

    float acc[8][8];
    for (uint i = 0u; i < 8u; ++i)
        for (uint j = 0u; j < 8u; ++j)
            acc[i][j] = 0.0;

    for (uint k0 = 0u; k0 < p.K; k0 += 4u * STEP) {
        // W tile: 64 rows x 8 groups of 4 = 512 groups, 8 per thread, dequantised in fp32 (bit-exact with the
        // CPU) and rounded once to fp16; values outside W are 0.
        for (uint q = 0u; q < 8u; ++q) {
            const uint g = tid + 64u * q;
            const uint r = g / STEP, kq = g % STEP;
            const uint row = rowBase + r, k = k0 + 4u * kq;
            vec4 w = vec4(0.0);
            if (row < p.outRows) {
                const uint rowAt = row * p.rowBytes;
#ifdef WEIGHT_IS_FLOAT
                if (k + 4u <= p.K) {
                    weights4(rowAt, k, w);
                } else {
                    for (uint e = 0u; e < 4u; ++e)
                        if (k + e < p.K)
                            w[e] = weightAt(rowAt, k + e);
                }
#else
                weights4(rowAt, k, w); // K is a multiple of 32: the step is never ragged in k
#endif
            }
            wTile[r * PITCH + kq] = f16vec4(w);
        }
        // x tile: 64 tokens x 8 groups of 4, 8 groups per thread; consecutive threads on consecutive groups of
        // one token (coalesced). An if per value, not ?:, so no load is issued outside x.
        for (uint q = 0u; q < 8u; ++q) {
            const uint g = tid + 64u * q;
            const uint t = g / STEP, kq = g % STEP;
            const uint tok = tokBase + t, k = k0 + 4u * kq;
            vec4 v = vec4(0.0);
            if (tok < p.xRows) {
                const uint at = tok * p.K + k;
                for (uint e = 0u; e < 4u; ++e)
                    if (k + e < p.K)
                        v[e] = x[at + e];
            }
            xTile[t * PITCH + kq] = f16vec4(v);
        }
        barrier();

        for (uint kq = 0u; kq < STEP; ++kq) {
            f16vec4 a[8], b[8];
            for (uint i = 0u; i < 8u; ++i)
                a[i] = wTile[(tr + 8u * i) * PITCH + kq];
            for (uint j = 0u; j < 8u; ++j)
                b[j] = xTile[(tc + 8u * j) * PITCH + kq];
            for (uint i = 0u; i < 8u; ++i)
                for (uint j = 0u; j < 8u; ++j)
                    acc[i][j] += float(dot(a[i], b[j]));
        }
        barrier(); // before the next step overwrites the tiles
    }

    for (uint i = 0u; i < 8u; ++i) {
        const uint row = rowBase + tr + 8u * i;
        for (uint j = 0u; j < 8u; ++j) {
            const uint tok = tokBase + tc + 8u * j;
            if (row < p.outRows && tok < p.xRows)
                outValues[tok * p.outStride + p.firstOutRow + row] = acc[i][j];
        }
    }
}
