#pragma once
// Private to engine/gguf: the constants of the GGUF v3 layout and the pieces the reader's and writer's files
// share. Everything the reader needs to bound an allocation before making it lives here, next to the sizes
// it is derived from, so that reader and writer cannot disagree about them.
#include "core/byte_reader.h"
#include "gguf/gguf.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ponder::gguf {

inline constexpr std::uint8_t kMagic[4] = {'G', 'G', 'U', 'F'};
inline constexpr std::uint32_t kVersion = 3;
inline constexpr std::uint32_t kDefaultAlignment = 32;
inline constexpr std::string_view kAlignmentKey = "general.alignment";
inline constexpr std::size_t kHeaderBytes = 4 + 4 + 8 + 8; // magic, version, tensor count, metadata count

inline constexpr std::uint32_t kMaxDims = 4;          // ggml's GGML_MAX_DIMS
inline constexpr std::size_t kMaxTensorNameBytes = 64; // ggml's GGML_MAX_NAME
inline constexpr int kMaxArrayDepth = 3;              // an array of arrays of arrays, no deeper

// Smallest possible encodings, used to reject counts that cannot fit in the bytes left before reserving
// memory for them: key length + 1-byte key + value type + 1-byte value; name length + n_dims + one dim +
// type + offset.
inline constexpr std::uint64_t kMinMetadataEntryBytes = 8 + 1 + 4 + 1;
inline constexpr std::uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;

inline bool isKnownType(std::uint32_t id) { return id <= static_cast<std::uint32_t>(GgufType::F64); }

// Bytes one value of `type` takes at least: the exact size for scalars, the length prefix for strings and
// the element type + count for arrays.
std::uint64_t minEncodedBytes(GgufType type);

inline std::optional<std::uint64_t> checkedMul(std::uint64_t a, std::uint64_t b)
{
    std::uint64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product))
        return std::nullopt;
    return product;
}

// `value` rounded up to a multiple of `alignment` (a power of two, and value + alignment must not overflow).
inline std::uint64_t alignUp(std::uint64_t value, std::uint64_t alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

inline bool isPowerOfTwo(std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

using Metadata = std::vector<std::pair<std::string, GgufValue>>;

// Reads `count` key/value pairs at the reader's position (gguf_metadata_reader.cpp). Checks the count against
// the bytes left, every type id, string (UTF-8), array length and nesting depth; duplicates are the caller's.
Metadata readMetadata(ByteReader& reader, std::uint64_t count);

} // namespace ponder::gguf
