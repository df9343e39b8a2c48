#version 450
#extension GL_GOOGLE_include_directive : require
// Embedding lookup: out row i = dequantised table row ids[i] (common/dequant.glsl, bit-exact with the
// CPU's dequantizeRow). The table is split into chunks of rows (one dispatch each); a workgroup writes its
// row only when the id falls in this chunk, so across the chunks' dispatches every output row is written
// exactly once.
// Host: engine/backend/vulkan/matrix_ops.cpp (EmbedPush).
//
//   binding 0  table: uint words; starts at the chunk's row 0 (vocab row firstRow); row r at byte r * rowBytes
//   binding 1  ids:   int, idCount token ids
//   binding 2  out:   float, idCount x K, row-major
//   push constants (uint, std430, this order): K, idCount, firstRow, chunkRows, rowBytes
//   dispatch: (idCount, 1, 1), workgroup 64 threads; workgroup i handles ids[i]
// K is whole blocks; F32/F16/BF16 take any K.

layout(local_size_x = 64) in;

layout(std430, set = 0, binding = 0) readonly buffer Table { uint tableWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer Ids { int ids[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Out { float outValues[]; };

layout(push_constant, std430) uniform Push {
    uint K;         // row length in elements (hidden size)
    uint idCount;   // ids = output rows
    uint firstRow;  // vocab row of the chunk's row 0
    uint chunkRows; // rows in this chunk
    uint rowBytes;  // bytes per table row
} p;

#define BYTES_BUFFER tableWords
#include "dequant.glsl"

void main()
{
    const uint i = gl_WorkGroupID.x;
    if (i >= p.idCount)
        return;
    const int id = ids[i];
    if (id < int(p.firstRow) || id >= int(p.firstRow + p.chunkRows))
        return; // another chunk's row (or an invalid id: nothing is read)
    const uint rowAt = uint(id - int(p.firstRow)) * p.rowBytes;
    const uint outAt = i * p.K;
    const uint groups = p.K / 4u;
    for (uint g = gl_LocalInvocationID.x; g < groups; g += 64u) {
        vec4 w;
        weights4(rowAt, 4u * g, w);
        for (uint e = 0u; e < 4u; ++e)
            outValues[outAt + 4u * g + e] = w[e];
    }
#ifdef WEIGHT_IS_FLOAT
    // Float rows may have any length: the last K % 4 values one by one.
    const uint k = 4u * groups + gl_LocalInvocationID.x;
    if (k < p.K)
        outValues[outAt + k] = weightAt(rowAt, k);
#endif
}
