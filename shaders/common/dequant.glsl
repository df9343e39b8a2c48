// Decodes one weight type, chosen by exactly one TYPE_* define, from a byte-addressed uint array
// (BYTES_BUFFER, see bytes.glsl). Bit-exact with the CPU's dequantizeRow (engine/formats/dequantize.cpp),
// itself bit-exact with ggml: the same float operations in the same order. Every intermediate that is marked
// `precise` is there so the compiler can neither fuse (FMA) nor reorder it; Vulkan makes fp32 +, -, *
// correctly rounded, so the same order gives the same bits.
//
//   BLOCK_ELEMS, BLOCK_BYTES         values and bytes per block (1 and 4/2 for the float types)
//   WEIGHT_IS_FLOAT                  defined for F32/F16/BF16, whose rows may have any length K
//   void weights4(row, k, out w)     elements k..k+3 of the row that starts at byte `row`, k % 4 == 0, all
//                                    inside the row (4 consecutive values always share one (sub-)block, so
//                                    the scales are looked up once)
//   float weightAt(row, k)           element k, for the float types only: their rows may end in a partial
//                                    group of 4 (block types have whole blocks, so weights4 covers every k)
// Byte offsets are uint: a binding is at most 4 GiB.
#ifndef PONDER_DEQUANT_GLSL
#define PONDER_DEQUANT_GLSL

#include "bytes.glsl"

#if defined(TYPE_F32) + defined(TYPE_F16) + defined(TYPE_BF16) + defined(TYPE_Q8_0) + defined(TYPE_Q4_0) + \
    defined(TYPE_Q4_1) + defined(TYPE_Q5_0) + defined(TYPE_Q5_1) + defined(TYPE_Q4_K) + defined(TYPE_Q5_K) + \
    defined(TYPE_Q6_K) != 1
#error "define exactly one TYPE_* (F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q4_K Q5_K Q6_K)"
#endif

#if defined(TYPE_F32) || defined(TYPE_F16) || defined(TYPE_BF16)
#define WEIGHT_IS_FLOAT 1
#endif

// ---------------------------------------------------------------------------------------------- floats
#if defined(TYPE_F32)
#define BLOCK_ELEMS 1u
#define BLOCK_BYTES 4u
// F32 rows are 4K bytes, so every element is word aligned.
float weightAt(uint row, uint k) { return uintBitsToFloat(BYTES_BUFFER[(row >> 2) + k]); }
void weights4(uint row, uint k, out vec4 w)
{
    const uint i = (row >> 2) + k;
    w = uintBitsToFloat(uvec4(BYTES_BUFFER[i], BYTES_BUFFER[i + 1u], BYTES_BUFFER[i + 2u], BYTES_BUFFER[i + 3u]));
}

#elif defined(TYPE_F16)
#define BLOCK_ELEMS 1u
#define BLOCK_BYTES 2u
// Rows of odd length K start 2 bytes into a word, hence the unaligned u32 loads.
float weightAt(uint row, uint k) { return loadHalf(row + 2u * k); }
void weights4(uint row, uint k, out vec4 w)
{
    const uint o = row + 2u * k;
    const uint a = loadU32Unaligned(o), b = loadU32Unaligned(o + 4u);
    // halfToFloat, not unpackHalf2x16 directly: fp16 subnormals must not be flushed (bytes.glsl).
    w = vec4(halfToFloat(a & 0xFFFFu), halfToFloat(a >> 16), halfToFloat(b & 0xFFFFu), halfToFloat(b >> 16));
}

#elif defined(TYPE_BF16)
#define BLOCK_ELEMS 1u
#define BLOCK_BYTES 2u
float weightAt(uint row, uint k) { return loadBf16(row + 2u * k); }
void weights4(uint row, uint k, out vec4 w)
{
    const uint o = row + 2u * k;
    const uint a = loadU32Unaligned(o), b = loadU32Unaligned(o + 4u);
    w = uintBitsToFloat(uvec4(a << 16, a & 0xFFFF0000u, b << 16, b & 0xFFFF0000u));
}

// ------------------------------------------------------------------------------- 32-value blocks
#elif defined(TYPE_Q8_0)
// d (fp16), qs[32] (int8); x = float(q) * d
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 34u

