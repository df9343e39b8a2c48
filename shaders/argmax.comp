#version 450
// Greedy sampling on the device: the index of the largest value of row `row` of x (cols floats), the lowest
// index among equal maxima (as the CPU's argmax), and that value. Values are compared with >, so NaNs are
// never chosen (an all-NaN row answers index 0).
//   bindings: 0 x [rows][cols] fp32, 1 result uint[2]: {index, floatBitsToUint(value)}
//   dispatch: (1, 1, 1), 256 invocations
layout(local_size_x = 256) in;
layout(binding = 0) readonly buffer X { float x[]; };
layout(binding = 1) writeonly buffer Result { uint result[]; };
layout(push_constant) uniform Push {
    uint cols;
    uint row;
} p;

shared float bestValue[256];
shared uint bestIndex[256];

const uint NONE = 0xffffffffu; // an invocation that saw no (non-NaN) value

// Whether candidate (v, i) beats (bv, bi): a real value beats NONE; otherwise larger, or equal with a lower
// index.
bool beats(float v, uint i, float bv, uint bi)
{
    if (i == NONE)
        return false;
    if (bi == NONE)
        return true;
    return v > bv || (v == bv && i < bi);
}

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint base = p.row * p.cols;
    // Each invocation scans indices tid, tid + 256, ... in increasing order, so a strict > keeps its lowest
    // index among ties; NaNs are skipped (the first value taken must not be NaN, later ones fail the >).
    float bv = -3.402823466e38;
    uint bi = NONE;
    for (uint i = tid; i < p.cols; i += 256u) {
        const float v = x[base + i];
        if (bi == NONE ? !isnan(v) : v > bv) {
            bv = v;
            bi = i;
        }
    }
    bestValue[tid] = bv;
    bestIndex[tid] = bi;
    barrier();
    for (uint stride = 128u; stride > 0u; stride >>= 1) {
        if (tid < stride && beats(bestValue[tid + stride], bestIndex[tid + stride], bestValue[tid], bestIndex[tid])) {
            bestValue[tid] = bestValue[tid + stride];
            bestIndex[tid] = bestIndex[tid + stride];
        }
        barrier();
    }
    if (tid == 0u) {
        result[0] = bestIndex[0] == NONE ? 0u : bestIndex[0];
        result[1] = floatBitsToUint(bestValue[0]);
    }
}
