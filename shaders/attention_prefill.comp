#version 450
#extension GL_GOOGLE_include_directive : require
// Causal GQA attention of a prefill chunk over the fp16 KV cache, tiled (flash attention): workgroup
// (tile, head) attends the TILE_ROWS consecutive query rows tile * TILE_ROWS .. (positions firstPosition +
// row) of head `head` to keys 0 .. the last row's position, walking them TILE_KEYS at a time. Each key tile
// is read from the cache once into shared memory and used by every row of the query tile (the split-K
// decode kernel, attention_split.comp, reads the keys once per row). Per row an online softmax keeps the
// running maximum m and sum l of exp(score - m) in fp32, and the output rows are written directly: no
// partial records, no reduce pass. Keys past a row's own position are masked (the diagonal tile); rows past
// the chunk's end in the last tile are computed masked and never written. Head h reads kv head
// h / (heads / kvHeads); scores are dot(q, k) * (1 / sqrt(HEAD_DIM)), fp32 throughout (the CPU reference,
// engine/backend/cpu/attention_ops.cpp, keeps an fp32 cache and one softmax over all keys: results agree to
// the cache's precision, not bit for bit).
// Host: engine/backend/vulkan/attention_ops.cpp (PrefillPush, prefillTile picks the tile for a head size).
//   bindings: 0 q [rows][heads*HEAD_DIM] fp32, 1 keyCache, 2 valueCache (fp16 pairs in uint words, or vec2
//             in the _f32 variant; [position][kvHeads*HEAD_DIM]), 3 out [rows][heads*HEAD_DIM] fp32,
//             4 step (common/step.glsl: firstPosition)
//   push constants (uint, this order): rows, heads, kvHeads
//   specialization constants: 0 HEAD_DIM (even, <= 256), 1 TILE_ROWS, 2 TILE_KEYS (a power of two <= 64);
//             shared memory in 32-bit words, which the host keeps <= 4096 (16 KiB):
//             TILE_ROWS * HEAD_DIM + TILE_KEYS * (HEAD_DIM / 2 + 1) * (1, or 2 for _f32) + TILE_ROWS * TILE_KEYS
//             + 2 * TILE_ROWS; and the accumulators per invocation, ACC_ROWS * ACC_COLS, <= 16 pairs
//   dispatch: (ceil(rows / TILE_ROWS), heads, 1), 64 invocations each
//
// Per key tile, four barriers: load keys | scores (invocations split over (row, key) pairs) | load values
// into the keys' shared memory while one invocation per row updates its softmax state | every invocation
// accumulates its (row, value pair) outputs.

layout(local_size_x = 64) in;
layout(constant_id = 0) const uint HEAD_DIM = 128u;
layout(constant_id = 1) const uint TILE_ROWS = 16u;
layout(constant_id = 2) const uint TILE_KEYS = 16u;

layout(binding = 0) readonly buffer Q { float q[]; };
#ifdef KV_F32 // the fp32 cache variant (attention_prefill_f32)
layout(binding = 1) readonly buffer KeyCache { vec2 keyCache[]; };
layout(binding = 2) readonly buffer ValueCache { vec2 valueCache[]; };
#define KV_WORD vec2
#define LOAD_PAIR(word) (word)
#else
layout(binding = 1) readonly buffer KeyCache { uint keyCache[]; };
layout(binding = 2) readonly buffer ValueCache { uint valueCache[]; };
#define KV_WORD uint
#define LOAD_PAIR(word) unpackHalf2x16(word)
#endif
layout(binding = 3) writeonly buffer Out { float outValues[]; };
layout(push_constant) uniform Push {
    uint rows;
    uint heads;
    uint kvHeads;
} p;

#define STEP_BINDING 4
#include "step.glsl"

