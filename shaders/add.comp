#version 450
// The residual add x += y, elementwise (one fp32 add, as the CPU).
// Host: engine/backend/vulkan/layer_ops.cpp (CountPush).
//   bindings: 0 x, 1 y (fp32); dispatch (ceil(count / 64), 1, 1)
layout(local_size_x = 64) in;
layout(binding = 0) buffer X { float x[]; };
layout(binding = 1) readonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint count; } p;

void main()
{
    const uint i = gl_GlobalInvocationID.x;
    if (i < p.count)
        x[i] += y[i];
}
