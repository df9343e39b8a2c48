#pragma once
// Weight storage types, numbered as ggml numbers them (the GGUF on-disk ids), with their block geometry.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ponder {

enum class TensorType : std::uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    BF16 = 30,
};

struct TensorTypeInfo {
    TensorType type;
    std::string_view name;    // "Q4_K", as ggml and `ponder-cli info` spell it
    std::uint32_t blockElems; // values per block (1 for float types)
    std::uint32_t blockBytes; // bytes per block
};

// Info for a type Ponder can load, or nullopt for any other ggml id (known-but-unsupported or unknown).
std::optional<TensorTypeInfo> tensorTypeInfo(std::uint32_t ggmlId);
const TensorTypeInfo& tensorTypeInfo(TensorType type);

// "Q4_K"; for ids Ponder cannot load: ggml's name when it is a known ggml type ("IQ2_XXS"), else "type 77".
std::string tensorTypeName(std::uint32_t ggmlId);
inline std::string tensorTypeName(TensorType type) { return tensorTypeName(static_cast<std::uint32_t>(type)); }

// Parses "q4_k", "Q8_0", "bf16"... (case-insensitive); nullopt when not a loadable type.
std::optional<TensorType> parseTensorType(std::string_view name);

// Bytes of one row of `elements` values; nullopt when `elements` is not a multiple of the block size.
std::optional<std::uint64_t> rowBytes(TensorType type, std::uint64_t elements);

} // namespace ponder
