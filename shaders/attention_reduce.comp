#version 450
// Combines attention_split.comp's partial records of one (row, head) by log-sum-exp: with M the largest
// split maximum, out = sum_s acc_s * exp(m_s - M) / sum_s l_s * exp(m_s - M). Splits that saw no key (l = 0)
// are skipped outright; split 0 always holds key 0, so the total is never 0.
// Host: engine/backend/vulkan/attention_ops.cpp (ReducePush).
//   bindings: 0 partial (fp32 records of headDim + 2: m, l, acc[headDim]), 1 out [rows][heads*headDim] fp32
//   dispatch: (heads, rows, 1), 64 invocations each
layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer Partial { float partial[]; };
layout(binding = 1) writeonly buffer Out { float outValues[]; };
layout(push_constant) uniform Push {
    uint rows;
    uint heads;
    uint headDim;
    uint splits;
} p;

void main()
{
    const uint head = gl_WorkGroupID.x, row = gl_WorkGroupID.y;
    const uint stride = p.headDim + 2u;
    const uint first = (row * p.heads + head) * p.splits * stride;
    // Every invocation derives the (few, <= 32) split factors itself: cheaper than sharing them.
    float largest = partial[first];
    for (uint s = 1u; s < p.splits; ++s)
        if (partial[first + s * stride + 1u] > 0.0)
            largest = max(largest, partial[first + s * stride]);
    float total = 0.0;
    for (uint s = 0u; s < p.splits; ++s) {
        const float l = partial[first + s * stride + 1u];
        if (l > 0.0)
            total += l * exp(partial[first + s * stride] - largest);
    }
    const float inverse = 1.0 / total;
    const uint outBase = (row * p.heads + head) * p.headDim;
    for (uint d = gl_LocalInvocationID.x; d < p.headDim; d += 64u) {
        float sum = 0.0;
        for (uint s = 0u; s < p.splits; ++s)
            if (partial[first + s * stride + 1u] > 0.0)
                sum += partial[first + s * stride + 2u + d] * exp(partial[first + s * stride] - largest);
        outValues[outBase + d] = sum * inverse;
    }
}