#elif defined(TYPE_Q4_0)
// d, qs[16]; value j < 16 = low nibble of qs[j], j >= 16 = high nibble of qs[j-16]; x = float(q - 8) * d
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 18u

#elif defined(TYPE_Q4_1)
// d, m, qs[16]; x = (float(q) * d) + m
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 20u

#elif defined(TYPE_Q5_0)
// d, qh (u32: bit j = 5th bit of value j), qs[16]; x = float(q - 16) * d
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 22u

#elif defined(TYPE_Q5_1)
// d, m, qh, qs[16]; x = (float(q) * d) + m
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 24u

// -------------------------------------------------------------------------------- k-quants (256 values)
#elif defined(TYPE_Q4_K)
// d, dmin, scales[12], qs[128]
#define BLOCK_ELEMS 256u
#define BLOCK_BYTES 144u
#define KQ_QS 16u

#elif defined(TYPE_Q5_K)
// d, dmin, scales[12], qh[32], qs[128]
#define BLOCK_ELEMS 256u
#define BLOCK_BYTES 176u
#define KQ_QH 16u
#define KQ_QS 48u

#elif defined(TYPE_Q6_K)
// ql[128], qh[64], scales[16] (int8), d (last)
#define BLOCK_ELEMS 256u
#define BLOCK_BYTES 210u

#else
#error "define one of TYPE_F32 TYPE_F16 TYPE_BF16 TYPE_Q8_0 TYPE_Q4_0 TYPE_Q4_1 TYPE_Q5_0 TYPE_Q5_1 TYPE_Q4_K TYPE_Q5_K TYPE_Q6_K"
#endif

#ifndef WEIGHT_IS_FLOAT
// Byte offset of the block holding element k of the row at byte `row`; j = k's index inside it.
uint blockAt(uint row, uint k, out uint j)
{
    j = k % BLOCK_ELEMS;
    return row + (k / BLOCK_ELEMS) * BLOCK_BYTES;
}
#endif

// The 4 bytes at `o` as a uvec4 of bytes (o may be unaligned).
uvec4 bytes4(uint o)
{
    const uint u = loadU32Unaligned(o);
    return (uvec4(u) >> uvec4(0u, 8u, 16u, 24u)) & 0xFFu;
}

// ------------------------------------------------------------------------ per-type decode of four values
#if defined(TYPE_Q8_0)
void weights4(uint row, uint k, out vec4 w)
{
    uint j;
    const uint b = blockAt(row, k, j);
    // Each byte moved to the top, then an arithmetic shift back: sign-extended int8s.
    const ivec4 q = ivec4(uvec4(loadU32Unaligned(b + 2u + j)) << uvec4(24u, 16u, 8u, 0u)) >> 24;
    precise vec4 x = vec4(q) * loadHalf(b);
    w = x;
}

#elif defined(TYPE_Q4_0) || defined(TYPE_Q4_1) || defined(TYPE_Q5_0) || defined(TYPE_Q5_1)
#if defined(TYPE_Q4_0)
#define QS_AT 2u
#elif defined(TYPE_Q4_1)
#define QS_AT 4u
#elif defined(TYPE_Q5_0)
#define QH_AT 2u
#define QS_AT 6u
#else
#define QH_AT 4u
#define QS_AT 8u
#endif
// Nibbles j..j+n-1 (same half of the block): bytes qs[j % 16 ...], low nibble for j < 16, high otherwise;
// plus the 5th bit from qh for Q5_*.
uvec4 quants4(uint b, uint j)
{
    uvec4 q = (bytes4(b + QS_AT + (j & 15u)) >> ((j >> 4) * 4u)) & 0xFu;
#ifdef QH_AT
    const uint qh = loadU32Unaligned(b + QH_AT);
    q |= ((uvec4(qh) >> (uvec4(j) + uvec4(0u, 1u, 2u, 3u))) & 1u) << 4;
#endif
    return q;
}
uint quant1(uint b, uint j)
{
    uint q = (loadByte(b + QS_AT + (j & 15u)) >> ((j >> 4) * 4u)) & 0xFu;
#ifdef QH_AT
    q |= ((loadU32Unaligned(b + QH_AT) >> j) & 1u) << 4;
#endif
    return q;
}
#if defined(TYPE_Q4_0) || defined(TYPE_Q5_0)
#if defined(TYPE_Q4_0)
#define Q_OFFSET 8
#else
#define Q_OFFSET 16
#endif
// x = float(q - offset) * d: exact integer subtraction, one rounding at the product.
void weights4(uint row, uint k, out vec4 w)
{
    uint j;
    const uint b = blockAt(row, k, j);
    precise vec4 x = vec4(ivec4(quants4(b, j)) - Q_OFFSET) * loadHalf(b);
    w = x;
}
#else
// x = (float(q) * d) + m: the product first, then the add (as the CPU's `scaled + m`).
void weights4(uint row, uint k, out vec4 w)
{
    uint j;
    const uint b = blockAt(row, k, j);
    precise vec4 scaled = vec4(quants4(b, j)) * loadHalf(b);
    precise vec4 x = scaled + loadHalf(b + 2u);
    w = x;
}
#endif

