// Byte-addressed loads from a `uint` storage array (little endian, as GGUF and every Vulkan device store it).
// Quant blocks are only 2-byte aligned (Q8_0 is 34 bytes, Q6_K 210), so the shaders address weights in bytes
// and read them through these helpers instead of needing 8/16-bit storage features.
//
// The includer names the array first, e.g.
//     layout(std430, binding = 0) readonly buffer Weights { uint weightWords[]; };
//     #define BYTES_BUFFER weightWords
//     #include "bytes.glsl"
#ifndef PONDER_BYTES_GLSL
#define PONDER_BYTES_GLSL

#ifndef BYTES_BUFFER
#error "define BYTES_BUFFER (the name of a uint storage array) before including bytes.glsl"
#endif

uint loadByte(uint byteOffset)
{
    return (BYTES_BUFFER[byteOffset >> 2] >> ((byteOffset & 3u) * 8u)) & 0xFFu;
}

int loadInt8(uint byteOffset)
{
    // bitfieldExtract on a signed value sign-extends the field.
    return bitfieldExtract(int(BYTES_BUFFER[byteOffset >> 2]), int((byteOffset & 3u) * 8u), 8);
}

// byteOffset must be even (a u16 never straddles two words then).
uint loadU16(uint byteOffset)
{
    return (BYTES_BUFFER[byteOffset >> 2] >> ((byteOffset & 2u) * 8u)) & 0xFFFFu;
}

// Four bytes at any alignment. The second word is read only when the value straddles it, so a load that ends
// at the end of the buffer never reads past it.
uint loadU32Unaligned(uint byteOffset)
{
    const uint word = byteOffset >> 2;
    const uint shift = (byteOffset & 3u) * 8u;
    const uint lo = BYTES_BUFFER[word];
    if (shift == 0u)
        return lo;
    return (lo >> shift) | (BYTES_BUFFER[word + 1u] << (32u - shift));
}

// fp16 bits -> float, exact (as core/half.h fp16ToFloat). Vulkan lets an implementation flush denormals
// produced by unpackHalf2x16 unless the shader declares DenormPreserve (an optional feature), and small
// quant scales are fp16 subnormals now and then, so those are decoded here: mantissa * 2^-24, an exact
// product whose result is a normal fp32 value.
float halfToFloat(uint h)
{
    if ((h & 0x7C00u) == 0u) {
        const float magnitude = float(h & 0x3FFu) * (1.0 / 16777216.0);
        return (h & 0x8000u) != 0u ? -magnitude : magnitude;
    }
    return unpackHalf2x16(h).x;
}

// fp16 at an even byte offset.
float loadHalf(uint byteOffset)
{
    return halfToFloat(loadU16(byteOffset));
}

// bf16 at an even byte offset: the top half of an fp32 (as core/half.h bf16ToFloat).
float loadBf16(uint byteOffset)
{
    return uintBitsToFloat(loadU16(byteOffset) << 16);
}

#endif