const uint PAIRS = HEAD_DIM / 2u;
// A shared key/value row is padded by one word, so the invocations of the score phase (one key each, same
// pair index) read different banks.
const uint KV_STRIDE = PAIRS + 1u;
// Score phase: invocation tid takes key tid % TILE_KEYS of rows tid / TILE_KEYS + SCORE_ROW_STEP * i.
const uint SCORE_ROW_STEP = 64u / TILE_KEYS;
const uint SCORE_ROWS = (TILE_ROWS + SCORE_ROW_STEP - 1u) / SCORE_ROW_STEP;
// Value phase: ACC_LANES invocations share a query row, lane l owning pairs l + ACC_LANES * j; the
// ACC_ROW_STEP groups of them take rows group + ACC_ROW_STEP * i (invocations past the last group idle).
const uint ACC_LANES = PAIRS < 64u ? PAIRS : 64u;
const uint ACC_ROW_STEP = 64u / ACC_LANES;
const uint ACC_COLS = (PAIRS + ACC_LANES - 1u) / ACC_LANES;
const uint ACC_ROWS = (TILE_ROWS + ACC_ROW_STEP - 1u) / ACC_ROW_STEP;

// Far below any score but finite, so exp(NO_SCORE - m) is 0 rather than the NaN of exp(-inf - -inf).
const float NO_SCORE = -1.0e30;

shared vec2 queryTile[TILE_ROWS * PAIRS];       // the tile's query rows of this head, as (even, odd) pairs
shared KV_WORD kvTile[TILE_KEYS * KV_STRIDE];   // the current tile's keys, then its values
shared float scores[TILE_ROWS * TILE_KEYS];     // scores, then exp(score - m), of the current tile
shared float rowCorrection[TILE_ROWS];          // exp(m_old - m_new) of the current tile, per row
shared float rowSum[TILE_ROWS];                 // l of each row, for the final division

// Copies keys tile .. tile + count - 1 of the kv head starting at word `headWord` into kvTile.
#define LOAD_TILE(cache)                                                                                   \
    for (uint i = tid; i < count * PAIRS; i += 64u) {                                                      \
        const uint key = i / PAIRS, pair = i % PAIRS;                                                      \
        kvTile[key * KV_STRIDE + pair] = cache[(tile + key) * wordsPerPosition + headWord + pair];        \
    }

