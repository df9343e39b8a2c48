#version 450
#extension GL_GOOGLE_include_directive : require
// Qwen3's Q/K norm and rotary embedding, with this chunk's keys and values written to the layer's KV cache in
// the same pass (one dispatch where there were two, and no second pass over k). Per head: RMSNorm over
// headDim with q_norm / k_norm, then NeoX rotate-half RoPE at position firstPosition + row, as
// engine/backend/cpu/attention_ops.cpp does it:
//   angle = float(position) * invFreq[i]                    (one fp32 product)
//   c = cos(angle) * attentionFactor, s = sin(angle) * attentionFactor
//   x'[i] = x[i] c - x[i+h] s,  x'[i+h] = x[i+h] c + x[i] s   (h = headDim / 2, x the normalised head)
// q heads are updated in place; k heads are left as they are and their roped values go to the cache at
// position firstPosition + row, with the row's v head beside them. The fp16 cache holds two halves per 32-bit
// word (packHalf2x16), elements (2w, 2w+1) of a position's kvHeads*headDim values in word w; a k workgroup
// writes whole words, so each invocation computes the two elements of its words (their RoPE pairs are
// h apart, not adjacent) from the read-only k. (The CPU cache is fp32: the fp16 rounding is the GPU's one
// intended difference; the _f32 variant stores the pairs as they are.)
// The CPU takes cos/sin of the fp32 angle in double. Vulkan's sin/cos only promise an absolute error of 2^-11
// inside [-pi, pi] (and nothing outside), far too coarse for angles of thousands of radians, so this shader
// reduces the angle itself (Cody-Waite, exact up to ~2e5 radians) and evaluates minimax polynomials: within
// about 1 ulp of the CPU's rounded cos/sin. The norm's sum of squares is fp32 here, double on the CPU.
// Host: engine/backend/vulkan/layer_ops.cpp (QkNormRopeStorePush); the cache ranges are the layer's own.
//   bindings: 0 q [rows][heads*headDim] (in place), 1 k [rows][kvHeads*headDim], 2 v (as k; both read only),
//             3 qNorm [headDim], 4 kNorm [headDim], 5 invFreq [headDim/2] (all fp32),
//             6 keyCache, 7 valueCache ([position][kvHeads*headDim]: fp16 pairs in uint words, or fp32)
//   binding 8: step (common/step.glsl: firstPosition)
//   dispatch: (heads + kvHeads, rows, 1): workgroup x < heads is q head x, else k and v head x - heads;
//             headDim even (any size: an invocation owns whole pairs or words, nothing is staged in shared
//             memory)

layout(local_size_x = 64) in;
layout(binding = 0) buffer Q { float q[]; };
layout(binding = 1) readonly buffer K { float k[]; };
layout(binding = 2) readonly buffer V { float v[]; };
layout(binding = 3) readonly buffer QNorm { float qNorm[]; };
layout(binding = 4) readonly buffer KNorm { float kNorm[]; };
layout(binding = 5) readonly buffer InvFreq { float invFreq[]; };
#ifdef KV_F32 // the fp32 cache variant (qk_norm_rope_store_f32): pairs stored as they are
layout(binding = 6) writeonly buffer KeyCache { vec2 keyCache[]; };
layout(binding = 7) writeonly buffer ValueCache { vec2 valueCache[]; };
#define STORE_PAIR(pair) (pair)
#else
layout(binding = 6) writeonly buffer KeyCache { uint keyCache[]; };
layout(binding = 7) writeonly buffer ValueCache { uint valueCache[]; };
#define STORE_PAIR(pair) packHalf2x16(pair)
#endif
layout(push_constant) uniform Push {
    uint rows;
    uint heads;
    uint kvHeads;
    uint headDim;
    float eps;
    float attentionFactor;
} p;

#define STEP_BINDING 8
#include "step.glsl"

#include "reduce_ops.glsl"

