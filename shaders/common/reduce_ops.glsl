// Workgroup-wide sum and max of one float per invocation through shared memory (the portable baseline has no
// subgroup operations), and a compensated running sum. Every invocation must call the workgroup functions
// from uniform control flow: they contain barriers. REDUCE_OPS_SIZE is the workgroup size, a power of two
// (64 unless the includer defines it).
#ifndef PONDER_REDUCE_OPS_GLSL
#define PONDER_REDUCE_OPS_GLSL

#ifndef REDUCE_OPS_SIZE
#define REDUCE_OPS_SIZE 64u
#endif

shared float reduceScratch[REDUCE_OPS_SIZE];

float workgroupSum(float value)
{
    const uint tid = gl_LocalInvocationID.x;
    reduceScratch[tid] = value;
    barrier();
    for (uint stride = REDUCE_OPS_SIZE / 2u; stride > 0u; stride >>= 1) {
        if (tid < stride)
            reduceScratch[tid] += reduceScratch[tid + stride];
        barrier();
    }
    const float total = reduceScratch[0];
    barrier(); // the scratch is free again for the next call
    return total;
}

float workgroupMax(float value)
{
    const uint tid = gl_LocalInvocationID.x;
    reduceScratch[tid] = value;
    barrier();
    for (uint stride = REDUCE_OPS_SIZE / 2u; stride > 0u; stride >>= 1) {
        if (tid < stride)
            reduceScratch[tid] = max(reduceScratch[tid], reduceScratch[tid + stride]);
        barrier();
    }
    const float total = reduceScratch[0];
    barrier();
    return total;
}

// sum + value kept as an unevaluated pair hi + lo (Knuth's TwoSum): about 48 bits, so rounding hi + lo once at
// the end matches the CPU's sums in double except in rare near-halfway cases. `precise` stops the compiler
// from simplifying the error term away.
void compensatedAdd(inout float hi, inout float lo, float value)
{
    precise float s = hi + value;
    precise float bp = s - hi;
    precise float err = (hi - (s - bp)) + (value - bp);
    precise float l = lo + err;
    hi = s;
    lo = l;
}

#endif
