#version 450
#extension GL_GOOGLE_include_directive : require
// Appends this chunk's keys and values to the layer's fp16 cache at positions firstPosition.. : two halves
// per 32-bit word (packHalf2x16), position p holding words [p * kvWidth/2, (p+1) * kvWidth/2). kvWidth is
// even (kvHeads * an even headDim), so a word never straddles two rows. (The CPU cache is fp32: the fp16
// rounding here is the GPU's one intended difference.)
// Host: engine/backend/vulkan/attention_ops.cpp (KvStorePush); the cache ranges are the layer's own.
//   bindings: 0 k [rows][kvWidth] fp32, 1 v, 2 keyCache (uint words), 3 valueCache, 4 step (common/step.glsl)
//   dispatch: (ceil(rows * kvWidth / 2 / 64), 1, 1), one word per invocation
layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer K { vec2 k[]; };
layout(binding = 1) readonly buffer V { vec2 v[]; };
#ifdef KV_F32 // the fp32 cache variant (kv_store_f32): pairs stored as they are
layout(binding = 2) writeonly buffer KeyCache { vec2 keyCache[]; };
layout(binding = 3) writeonly buffer ValueCache { vec2 valueCache[]; };
#define STORE_PAIR(pair) (pair)
#else
layout(binding = 2) writeonly buffer KeyCache { uint keyCache[]; };
layout(binding = 3) writeonly buffer ValueCache { uint valueCache[]; };
#define STORE_PAIR(pair) packHalf2x16(pair)
#endif
layout(push_constant) uniform Push {
    uint rows;
    uint kvWidth;
} p;

#define STEP_BINDING 4
#include "step.glsl"

void main()
{
    const uint word = gl_GlobalInvocationID.x;
    if (word >= p.rows * (p.kvWidth / 2u))
        return;
    // The chunk's rows are contiguous in both the activations and the cache, so word w of the chunk lands at
    // word w after the first position's start.
    const uint target = step.firstPosition * (p.kvWidth / 2u) + word;
    keyCache[target] = STORE_PAIR(k[word]);
    valueCache[target] = STORE_PAIR(v[word]);
}
