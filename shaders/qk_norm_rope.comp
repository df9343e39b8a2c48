#version 450
#extension GL_GOOGLE_include_directive : require
// Qwen3's Q/K norm and rotary embedding, in place: per head, RMSNorm over headDim with q_norm / k_norm, then
// NeoX rotate-half RoPE at position firstPosition + row, as engine/backend/cpu/attention_ops.cpp does it:
//   angle = float(position) * invFreq[i]                    (one fp32 product)
//   c = cos(angle) * attentionFactor, s = sin(angle) * attentionFactor
//   x'[i] = x[i] c - x[i+h] s,  x'[i+h] = x[i+h] c + x[i] s   (h = headDim / 2, x the normalised head)
// The CPU takes cos/sin of the fp32 angle in double. Vulkan's sin/cos only promise an absolute error of 2^-11
// inside [-pi, pi] (and nothing outside), far too coarse for angles of thousands of radians, so this shader
// reduces the angle itself (Cody-Waite, exact up to ~2e5 radians) and evaluates minimax polynomials: within
// about 1 ulp of the CPU's rounded cos/sin. The norm's sum of squares is fp32 here, double on the CPU.
// Host: engine/backend/vulkan/layer_ops.cpp (QkNormRopePush).
//   bindings: 0 q [rows][heads*headDim], 1 k [rows][kvHeads*headDim], 2 qNorm [headDim], 3 kNorm [headDim],
//             4 invFreq [headDim/2] (all fp32)
//   binding 5: step (common/step.glsl: firstPosition)
//   dispatch: (heads + kvHeads, rows, 1): workgroup x < heads is q head x, else k head x - heads;
//             headDim even (any size: an invocation owns whole pairs, nothing is staged in shared memory)

layout(local_size_x = 64) in;
layout(binding = 0) buffer Q { float q[]; };
layout(binding = 1) buffer K { float k[]; };
layout(binding = 2) readonly buffer QNorm { float qNorm[]; };
layout(binding = 3) readonly buffer KNorm { float kNorm[]; };
layout(binding = 4) readonly buffer InvFreq { float invFreq[]; };
layout(push_constant) uniform Push {
    uint rows;
    uint heads;
    uint kvHeads;
    uint headDim;
    float eps;
    float attentionFactor;
} p;

#define STEP_BINDING 5
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

void main()
{
    const uint head = gl_WorkGroupID.x, row = gl_WorkGroupID.y, tid = gl_LocalInvocationID.x;
    const bool isQ = head < p.heads; // uniform per workgroup
    const uint base = isQ ? (row * p.heads + head) * p.headDim : (row * p.kvHeads + head - p.heads) * p.headDim;

    float sum = 0.0;
    for (uint i = tid; i < p.headDim; i += 64u) {
        const float v = isQ ? q[base + i] : k[base + i];
        sum += v * v;
    }
    // Every read of the head above happens before the barriers inside workgroupSum, and below each invocation
    // reads and writes only its own pairs (i, i + half), so the head is updated in place without staging.
    const float inverse = 1.0 / sqrt(workgroupSum(sum) / float(p.headDim) + p.eps);

    const uint half_ = p.headDim / 2u;
    const float position = float(step.firstPosition + row);
    for (uint i = tid; i < half_; i += 64u) {
        // The CPU's order: (x * inverse) * weight, rounded at each step.
        precise float a = (isQ ? q[base + i] : k[base + i]) * inverse;
        a = a * (isQ ? qNorm[i] : kNorm[i]);
        precise float b = (isQ ? q[base + i + half_] : k[base + i + half_]) * inverse;
        b = b * (isQ ? qNorm[i + half_] : kNorm[i + half_]);
        precise float angle = position * invFreq[i];
        const vec2 cs = cosSin(angle);
        precise float c = cs.x * p.attentionFactor;
        precise float s = cs.y * p.attentionFactor;
        precise float x0 = a * c - b * s;
        precise float x1 = b * c + a * s;
        if (isQ) {
            q[base + i] = x0;
            q[base + i + half_] = x1;
        } else {
            k[base + i] = x0;
            k[base + i + half_] = x1;
        }
    }
}
