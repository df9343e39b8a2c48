// Workgroup sums of up to REDUCE_VALUES partial sums per thread, for 64-thread workgroups (the portable
// baseline has no subgroup guarantee, so this is a plain shared-memory tree; 6 barriers for any count).
// Usage: #define REDUCE_VALUES n, include; each thread writes its partial i to reduceBuf[i][tid] for
// i < count; every thread calls reduceSums(tid, count) with the same count, from uniform control flow
// (barriers inside); then reduceBuf[i][0] holds sum i. Only the first `count` sums are reduced, so a
// decode step with one token does not pay for eight.
#ifndef PONDER_REDUCE_GLSL
#define PONDER_REDUCE_GLSL

#ifndef REDUCE_VALUES
#error "define REDUCE_VALUES before including reduce.glsl"
#endif

shared float reduceBuf[REDUCE_VALUES][64];

void reduceSums(uint tid, uint count)
{
    barrier(); // the partials written before the call are visible (barrier() orders shared memory too)
    for (uint stride = 32u; stride > 0u; stride >>= 1) {
        if (tid < stride) {
            for (uint i = 0u; i < count; ++i)
                reduceBuf[i][tid] += reduceBuf[i][tid + stride];
        }
        barrier();
    }
}

#endif
