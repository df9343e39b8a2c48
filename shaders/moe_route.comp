#version 450
#extension GL_GOOGLE_include_directive : require
// MoE routing, one token per workgroup, on the GPU so expert ids never cross the bus. The CPU's order of
// operations (engine/backend/cpu/moe_ops.cpp):
//   m = max logit; e_i = exp(logit_i - m); total = float(sum of e_i in double); p_i = e_i / total;
//   the top k by p (ties to the lower expert id, highest first); with `normalize` (norm_topk_prob) the k
//   weights divided by float(their sum in double).
// The double sums become compensated fp32 sums in the same order (see compensatedAdd). The top k is chosen
// by logit, which orders experts as softmax does (it is monotone) but cannot be upset by exp's rounding on
// the GPU; an exact logit tie goes to the lower id. One invocation selects (<= 512 experts, k <= 16).
// Host: engine/backend/vulkan/layer_ops.cpp (RoutePush).
//   bindings: 0 logits [rows][experts] fp32, 1 ids [rows][topK] int32, 2 weights [rows][topK] fp32
//   dispatch: (rows, 1, 1), 64 invocations each

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer Logits { float logits[]; };
layout(binding = 1) writeonly buffer Ids { int ids[]; };
layout(binding = 2) writeonly buffer Weights { float weights[]; };
layout(push_constant) uniform Push {
    uint rows;
    uint experts;
    uint topK;
    uint normalize;
} p;

#include "reduce_ops.glsl"

shared float logit[512];
shared float probability[512];
shared float sharedTotal;

void main()
{
    const uint row = gl_WorkGroupID.x, tid = gl_LocalInvocationID.x;
    const uint base = row * p.experts;

    float largest = -3.402823466e38;
    for (uint e = tid; e < p.experts; e += 64u) {
        logit[e] = logits[base + e];
        largest = max(largest, logit[e]);
    }
    largest = workgroupMax(largest); // exact, as the CPU's max_element
    for (uint e = tid; e < p.experts; e += 64u)
        probability[e] = exp(logit[e] - largest);
    barrier();
    if (tid == 0u) { // in expert order, as the CPU
        float hi = 0.0, lo = 0.0;
        for (uint e = 0u; e < p.experts; ++e)
            compensatedAdd(hi, lo, probability[e]);
        sharedTotal = hi + lo;
    }
    barrier();
    const float total = sharedTotal;
    for (uint e = tid; e < p.experts; e += 64u)
        probability[e] = probability[e] / total;
    barrier();
    if (tid != 0u)
        return;

    // Selection: pass i takes the highest logit not yet taken; only a strictly higher logit replaces the
    // current best, so the scan in id order keeps the lower id on ties. (A bit mask marks taken experts rather
    // than a NaN logit: drivers may assume no NaNs.)
    uint takenMask[16] = uint[16](0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u);
    uint chosen[16];
    const uint firstOut = row * p.topK;
    float hi = 0.0, lo = 0.0;
    for (uint i = 0u; i < p.topK; ++i) {
        uint best = 0xffffffffu;
        float bestLogit = 0.0;
        for (uint e = 0u; e < p.experts; ++e) {
            const bool isTaken = (takenMask[e >> 5] & (1u << (e & 31u))) != 0u;
            if (!isTaken && (best == 0xffffffffu || logit[e] > bestLogit)) {
                best = e;
                bestLogit = logit[e];
            }
        }
        takenMask[best >> 5] |= 1u << (best & 31u);
        chosen[i] = best;
        ids[firstOut + i] = int(best);
        compensatedAdd(hi, lo, probability[best]);
    }
    const float chosenTotal = hi + lo;
    for (uint i = 0u; i < p.topK; ++i)
        weights[firstOut + i] = p.normalize != 0u ? probability[chosen[i]] / chosenTotal : probability[chosen[i]];
}
