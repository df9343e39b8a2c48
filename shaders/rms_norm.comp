#version 450
#extension GL_GOOGLE_include_directive : require
// out[r] = x[r] / sqrt(mean(x[r]^2) + eps) * weight, one workgroup per row. Same operation order as the CPU
// (engine/backend/cpu/basic_ops.cpp): inverse = 1 / sqrt(meanSquare + eps), then (x * inverse) * weight.
// The CPU sums the squares in double; here they are summed in fp32 (no optional float64 feature), so the
// inverse may differ from the CPU's in the last bit or so.
// Host: engine/backend/vulkan/layer_ops.cpp (RmsNormPush). out may be x itself (each value is read before
// the same invocation writes it, and the sum is complete before any write).
//   bindings: 0 x [rows][cols], 1 weight [cols], 2 out [rows][cols] (all fp32)
//   dispatch: (rows, 1, 1), 64 invocations each

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer X { float x[]; };
layout(binding = 1) readonly buffer Weight { float weight[]; };
layout(binding = 2) writeonly buffer Out { float outValues[]; };
layout(push_constant) uniform Push {
    uint cols;
    uint rows;
    float eps;
} p;

#include "reduce_ops.glsl"

void main()
{
    const uint base = gl_WorkGroupID.x * p.cols;
    float sum = 0.0;
    for (uint c = gl_LocalInvocationID.x; c < p.cols; c += 64u) {
        const float v = x[base + c];
        sum += v * v;
    }
    const float inverse = 1.0 / sqrt(workgroupSum(sum) / float(p.cols) + p.eps);
    for (uint c = gl_LocalInvocationID.x; c < p.cols; c += 64u) {
        precise float normed = x[base + c] * inverse;
        precise float scaled = normed * weight[c];
        outValues[base + c] = scaled;
    }
}
