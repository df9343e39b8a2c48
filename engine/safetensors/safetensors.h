#pragma once
// Safetensors: u64 header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}},
// then the data. Reader validates everything against the file size before exposing a tensor; shapes are
// reversed into ggml order (dims[0] contiguous) so TensorView means the same thing for GGUF and safetensors.
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

class SafetensorsFile {
public:
    static std::unique_ptr<SafetensorsFile> open(const std::filesystem::path& path);
    static std::unique_ptr<SafetensorsFile> parse(std::span<const std::uint8_t> bytes, std::string sourceName);

    const std::vector<TensorView>& tensors() const { return tensors_; }
    const TensorView* tensor(std::string_view name) const;
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    std::uint64_t fileSize() const { return bytes_.size(); }

private:
    SafetensorsFile() = default;
    void parseAll();

    std::optional<MappedFile> file_;
    std::span<const std::uint8_t> bytes_;
    std::string source_;
    std::vector<TensorView> tensors_;
    std::map<std::string, std::size_t, std::less<>> index_;
    std::map<std::string, std::string> metadata_;
};

// Writes F32/F16/BF16 tensors (dims in ggml order, reversed to PyTorch order in the header).
class SafetensorsWriter {
public:
    using Producer = std::function<std::vector<std::uint8_t>()>;
    void add(std::string name, TensorType type, std::vector<std::int64_t> dims, Producer produce);
    void add(std::string name, TensorType type, std::vector<std::int64_t> dims, std::vector<std::uint8_t> data);
    void setMetadata(std::string key, std::string value);
    std::uint64_t dataBytes() const; // sum of tensor sizes, for sharding decisions
    void write(const std::filesystem::path& path) const; // throws ponder::Error on I/O failure

private:
    struct Pending {
        std::string name;
        TensorType type;
        std::vector<std::int64_t> dims;
        Producer produce;
    };
    std::vector<Pending> tensors_;
    std::map<std::string, std::string> metadata_;
};

} // namespace ponder