#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
// Sub-block s (0..7) of 32 values: its 6-bit scale and min (quant_blocks.h unpackScaleMin), turned into
// d1 = d * sc and m1 = dmin * m exactly as the CPU does.
void subBlockScales(uint b, uint s, out float d1, out float m1)
{
    const uint o = b + 4u; // scales[12]
    uint sc, m;
    if (s < 4u) {
        sc = loadByte(o + s) & 63u;
        m = loadByte(o + s + 4u) & 63u;
    } else {
        sc = (loadByte(o + s + 4u) & 0xFu) | ((loadByte(o + s - 4u) >> 6) << 4);
        m = (loadByte(o + s + 4u) >> 4) | ((loadByte(o + s) >> 6) << 4);
    }
    precise float dd = loadHalf(b) * float(sc);
    precise float mm = loadHalf(b + 2u) * float(m);
    d1 = dd;
    m1 = mm;
}
// Value j = 64t + 32h + l: nibble h of qs[32t + l]; Q5_K's 5th bit is bit (2t + h) = j / 32 of qh[l].
void weights4(uint row, uint k, out vec4 w)
{
    uint j;
    const uint b = blockAt(row, k, j);
    const uint s = j >> 5, l = j & 31u;
    float d1, m1;
    subBlockScales(b, s, d1, m1);
    uvec4 q = (bytes4(b + KQ_QS + 32u * (j >> 6) + l) >> ((s & 1u) * 4u)) & 0xFu;
#ifdef KQ_QH
    q |= ((bytes4(b + KQ_QH + l) >> s) & 1u) << 4;
#endif
    precise vec4 scaled = d1 * vec4(q);
    precise vec4 x = scaled - m1;
    w = x;
}

#elif defined(TYPE_Q6_K)
// Value j = 128h + 32p + l (p = part 0..3): low 4 bits from ql[64h + l + 32(p & 1)] (low nibble for p < 2,
// high for p >= 2), high 2 bits from bits 2p of qh[32h + l]; scale scales[8h + l/16 + 2p]; q - 32.
// x = (d * sc) * q: the CPU's order (d * sc is exact, the final product rounds once).
uint q6Layout(uint j, out uint qlAt, out uint qlShift, out uint qhAt, out uint qhShift)
{
    const uint h = j >> 7, p = (j >> 5) & 3u, l = j & 31u;
    qlAt = 64u * h + l + 32u * (p & 1u);
    qlShift = 4u * (p >> 1);
    qhAt = 128u + 32u * h + l;
    qhShift = 2u * p;
    return 192u + 8u * h + (l >> 4) + 2u * p; // the scale's byte
}
void weights4(uint row, uint k, out vec4 w)
{
    uint j;
    const uint b = blockAt(row, k, j);
    uint qlAt, qlShift, qhAt, qhShift;
    const uint scAt = q6Layout(j, qlAt, qlShift, qhAt, qhShift);
    const uvec4 q = ((bytes4(b + qlAt) >> qlShift) & 0xFu) | (((bytes4(b + qhAt) >> qhShift) & 3u) << 4);
    precise float dsc = loadHalf(b + 208u) * float(loadInt8(b + scAt));
    precise vec4 x = dsc * vec4(ivec4(q) - 32);
    w = x;
}
#endif

#endif
