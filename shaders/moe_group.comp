#version 450
// Groups a prefill chunk's routed (token, expert) slots by expert, on the GPU, so the grouped expert mat-mat
// (moe_matmul.comp) reads each expert's weights once for all of its tokens and the ids never leave the GPU.
// Slot s = row * topK + j is routed to expert ids[s] (moe_route.comp). Output, in uint words:
//   groups[e]                  e <= experts: prefix offsets; expert e's slots are pairs [groups[e], groups[e + 1]),
//                              groups[experts] = the number of slots routed to a valid expert
//   groups[experts + 1 + i]    the gathered slot list (each slot s names its token row s / topK and slot j)
// Within one expert the slots' order is arbitrary (shared-memory atomics); it does not change any result:
// moe_matmul computes every output value from its own slot's row alone, in a fixed order over K.
// A slot whose id is outside [0, experts) is left out (moe_route never writes one).
// Host: engine/backend/vulkan/matrix_ops.cpp (GroupPush, groupSlots).
//   bindings: 0 ids [slots] int32, 1 groups [experts + 1 + slots] uint
//   push constants (uint, std430, this order): slots, experts (<= 512)
//   dispatch: (1, 1, 1), one workgroup of 64 invocations
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Ids { int ids[]; };
layout(std430, binding = 1) writeonly buffer Groups { uint groups[]; };
layout(push_constant, std430) uniform Push {
    uint slots;   // rows * topK
    uint experts; // experts in the layer
} p;

shared uint counts[512]; // per expert: slots counted, then the next free place in its list

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    for (uint e = tid; e < p.experts; e += 64u)
        counts[e] = 0u;
    barrier();
    for (uint s = tid; s < p.slots; s += 64u) {
        const int e = ids[s];
        if (e >= 0 && e < int(p.experts))
            atomicAdd(counts[e], 1u);
    }
    barrier();
    if (tid == 0u) { // an exclusive prefix sum over <= 512 counts: serial is cheap next to the mat-mats
        uint running = 0u;
        for (uint e = 0u; e < p.experts; ++e) {
            const uint c = counts[e];
            groups[e] = running;
            counts[e] = running;
            running += c;
        }
        groups[p.experts] = running;
    }
    barrier();
    for (uint s = tid; s < p.slots; s += 64u) {
        const int e = ids[s];
        if (e >= 0 && e < int(p.experts))
            groups[p.experts + 1u + atomicAdd(counts[e], 1u)] = s;
    }
}