// cos and sin of an fp32 angle >= 0. j = round(angle / (pi/2)); r = angle - j pi/2 with pi/2 split into parts
// of at most 7 significant bits (so j * part is exact for j < 2^17) plus an fp32 tail: r is within ~1e-7 of
// the true remainder. Then Cephes' sinf/cosf polynomials on [-pi/4, pi/4] and the quadrant j mod 4.
vec2 cosSin(float angle)
{
    precise float j = floor(angle * 0.63661977236758134 + 0.5);
    precise float r = angle - j * 1.5625;
    r = r - j * 0.0081787109375;
    r = r - j * 0.00011730194091796875;
    r = r - j * 3.129243850708008e-07;
    r = r - j * 9.92093629470503e-10;
    precise float z = r * r;
    precise float s = ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
    precise float c = ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z
                      - 0.5 * z + 1.0;
    const uint quadrant = uint(j) & 3u;
    if (quadrant == 0u)
        return vec2(c, s);
    if (quadrant == 1u)
        return vec2(-s, c);
    if (quadrant == 2u)
        return vec2(-c, -s);
    return vec2(s, -c);
}

// RoPE pair i of a head whose normalised values are (a, b) = (x[i], x[i + half]) times the norm weights:
// returns (x'[i], x'[i + half]).
vec2 rotatePair(float a, float b, uint i, float position)
{
    precise float angle = position * invFreq[i];
    const vec2 cs = cosSin(angle);
    precise float c = cs.x * p.attentionFactor;
    precise float s = cs.y * p.attentionFactor;
    precise float x0 = a * c - b * s;
    precise float x1 = b * c + a * s;
    return vec2(x0, x1);
}

// Element e of the roped k head starting at `base`, normalised by `inverse`.
float ropedKey(uint base, uint e, float inverse, float position)
{
    const uint half_ = p.headDim / 2u;
    const uint i = e < half_ ? e : e - half_;
    // The CPU's order: (x * inverse) * weight, rounded at each step.
    precise float a = k[base + i] * inverse;
    a = a * kNorm[i];
    precise float b = k[base + i + half_] * inverse;
    b = b * kNorm[i + half_];
    const vec2 x = rotatePair(a, b, i, position);
    return e < half_ ? x.x : x.y;
}

void main()
{
    const uint head = gl_WorkGroupID.x, row = gl_WorkGroupID.y, tid = gl_LocalInvocationID.x;
    const bool isQ = head < p.heads; // uniform per workgroup
    const uint kvHead = head - p.heads;
    const uint base = isQ ? (row * p.heads + head) * p.headDim : (row * p.kvHeads + kvHead) * p.headDim;

    float sum = 0.0;
    for (uint i = tid; i < p.headDim; i += 64u) {
        const float x = isQ ? q[base + i] : k[base + i];
        sum += x * x;
    }
    // Every read of the q head above happens before the barriers inside workgroupSum, and below each
    // invocation reads and writes only its own pairs (i, i + half), so the head is updated in place.
    const float inverse = 1.0 / sqrt(workgroupSum(sum) / float(p.headDim) + p.eps);

    const uint half_ = p.headDim / 2u;
    const float position = float(step.firstPosition + row);
    if (isQ) {
        for (uint i = tid; i < half_; i += 64u) {
            precise float a = q[base + i] * inverse;
            a = a * qNorm[i];
            precise float b = q[base + i + half_] * inverse;
            b = b * qNorm[i + half_];
            const vec2 x = rotatePair(a, b, i, position);
            q[base + i] = x.x;
            q[base + i + half_] = x.y;
        }
        return;
    }
    // This head's words in the cache: the chunk's row r is position firstPosition + r, kvHeads*half words each.
    const uint target = ((step.firstPosition + row) * p.kvHeads + kvHead) * half_;
    for (uint w = tid; w < half_; w += 64u) {
        const uint e = 2u * w;
        keyCache[target + w] =
            STORE_PAIR(vec2(ropedKey(base, e, inverse, position), ropedKey(base, e + 1u, inverse, position)));
        valueCache[target + w] = STORE_PAIR(vec2(v[base + e], v[base + e + 1u]));
    }
}
