#version 450
#extension GL_GOOGLE_include_directive : require
// Prefill mat-mat: out[t * outStride + firstOutRow + r] = dot(W row r, x row t) for any number of token
// rows, in fp32 on any device. Each workgroup computes a 64 (W rows) x 64 (tokens) tile, walking K 16 values
// at a time: the W tile is dequantised once into shared fp32 (common/dequant.glsl, bit-exact with the CPU)
// and reused by all 64 tokens, the x tile by all 64 rows; each of the 64 threads accumulates an 8 x 8
// micro-tile in fp32 from vec4 dots. (Against 32 x 32 tiles with 4 x 4 micro-tiles, each weight is
// dequantised half as often and each shared value read feeds twice the products: about 3x the prefill speed
// on lavapipe.) matmul_f16.comp and matmul_coopmat.comp are the fp16 versions for GPUs.
// Host: engine/backend/vulkan/matrix_ops.cpp (MatrixPush; used above 8 token rows).
//
//   binding 0  weights: uint words; starts at this chunk's row 0; row r at byte r * rowBytes
//   binding 1  x:       float, xRows x K, row-major
//   binding 2  out:     float, xRows x outStride, row-major (this chunk writes columns firstOutRow..+outRows)
//   push constants (uint, std430, this order): K, outRows, firstOutRow, outStride, xRows (>= 1), rowBytes
//   dispatch: (ceil(outRows / 64), ceil(xRows / 64), 1), workgroup 64 threads
// K is whole blocks; the block types' K is a multiple of 32 (a 16-value step never splits a block's 4-value
// group). F32/F16/BF16 take any K: their last, ragged step is zero-padded.

#define TILE 64u  // W rows and tokens per workgroup
#define STEP 4u   // vec4 groups per tile row per K step: 16 values of K
#define PITCH 5u  // vec4 per shared row: +1 spreads the 8 threads of a column walk over distinct banks

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

// 2 x 64 x 5 x 16 bytes = 10,240 bytes (limit 16 KiB).
shared vec4 wTile[TILE * PITCH]; // [W row][k / 4]
shared vec4 xTile[TILE * PITCH]; // [token][k / 4]

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint rowBase = gl_WorkGroupID.x * TILE;
    const uint tokBase = gl_WorkGroupID.y * TILE;
    // This thread's 8x8 micro-tile: rows tr + 8i, tokens tc + 8j (interleaved: the 8 threads that share a
    // tc read 8 different wTile rows, on different banks, and threads that share a tr get a broadcast).
    const uint tr = tid % 8u, tc = tid / 8u;

    float acc[8][8];
    for (uint i = 0u; i < 8u; ++i)
        for (uint j = 0u; j < 8u; ++j)
            acc[i][j] = 0.0;

    for (uint k0 = 0u; k0 < p.K; k0 += 4u * STEP) {
        // W tile: 64 rows x 4 groups of 4 = 256 groups, 4 per thread, dequantised (bit-exact with the CPU);
        // values outside W are 0.
        for (uint q = 0u; q < 4u; ++q) {
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
            wTile[r * PITCH + kq] = w;
        }
        // x tile: 64 tokens x 4 groups of 4, 4 groups per thread; consecutive threads on consecutive groups of
        // one token (coalesced). An if per value, not ?:, so no load is issued outside x.
        for (uint q = 0u; q < 4u; ++q) {
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
            xTile[t * PITCH + kq] = v;
        }
        barrier();

        for (uint kq = 0u; kq < STEP; ++kq) {
            vec4 a[8], b[8];
            for (uint i = 0u; i < 8u; ++i)
                a[i] = wTile[(tr + 8u * i) * PITCH + kq];
            for (uint j = 0u; j < 8u; ++j)
                b[j] = xTile[(tc + 8u * j) * PITCH + kq];
            for (uint i = 0u; i < 8u; ++i)
                for (uint j = 0u; j < 8u; ++j)
                    acc[i][j] += dot(a[i], b[j]);
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
