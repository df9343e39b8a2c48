#version 450
// One level of the top-k selection over a row of logits (Backend::topLogits): each workgroup takes a slice
// of 1024 candidates, sorts it in shared memory (a bitonic sort, 64 invocations) and keeps its best k.
// The host runs levels until one workgroup is left: level 1 reads the row itself (ids are column indices),
// each later level the ids the one before kept; the last writes (id, logit bits) pairs. 151936 logits with
// k = 20 take three levels (149 -> 3 -> 1 workgroups).
// Ranking, as core/token_candidate.h: a key from the logit's bits (integer operations only: -0 as +0, every
// NaN above +inf), higher key first, equal keys to the lower id. Slots past the input are padding, id
// 0xffffffff with key 0, below every real logit (no logit's key is 0); a slice with fewer than k real
// candidates passes padding on, which the next level recognises by its id. The host keeps k <= the row's
// length, so the last level's first k are all real.
// Host: engine/backend/vulkan/top_k_ops.cpp (TopKPush).
//   bindings: 0 the logits activation (fp32 read as uint; the row starts at word rowStart),
//             1 input ids (levels after the first; unread on level 1),
//             2 output: ids [workgroups][k] (uint), or on the last level pairs [k][2] (id, logit bits)
//   push constants: rowStart, count (candidates in: the row length on level 1), k (<= 256),
//             firstLevel (ids are indices), lastLevel (write pairs; one workgroup)
//   dispatch: (ceil(count / 1024), 1, 1), 64 invocations each

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer Logits { uint logitBits[]; };
layout(binding = 1) readonly buffer InIds { uint inIds[]; };
layout(binding = 2) writeonly buffer Out { uint outWords[]; };
layout(push_constant) uniform Push {
    uint rowStart;
    uint count;
    uint k;
    uint firstLevel;
    uint lastLevel;
} p;

const uint SLICE = 1024u;
const uint PADDING = 0xffffffffu;

shared uint key[SLICE];
shared uint id[SLICE];

uint rankKey(uint bits)
{
    if ((bits & 0x7fffffffu) > 0x7f800000u)
        return 0xffffffffu; // NaN
    if (bits == 0x80000000u)
        bits = 0u; // -0 ranks as +0
    return (bits & 0x80000000u) != 0u ? ~bits : (bits | 0x80000000u);
}

// Whether slot a ranks before slot b.
bool before(uint a, uint b)
{
    return key[a] > key[b] || (key[a] == key[b] && id[a] < id[b]);
}

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint first = gl_WorkGroupID.x * SLICE;

    for (uint i = tid; i < SLICE; i += 64u) {
        const uint at = first + i;
        uint token = PADDING;
        if (at < p.count)
            token = p.firstLevel != 0u ? at : inIds[at];
        id[i] = token;
        key[i] = token == PADDING ? 0u : rankKey(logitBits[p.rowStart + token]);
    }
    barrier();

    // Bitonic sort into rank order: runs of `size` alternate direction until the last, which covers the slice.
    for (uint size = 2u; size <= SLICE; size <<= 1u) {
        for (uint stride = size >> 1u; stride > 0u; stride >>= 1u) {
            for (uint t = tid; t < SLICE / 2u; t += 64u) {
                const uint a = 2u * t - (t & (stride - 1u));
                const uint b = a + stride;
                const bool rankOrder = (a & size) == 0u;
                if (rankOrder ? before(b, a) : before(a, b)) {
                    const uint ka = key[a], ia = id[a];
                    key[a] = key[b];
                    id[a] = id[b];
                    key[b] = ka;
                    id[b] = ia;
                }
            }
            barrier();
        }
    }

    for (uint j = tid; j < p.k; j += 64u) {
        if (p.lastLevel != 0u) {
            outWords[2u * j] = id[j];
            outWords[2u * j + 1u] = logitBits[p.rowStart + id[j]];
        } else {
            outWords[gl_WorkGroupID.x * p.k + j] = id[j];
        }
    }
}
