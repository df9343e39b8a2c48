#version 450
#extension GL_GOOGLE_include_directive : require
// Prefill mat-mat: out[t * outStride + firstOutRow + r] = dot(W row r, x row t) for any number of token
// rows. Each workgroup computes a 32 (W rows) x 32 (tokens) tile, walking K 32 values at a time: the W tile
// is dequantised once into shared fp32 (common/dequant.glsl, bit-exact with the CPU) and reused by all 32
// tokens, the x tile by all 32 rows; each of the 64 threads accumulates a 4 x 4 micro-tile in fp32.
// Host: engine/backend/vulkan/matrix_ops.cpp (MatrixPush; used above 8 token rows).
//
//   binding 0  weights: uint words; starts at this chunk's row 0; row r at byte r * rowBytes
//   binding 1  x:       float, xRows x K, row-major
//   binding 2  out:     float, xRows x outStride, row-major (this chunk writes columns firstOutRow..+outRows)
//   push constants (uint, std430, this order): K, outRows, firstOutRow, outStride, xRows (>= 1), rowBytes
//   dispatch: (ceil(outRows / 32), ceil(xRows / 32), 1), workgroup 64 threads
// K is whole blocks; the block types' K is a multiple of 32 (a tile step never splits a block's 4-value
// group). F32/F16/BF16 take any K: their last, ragged step is zero-padded.

#define TILE 32u
#define PAD 33u // row pitch of the shared tiles: +1 spreads a column walk over all banks

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

// 2 x 32 x 33 floats = 8,448 bytes (limit 16 KiB).
shared float wTile[TILE * PAD]; // [W row][k]
shared float xTile[TILE * PAD]; // [token][k]

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint rowBase = gl_WorkGroupID.x * TILE;
    const uint tokBase = gl_WorkGroupID.y * TILE;
    // This thread's 4x4 micro-tile: rows tr + 8i, tokens tc + 8j (interleaved: the 8 threads that share a
    // tc read 8 different wTile rows, on 8 different banks, and threads that share a tr get a broadcast).
    const uint tr = tid % 8u, tc = tid / 8u;

    float acc[4][4];
    for (uint i = 0u; i < 4u; ++i)
        for (uint j = 0u; j < 4u; ++j)
            acc[i][j] = 0.0;

    for (uint k0 = 0u; k0 < p.K; k0 += TILE) {
        // W tile: 32 rows x 8 groups of 4 = 256 groups, 4 per thread; values outside W are 0.
        for (uint q = 0u; q < 4u; ++q) {
            const uint g = tid + 64u * q;
            const uint r = g / 8u, kq = 4u * (g % 8u);
            const uint row = rowBase + r, k = k0 + kq;
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
            for (uint e = 0u; e < 4u; ++e)
                wTile[r * PAD + kq + e] = w[e];
        }
        // x tile: 32 tokens x 32 k, 16 values per thread, consecutive threads on consecutive k (coalesced).
        // An if, not ?:, so no load is issued outside x.
        for (uint q = 0u; q < 16u; ++q) {
            const uint idx = tid + 64u * q;
            const uint t = idx / TILE, kk = idx % TILE;
            const uint tok = tokBase + t, k = k0 + kk;
            float v = 0.0;
            if (tok < p.xRows && k < p.K)
                v = x[tok * p.K + k];
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

    for (uint i = 0u; i < 4u; ++i) {
        const uint row = rowBase + tr + 8u * i;
        for (uint j = 0u; j < 4u; ++j) {
            const uint tok = tokBase + tc + 8u * j;
            if (row < p.outRows && tok < p.xRows)
                outValues[tok * p.outStride + p.firstOutRow + row] = acc[i][j];
        }
    }
}
