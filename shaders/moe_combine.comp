#version 450
// Each token's MoE output: the routing-weighted sum of its experts' outputs (one slot row per routed expert):
// out[r][c] = sum over j < topK of weights[r*topK + j] * slotOut[(r*topK + j)*cols + c], starting from 0 and
// adding weight * value products (each rounded, not fused) for j = 0, 1, ... The CPU
// (engine/backend/cpu/moe_ops.cpp) adds the same products but in ascending expert id order, which this shader
// cannot know (no ids binding): with topK > 2 the sums may differ in the last bits.
// Host: engine/backend/vulkan/matrix_ops.cpp (CombinePush).
//   bindings: 0 slotOut [rows*topK][cols] fp32, 1 weights [rows][topK] fp32, 2 out [rows][cols] fp32
//   dispatch: (ceil(cols / 64), rows, 1)
layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer SlotOut { float slotOut[]; };
layout(binding = 1) readonly buffer Weights { float weights[]; };
layout(binding = 2) writeonly buffer Out { float outValues[]; };
layout(push_constant) uniform Push {
    uint rows;
    uint cols;
    uint topK;
} p;

void main()
{
    const uint c = gl_GlobalInvocationID.x, row = gl_WorkGroupID.y;
    if (c >= p.cols)
        return;
    precise float sum = 0.0;
    for (uint j = 0u; j < p.topK; ++j) {
        const uint slot = row * p.topK + j;
        precise float term = weights[slot] * slotOut[slot * p.cols + c];
        sum = sum + term;
    }
    outValues[row * p.cols + c] = sum;
}