void main()
{
    const uint rowBase = gl_WorkGroupID.x * TILE_ROWS, head = gl_WorkGroupID.y;
    const uint tid = gl_LocalInvocationID.x;
    const uint kvHead = head / (p.heads / p.kvHeads);
    const uint wordsPerPosition = p.kvHeads * PAIRS;
    const uint headWord = kvHead * PAIRS;
    const uint rowsHere = min(TILE_ROWS, p.rows - rowBase);
    const uint firstRowPosition = step.firstPosition + rowBase;
    const uint keyEnd = firstRowPosition + rowsHere; // the last row sees keys up to its own position
    const float scale = 1.0 / sqrt(float(HEAD_DIM));

    for (uint i = tid; i < TILE_ROWS * PAIRS; i += 64u) {
        const uint r = i / PAIRS, pair = i % PAIRS;
        vec2 value = vec2(0.0);
        if (r < rowsHere) {
            const uint base = ((rowBase + r) * p.heads + head) * HEAD_DIM + 2u * pair;
            value = vec2(q[base], q[base + 1u]);
        }
        queryTile[i] = value;
    }

    const uint scoreKey = tid % TILE_KEYS, scoreRow = tid / TILE_KEYS;
    const uint accLane = tid % ACC_LANES, accGroup = tid / ACC_LANES;
    // The softmax state of row tid (tid < TILE_ROWS).
    float m = NO_SCORE, l = 0.0;
    vec2 acc[ACC_ROWS * ACC_COLS];
    for (uint i = 0u; i < ACC_ROWS * ACC_COLS; ++i)
        acc[i] = vec2(0.0);

    for (uint tile = 0u; tile < keyEnd; tile += TILE_KEYS) { // uniform: every invocation runs the barriers
        const uint count = min(TILE_KEYS, keyEnd - tile);
        LOAD_TILE(keyCache)
        barrier(); // also orders the query tile's stores before the first scores

        // Scores of key tile + scoreKey against this invocation's rows; masked (NO_SCORE) past a row's own
        // position, which also covers keys past `count` and rows past the chunk's end.
        float dots[SCORE_ROWS];
        for (uint i = 0u; i < SCORE_ROWS; ++i)
            dots[i] = 0.0;
        if (scoreKey < count) {
            for (uint pair = 0u; pair < PAIRS; ++pair) {
                const vec2 k = LOAD_PAIR(kvTile[scoreKey * KV_STRIDE + pair]);
                for (uint i = 0u; i < SCORE_ROWS; ++i) {
                    const uint r = min(scoreRow + SCORE_ROW_STEP * i, TILE_ROWS - 1u);
                    dots[i] += dot(queryTile[r * PAIRS + pair], k);
                }
            }
        }
        for (uint i = 0u; i < SCORE_ROWS; ++i) {
            const uint r = scoreRow + SCORE_ROW_STEP * i;
            if (r < TILE_ROWS) {
                const bool visible = r < rowsHere && tile + scoreKey <= firstRowPosition + r;
                scores[r * TILE_KEYS + scoreKey] = visible ? dots[i] * scale : NO_SCORE;
            }
        }
        barrier(); // the scores are complete and the keys no longer needed

        // Values into the keys' place; meanwhile invocation r < TILE_ROWS rescales row r's softmax state.
        LOAD_TILE(valueCache)
        if (tid < TILE_ROWS) {
            float tileMax = NO_SCORE;
            for (uint c = 0u; c < count; ++c)
                tileMax = max(tileMax, scores[tid * TILE_KEYS + c]);
            // Key 0 is in every row's first tile, so after it m is a real score and masked keys weigh 0.
            const float newMax = max(m, tileMax);
            const float correction = exp(m - newMax);
            float sum = 0.0;
            for (uint c = 0u; c < count; ++c) {
                const float score = scores[tid * TILE_KEYS + c];
                const float weight = score == NO_SCORE ? 0.0 : exp(score - newMax);
                scores[tid * TILE_KEYS + c] = weight;
                sum += weight;
            }
            l = l * correction + sum;
            m = newMax;
            rowCorrection[tid] = correction;
        }
        barrier(); // values, weights and corrections are in place

        // acc = acc * correction + sum over the tile's keys of weight * value, per owned (row, pair).
        if (accGroup < ACC_ROW_STEP) {
            for (uint i = 0u; i < ACC_ROWS; ++i) {
                const uint r = min(accGroup + ACC_ROW_STEP * i, TILE_ROWS - 1u);
                for (uint j = 0u; j < ACC_COLS; ++j)
                    acc[i * ACC_COLS + j] *= rowCorrection[r];
            }
            for (uint c = 0u; c < count; ++c) {
                for (uint j = 0u; j < ACC_COLS; ++j) {
                    const uint pair = min(accLane + ACC_LANES * j, PAIRS - 1u);
                    const vec2 value = LOAD_PAIR(kvTile[c * KV_STRIDE + pair]);
                    for (uint i = 0u; i < ACC_ROWS; ++i) {
                        const uint r = min(accGroup + ACC_ROW_STEP * i, TILE_ROWS - 1u);
                        acc[i * ACC_COLS + j] += scores[r * TILE_KEYS + c] * value;
                    }
                }
            }
        }
        barrier(); // the next tile overwrites kvTile and scores
    }

    if (tid < TILE_ROWS)
        rowSum[tid] = l;
    barrier();
    if (accGroup < ACC_ROW_STEP) {
        for (uint i = 0u; i < ACC_ROWS; ++i) {
            const uint r = accGroup + ACC_ROW_STEP * i;
            if (r >= rowsHere)
                break;
            const float inverse = 1.0 / rowSum[r];
            const uint base = ((rowBase + r) * p.heads + head) * HEAD_DIM;
            for (uint j = 0u; j < ACC_COLS; ++j) {
                const uint pair = accLane + ACC_LANES * j;
                if (pair < PAIRS) {
                    outValues[base + 2u * pair] = acc[i * ACC_COLS + j].x * inverse;
                    outValues[base + 2u * pair + 1u] = acc[i * ACC_COLS + j].y * inverse;
                }
            }
        }
    }
}
