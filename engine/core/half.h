#pragma once
// IEEE half (fp16) and bfloat16 conversions, bit-exact with ggml's scalar reference conversions:
// fp16 -> fp32 is exact; fp32 -> fp16 and fp32 -> bf16 round to nearest even (NaN stays NaN).
#include <bit>
#include <cstdint>

namespace ponder {

inline float fp16ToFloat(std::uint16_t h)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1Fu;
    std::uint32_t mantissa = h & 0x3FFu;
    std::uint32_t bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | (mantissa << 13); // inf / NaN
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign; // signed zero
    } else {
        // Subnormal: renormalise.
        exponent = 113;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        mantissa &= 0x3FFu;
        bits = sign | (exponent << 23) | (mantissa << 13);
    }
    return std::bit_cast<float>(bits);
}

inline std::uint16_t floatToFp16(float f)
{
    const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    const std::uint32_t sign = (x >> 16) & 0x8000u;
    const std::uint32_t absBits = x & 0x7FFFFFFFu;
    if (absBits > 0x7F800000u)
        return static_cast<std::uint16_t>(sign | 0x7E00u); // NaN
    if (absBits >= 0x477FF000u) // 65520 and above round to infinity
        return static_cast<std::uint16_t>(sign | 0x7C00u);
    if (absBits < 0x38800000u) {
        // Result is subnormal or zero: value = absBits as float; fp16 subnormal step is 2^-24.
        if (absBits < 0x33000000u)
            return static_cast<std::uint16_t>(sign); // below half the smallest subnormal
        const std::uint32_t exponent = absBits >> 23;
        const std::uint32_t mantissa = (absBits & 0x7FFFFFu) | 0x800000u;
        const std::uint32_t shift = 126 - exponent; // 14..24
        std::uint32_t half = mantissa >> shift;
        const std::uint32_t rem = mantissa & ((1u << shift) - 1);
        const std::uint32_t halfway = 1u << (shift - 1);
        if (rem > halfway || (rem == halfway && (half & 1u)))
            ++half;
        return static_cast<std::uint16_t>(sign | half);
    }
    // Normal: rebias exponent, round mantissa 23 -> 10 bits to nearest even (carry may bump the exponent).
    std::uint32_t half = ((absBits - 0x38000000u) >> 13);
    const std::uint32_t rem = absBits & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1u)))
        ++half;
    return static_cast<std::uint16_t>(sign | half);
}

inline float bf16ToFloat(std::uint16_t b) { return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16); }

inline std::uint16_t floatToBf16(float f)
{
    std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u)
        return static_cast<std::uint16_t>((x >> 16) | 64u); // quiet NaN, as ggml does
    x += 0x7FFFu + ((x >> 16) & 1u);
    return static_cast<std::uint16_t>(x >> 16);
}

} // namespace ponder
