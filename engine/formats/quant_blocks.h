#pragma once
// The on-disk quantisation blocks (for formats/ and the backends decoding weights), byte for byte as GGUF stores them (ggml's
// ggml-common.h layouts). Blocks are packed and only 1- or 2-byte aligned inside a file, so code copies a
// block into one of these structs with memcpy instead of casting a pointer into the file.
// All scales (d, m, dmin) are IEEE fp16 bit patterns; use core/half.h to convert them.
#include <cstddef>
#include <cstdint>

namespace ponder::quant {

constexpr int kBlock = 32;       // values per block of the simple formats (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1)
constexpr int kSuperBlock = 256; // values per k-quant super-block (Q4_K, Q5_K, Q6_K)
constexpr int kKScaleBytes = 12; // 8 six-bit (scale, min) pairs of Q4_K/Q5_K

#pragma pack(push, 1)

// x = d * qs[j]
struct BlockQ8_0 {
    std::uint16_t d;
    std::int8_t qs[kBlock];
};

// Value j < 16 is the low nibble of qs[j], value j + 16 the high nibble; x = d * (q - 8).
struct BlockQ4_0 {
    std::uint16_t d;
    std::uint8_t qs[kBlock / 2];
};

// Nibbles as Q4_0; x = d * q + m.
struct BlockQ4_1 {
    std::uint16_t d;
    std::uint16_t m;
    std::uint8_t qs[kBlock / 2];
};

// Nibbles as Q4_0 plus a 5th bit: bit j of the little-endian u32 qh belongs to value j (j < 32);
// x = d * (q - 16).
struct BlockQ5_0 {
    std::uint16_t d;
    std::uint8_t qh[4];
    std::uint8_t qs[kBlock / 2];
};

// As Q5_0 but unsigned with an offset: x = d * q + m.
struct BlockQ5_1 {
    std::uint16_t d;
    std::uint16_t m;
    std::uint8_t qh[4];
    std::uint8_t qs[kBlock / 2];
};

// 8 sub-blocks of 32. Sub-block j has a 6-bit scale sc_j and 6-bit min m_j (see unpackScaleMin);
// x = (d * sc_j) * q - dmin * m_j. In each 64-value group t, qs[32t + l] holds value 64t + l in its low
// nibble and value 64t + 32 + l in its high nibble.
struct BlockQ4_K {
    std::uint16_t d;
    std::uint16_t dmin;
    std::uint8_t scales[kKScaleBytes];
    std::uint8_t qs[kSuperBlock / 2];
};

// As Q4_K with a 5th bit: in 64-value group t, bit 2t of qh[l] belongs to value 64t + l and bit 2t + 1 to
// value 64t + 32 + l.
struct BlockQ5_K {
    std::uint16_t d;
    std::uint16_t dmin;
    std::uint8_t scales[kKScaleBytes];
    std::uint8_t qh[kSuperBlock / 8];
    std::uint8_t qs[kSuperBlock / 2];
};

// 16 sub-blocks of 16 with signed 8-bit scales; 6-bit values split into 4 low bits (ql) and 2 high bits
// (qh); x = (d * scales[s]) * (q - 32). The scale d comes last. Per 128-value half h and l < 32:
// values 128h + l, +32, +64, +96 take their low bits from ql[64h + l] low nibble, ql[64h + l + 32] low
// nibble, ql[64h + l] high nibble, ql[64h + l + 32] high nibble, and their high bits from bit pairs
// 0, 2, 4, 6 of qh[32h + l].
struct BlockQ6_K {
    std::uint8_t ql[kSuperBlock / 2];
    std::uint8_t qh[kSuperBlock / 4];
    std::int8_t scales[kSuperBlock / 16];
    std::uint16_t d;
};

#pragma pack(pop)

static_assert(sizeof(BlockQ4_0) == 18);
static_assert(sizeof(BlockQ4_1) == 20);
static_assert(sizeof(BlockQ5_0) == 22);
static_assert(sizeof(BlockQ5_1) == 24);
static_assert(sizeof(BlockQ8_0) == 34);
static_assert(sizeof(BlockQ4_K) == 144);
static_assert(sizeof(BlockQ5_K) == 176);
static_assert(sizeof(BlockQ6_K) == 210);

// Q4_K/Q5_K pack eight 6-bit scales and eight 6-bit mins into 12 bytes: bytes 0-3 hold sc_0..3 in their low
// 6 bits, bytes 4-7 hold m_0..3; sub-blocks 4-7 keep their low 4 bits in bytes 8-11 (scale low nibble,
// min high nibble) and their top 2 bits in the spare top bits of bytes 0-3 (scales) and 4-7 (mins).
inline void unpackScaleMin(const std::uint8_t* s, int j, std::uint8_t& scale, std::uint8_t& min)
{
    if (j < 4) {
        scale = s[j] & 63;
        min = s[j + 4] & 63;
    } else {
        scale = static_cast<std::uint8_t>((s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4));
        min = static_cast<std::uint8_t>((s[j + 4] >> 4) | ((s[j] >> 6) << 4));
    }
}

// Inverse of unpackScaleMin; every scale and min must be below 64.
inline void packScaleMins(const std::uint8_t scale[8], const std::uint8_t min[8], std::uint8_t* s)
{
    for (int j = 0; j < 4; ++j) {
        s[j] = static_cast<std::uint8_t>(scale[j] | ((scale[j + 4] >> 4) << 6));
        s[j + 4] = static_cast<std::uint8_t>(min[j] | ((min[j + 4] >> 4) << 6));
        s[j + 8] = static_cast<std::uint8_t>((scale[j + 4] & 0xF) | ((min[j + 4] & 0xF) << 4));
    }
}

} // namespace ponder::quant
