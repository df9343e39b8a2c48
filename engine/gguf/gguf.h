#pragma once
// GGUF v3: reader (validated, zero-copy over a memory map) and writer (for synthetic models and tests).
// File layout: header (magic "GGUF", u32 version, u64 tensor count, u64 metadata count), metadata key/values,
// tensor infos (name, dims, ggml type, offset), padding to `general.alignment` (default 32), tensor data.
#include "core/mapped_file.h"
#include "formats/tensor_view.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

enum class GgufType : std::uint32_t {
    U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7,
    String = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12,
};
std::string_view ggufTypeName(GgufType type);

// One metadata value. Integers are widened (unsigned into `u`, signed into `i`), floats into `f`.
struct GgufValue {
    GgufType type = GgufType::U32;
    std::uint64_t u = 0;
    std::int64_t i = 0;
    double f = 0.0;
    bool b = false;
    std::string s;
    GgufType elementType = GgufType::U8; // for arrays
    std::vector<GgufValue> items;        // for arrays

    // Typed views: nullopt when the value is not of a compatible kind (any integer type reads as an integer).
    std::optional<std::int64_t> asInt() const;
    std::optional<double> asFloat() const; // integers and floats
    std::optional<bool> asBool() const;
    const std::string* asString() const;

    static GgufValue ofU32(std::uint32_t v);
    static GgufValue ofI32(std::int32_t v);
    static GgufValue ofU64(std::uint64_t v);
    static GgufValue ofF32(float v);
    static GgufValue ofBool(bool v);
    static GgufValue ofString(std::string v);
    static GgufValue ofStringArray(std::vector<std::string> v);
    static GgufValue ofI32Array(const std::vector<std::int32_t>& v);
    static GgufValue ofU32Array(const std::vector<std::uint32_t>& v);
};

class GgufFile {
public:
    // Maps and parses a file. Throws ponder::Error ("PATH: problem") for anything malformed.
    static std::unique_ptr<GgufFile> open(const std::filesystem::path& path);
    // Parses bytes owned by the caller (fuzzing, tests); `sourceName` prefixes error messages.
    static std::unique_ptr<GgufFile> parse(std::span<const std::uint8_t> bytes, std::string sourceName);

    std::uint32_t version() const { return version_; }
    std::uint64_t alignment() const { return alignment_; }
    std::uint64_t fileSize() const { return bytes_.size(); }
    const std::string& source() const { return source_; }

    const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return metadata_; }
    const GgufValue* find(std::string_view key) const;
    std::optional<std::int64_t> getInt(std::string_view key) const;
    std::optional<double> getFloat(std::string_view key) const;
    std::optional<bool> getBool(std::string_view key) const;
    std::optional<std::string> getString(std::string_view key) const;

    const std::vector<TensorView>& tensors() const { return tensors_; }
    const TensorView* tensor(std::string_view name) const;

private:
    GgufFile() = default;
    void parseAll();

    std::optional<MappedFile> file_;
    std::span<const std::uint8_t> bytes_;
    std::string source_;
    std::uint32_t version_ = 0;
    std::uint64_t alignment_ = 32;
    std::vector<std::pair<std::string, GgufValue>> metadata_;
    std::map<std::string, std::size_t, std::less<>> metadataIndex_;
    std::vector<TensorView> tensors_;
    std::map<std::string, std::size_t, std::less<>> tensorIndex_;
};

// Builds a GGUF v3 file. Tensor data can be given up front or produced on demand while writing, so that a
// multi-gigabyte synthetic model is streamed to disk one tensor at a time instead of held in memory.
class GgufWriter {
public:
    using Producer = std::function<std::vector<std::uint8_t>()>;

    void set(std::string key, GgufValue value); // keeps insertion order; a repeated key replaces
    void addTensor(std::string name, TensorType type, std::vector<std::int64_t> dims,
                   std::vector<std::uint8_t> data);
    // `produce` is called once, during write(), and must return exactly the tensor's byte size.
    void addTensor(std::string name, TensorType type, std::vector<std::int64_t> dims, Producer produce);
    void setAlignment(std::uint32_t alignment); // also written as general.alignment when not 32
    std::vector<std::uint8_t> serialize() const;
    void write(const std::filesystem::path& path) const; // throws ponder::Error on I/O failure (e.g. disk full)

private:
    struct PendingTensor {
        std::string name;
        TensorType type;
        std::vector<std::int64_t> dims;
        Producer produce;
    };
    std::vector<std::pair<std::string, GgufValue>> metadata_;
    std::vector<PendingTensor> tensors_;
    std::uint32_t alignment_ = 32;
};

} // namespace ponder
