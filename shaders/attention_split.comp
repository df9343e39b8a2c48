#version 450
#extension GL_GOOGLE_include_directive : require
// Causal GQA attention over the fp16 KV cache, split over the key range (flash-decoding): workgroup
// (split, head, row) attends query row `row` (position firstPosition + row) to keys
// [split * splitSize, min((split + 1) * splitSize, position + 1)) with an online softmax, and writes a partial
// record {m, l, acc[headDim]}: the running maximum score, the sum of exp(score - m), and the exp-weighted sum
// of values. attention_reduce.comp combines the splits. Head h reads kv head h / (heads / kvHeads); scores
// are dot(q, k) * (1 / sqrt(headDim)), fp32 throughout (the CPU: engine/backend/cpu/attention_ops.cpp, over
// an fp32 cache and with one softmax over all keys, so results agree to fp16 precision, not bit for bit).
// Host: engine/backend/vulkan/attention_ops.cpp (SplitPush).
//   bindings: 0 q [rows][heads*headDim] fp32, 1 keyCache, 2 valueCache (fp16 pairs in uint words,
//             [position][kvHeads*headDim]), 3 partial: record ((row*heads + head)*splits + split)*(headDim+2)
//             4 step (common/step.glsl: firstPosition); splitSize = ceil((firstPosition + rows) / splits)
//   dispatch: (splits, heads, rows), 64 invocations each; headDim even and <= 256
// An empty split (every key past the row's position) writes m = NO_SCORE, l = 0, acc = 0.

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer Q { float q[]; };
#ifdef KV_F32 // the fp32 cache variant (attention_split_f32)
layout(binding = 1) readonly buffer KeyCache { vec2 keyCache[]; };
layout(binding = 2) readonly buffer ValueCache { vec2 valueCache[]; };
#define LOAD_PAIR(word) (word)
#else
layout(binding = 1) readonly buffer KeyCache { uint keyCache[]; };
layout(binding = 2) readonly buffer ValueCache { uint valueCache[]; };
#define LOAD_PAIR(word) unpackHalf2x16(word)
#endif
layout(binding = 3) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform Push {
    uint rows;
    uint heads;
    uint kvHeads;
    uint headDim;
    uint splits;
} p;

#define STEP_BINDING 4
#include "step.glsl"

#include "reduce_ops.glsl"

// Far below any score but finite, so exp(NO_SCORE - m) is 0 rather than the NaN of exp(-inf - -inf).
const float NO_SCORE = -1.0e30;

shared vec2 queryPairs[128]; // the query head, as (even, odd) pairs matching the cache's words
shared float keyWeights[64]; // exp(score - m) of the current tile's keys

void main()
{
    const uint split = gl_WorkGroupID.x, head = gl_WorkGroupID.y, row = gl_WorkGroupID.z;
    const uint tid = gl_LocalInvocationID.x;
    const uint pairs = p.headDim / 2u;
    const uint kvHead = head / (p.heads / p.kvHeads);
    const uint wordsPerPosition = p.kvHeads * pairs;
    const uint headWord = kvHead * pairs;
    // The last row sees firstPosition + rows keys; they are shared evenly among the splits.
    const uint splitSize = (step.firstPosition + p.rows + p.splits - 1u) / p.splits;
    const uint keyBegin = split * splitSize;
    const uint keyEnd = min(keyBegin + splitSize, step.firstPosition + row + 1u); // may be <= keyBegin: empty
    const float scale = 1.0 / sqrt(float(p.headDim));

    const uint qBase = (row * p.heads + head) * p.headDim;
    for (uint i = tid; i < pairs; i += 64u)
        queryPairs[i] = vec2(q[qBase + 2u * i], q[qBase + 2u * i + 1u]);
    barrier();

    // Invocation tid owns output pairs tid and tid + 64 (headDim <= 256).
    float m = NO_SCORE, l = 0.0;
    vec2 acc[2] = vec2[2](vec2(0.0), vec2(0.0));
    for (uint tile = keyBegin; tile < keyEnd; tile += 64u) { // uniform: every invocation runs the barriers
        // One key per invocation: its score.
        const uint key = tile + tid;
        const bool valid = key < keyEnd;
        float score = NO_SCORE;
        if (valid) {
            const uint base = key * wordsPerPosition + headWord;
            float dotProduct = 0.0;
            for (uint i = 0u; i < pairs; ++i)
                dotProduct += dot(queryPairs[i], LOAD_PAIR(keyCache[base + i]));
            score = dotProduct * scale;
        }
        // Online softmax: rescale what was accumulated under the old maximum.
        const float newMax = max(m, workgroupMax(score)); // the tile has >= 1 valid key, so newMax is real
        const float weight = valid ? exp(score - newMax) : 0.0;
        const float correction = exp(m - newMax);
        l = l * correction + workgroupSum(weight);
        m = newMax;
        keyWeights[tid] = weight;
        barrier();

        // Values: every invocation walks the tile's keys for its own output pairs (consecutive invocations read
        // consecutive words of a value row).
        const uint keysInTile = min(64u, keyEnd - tile);
        for (uint j = 0u; j < 2u; ++j) {
            const uint pair = tid + 64u * j;
            if (pair >= pairs)
                break;
            vec2 sum = acc[j] * correction;
            for (uint t = 0u; t < keysInTile; ++t)
                sum += keyWeights[t] * LOAD_PAIR(valueCache[(tile + t) * wordsPerPosition + headWord + pair]);
            acc[j] = sum;
        }
        barrier(); // keyWeights is rewritten by the next tile
    }

    const uint record = ((row * p.heads + head) * p.splits + split) * (p.headDim + 2u);
    if (tid == 0u) {
        partial[record] = m;
        partial[record + 1u] = l;
    }
    for (uint j = 0u; j < 2u; ++j) {
        const uint pair = tid + 64u * j;
        if (pair < pairs) {
            partial[record + 2u + 2u * pair] = acc[j].x;
            partial[record + 3u + 2u * pair] = acc[j].y;
        }
    }
}
