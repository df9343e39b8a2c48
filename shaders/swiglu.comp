#version 450
// out = silu(gate) * up, silu(g) = g / (1 + exp(-g)), elementwise, in the CPU's order
// (engine/backend/cpu/basic_ops.cpp). Vulkan's exp and division are not correctly rounded, so values may
// differ from the CPU's in the last bits.
// Host: engine/backend/vulkan/layer_ops.cpp and matrix_ops.cpp (the MoE path binds `out` to the gate buffer).
// Gate and out may therefore be the same memory: they are not declared restrict/readonly/writeonly, and each
// invocation reads its element before writing it.
//   bindings: 0 gate, 1 up, 2 out (fp32); dispatch (ceil(count / 64), 1, 1)
layout(local_size_x = 64) in;
layout(binding = 0) buffer Gate { float gate[]; };
layout(binding = 1) readonly buffer Up { float up[]; };
layout(binding = 2) buffer Out { float outValues[]; };
layout(push_constant) uniform Push { uint count; } p;

void main()
{
    const uint i = gl_GlobalInvocationID.x;
    if (i >= p.count)
        return;
    const float g = gate[i];
    precise float denominator = 1.0 + exp(-g);
    precise float silu = g / denominator;
    precise float result = silu * up[i];
    outValues[i] = result;
}
