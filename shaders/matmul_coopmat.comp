#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_KHR_memory_scope_semantics : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_NV_cooperative_matrix : require
// Prefill mat-mat on NVIDIA cooperative matrices (VK_NV_cooperative_matrix): same bindings, push constants
// and results (to ~1e-3 relative) as matmul.comp. Each workgroup computes a 64 (W rows) x 64 (tokens) tile,
// walking K 32 values at a time: the W tile is dequantised in fp32 (common/dequant.glsl, bit-exact with the
// CPU) and rounded once to fp16 in shared memory, the x tile likewise; then each of the two subgroups of 32
// multiplies its 32 W rows by the 64 tokens as 16 x 16 (A, fp16) times 16 x CM_N (B, fp16) products summed
// into 16 x CM_N fp32 accumulators. fp16 products are exact in fp32, so the only rounding beyond fp32 is
// that of the inputs to fp16. Results go through a small shared staging area, so ragged tile edges are
// written with bounds checks.
// Needs: the cooperativeMatrix feature with a subgroup-scope fp16 x fp16 + fp32 shape of M = 16, K = 16,
// N = CM_N (16 or 8, a define: one variant each), shaderFloat16, vulkanMemoryModel (glslang declares the
// Vulkan memory model for every cooperative-matrix shader) and a subgroup size of 32 (two subgroups per
// workgroup). The host checks all of these, then checks this shader's results against matmul.comp's on a
// small GEMM before using it (engine/backend/vulkan/vulkan_backend.cpp).
// Host: engine/backend/vulkan/matrix_ops.cpp (MatrixPush; used above 8 token rows).
//
//   binding 0  weights: uint words; starts at this chunk's row 0; row r at byte r * rowBytes
//   binding 1  x:       float, xRows x K, row-major
//   binding 2  out:     float, xRows x outStride, row-major (this chunk writes columns firstOutRow..+outRows)
//   push constants (uint, std430, this order): K, outRows, firstOutRow, outStride, xRows (>= 1), rowBytes
//   dispatch: (ceil(outRows / 64), ceil(xRows / 64), 1), workgroup 64 threads
// K is whole blocks; the block types' K is a multiple of 32 (a tile step never splits a block's 4-value
// group). F32/F16/BF16 take any K: their last, ragged step is zero-padded. |x| above 65504 overflows fp16.

#ifndef CM_N
#error "define CM_N (8 or 16): the N of the cooperative-matrix shape"
#endif

#define TILE 64u  // W rows and tokens per workgroup
#define STEP 32u  // K values per step: two cooperative-matrix K steps of 16
#define PITCH 40u // halfs per shared row: 80 bytes, a multiple of 16 as matrix loads want, and not of 128
#define NB (64 / CM_N) // B matrices across the 64 tokens

#define MAT_A fcoopmatNV<16, gl_ScopeSubgroup, 16, 16>
#define MAT_B fcoopmatNV<16, gl_ScopeSubgroup, 16, CM_N>
#define MAT_C fcoopmatNV<32, gl_ScopeSubgroup, 16, CM_N>

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

// 2 x 64 x 40 x 2 + 2 x 16 x 16 x 4 = 12,288 bytes at most (limit 16 KiB).
shared float16_t wTile[TILE * PITCH]; // [W row][k]: A, row-major
shared float16_t xTile[TILE * PITCH]; // [token][k]: B (k x token), column-major
shared float cStage[2u * 16u * uint(CM_N)]; // per subgroup, one accumulator: [token][row]

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint rowBase = gl_WorkGroupID.x * TILE;
    const uint tokBase = gl_WorkGroupID.y * TILE;
    const uint sg = gl_SubgroupID; // 0 or 1: rows 32 sg .. 32 sg + 31 of the tile

    MAT_C acc[2][NB];
    for (uint i = 0u; i < 2u; ++i)
        for (uint j = 0u; j < NB; ++j)
            acc[i][j] = MAT_C(0.0);

    for (uint k0 = 0u; k0 < p.K; k0 += STEP) {
        // W tile: 64 rows x 8 groups of 4 = 512 groups, 8 per thread; values outside W are 0.
        for (uint q = 0u; q < 8u; ++q) {
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
                wTile[r * PITCH + kq + e] = float16_t(w[e]);
        }
        // x tile: 64 tokens x 8 groups of 4, 8 per thread, consecutive threads on consecutive groups.
        for (uint q = 0u; q < 8u; ++q) {
            const uint g = tid + 64u * q;
            const uint t = g / 8u, kq = 4u * (g % 8u);
            const uint tok = tokBase + t, k = k0 + kq;
            vec4 v = vec4(0.0);
            if (tok < p.xRows) {
                const uint at = tok * p.K + k;
                for (uint e = 0u; e < 4u; ++e)
                    if (k + e < p.K)
                        v[e] = x[at + e];
            }
            for (uint e = 0u; e < 4u; ++e)
                xTile[t * PITCH + kq + e] = float16_t(v[e]);
        }
        barrier();

        for (uint kk = 0u; kk < STEP; kk += 16u) {
            MAT_A a[2];
            for (uint i = 0u; i < 2u; ++i)
                coopMatLoadNV(a[i], wTile, (32u * sg + 16u * i) * PITCH + kk, PITCH, false);
            for (uint j = 0u; j < NB; ++j) {
                MAT_B b;
                coopMatLoadNV(b, xTile, uint(CM_N) * j * PITCH + kk, PITCH, true);
                for (uint i = 0u; i < 2u; ++i)
                    acc[i][j] = coopMatMulAddNV(a[i], b, acc[i][j]);
            }
        }
        barrier(); // before the next step overwrites the tiles
    }

    // Each accumulator through this subgroup's staging: element (row m, token n) at n * 16 + m, so
    // consecutive invocations write consecutive output columns.
    const uint stage = sg * 16u * uint(CM_N);
    for (uint i = 0u; i < 2u; ++i)
        for (uint j = 0u; j < NB; ++j) {
            coopMatStoreNV(acc[i][j], cStage, stage, 16u, true);
            subgroupMemoryBarrierShared();
            subgroupBarrier();
            for (uint e = gl_SubgroupInvocationID; e < 16u * uint(CM_N); e += gl_SubgroupSize) {
                const uint row = rowBase + 32u * sg + 16u * i + e % 16u;
                const uint tok = tokBase + uint(CM_N) * j + e / 16u;
                if (row < p.outRows && tok < p.xRows)
                    outValues[tok * p.outStride + p.firstOutRow + row] = cStage[stage + e];
            }
            subgroupBarrier(); // before the next store overwrites the staging
        }
}
