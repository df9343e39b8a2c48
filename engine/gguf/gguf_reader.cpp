// GgufFile: parses and validates a whole GGUF v3 file before exposing any of it. The tensor views handed out
// are spans into the caller's bytes or our memory map, so everything they cover is checked first: types,
// shapes, alignment, that each tensor lies inside the file and that no two tensors share bytes.
#include "core/utf8.h"
#include "gguf/gguf_format.h"

#include <algorithm>
#include <limits>

namespace ponder {
namespace {

using gguf::checkedMul;

// A tensor info as read, with its byte size; its data is not looked at until all infos are known.
struct TensorInfo {
    std::string name;
    TensorType type = TensorType::F32;
    std::vector<std::int64_t> dims;
    std::uint64_t offset = 0; // relative to the start of the data section
    std::uint64_t bytes = 0;
};

std::string hexBytes(std::span<const std::uint8_t> bytes)
{
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (auto b : bytes) {
        if (!out.empty())
            out += ' ';
        out += kDigits[b >> 4];
        out += kDigits[b & 0xF];
    }
    return out;
}

template <typename T>
std::string listText(const std::vector<T>& values)
{
    std::string out = "[";
    for (std::size_t k = 0; k < values.size(); ++k)
        out += (k ? ", " : "") + std::to_string(values[k]);
    return out + "]";
}

std::uint32_t readHeaderVersion(ByteReader& r)
{
    const auto magic = r.readBytes(4, "header: magic");
    if (!std::equal(magic.begin(), magic.end(), std::begin(gguf::kMagic)))
        r.fail("not a GGUF file (it starts with bytes " + hexBytes(magic) + ", not \"GGUF\")");
    const auto version = r.read<std::uint32_t>("header: version");
    if (version == gguf::kVersion)
        return version;
    // GGUF has no byte-order flag; a big-endian file shows itself by a version whose bytes are reversed.
    const auto swapped = __builtin_bswap32(version);
    if (swapped >= 1 && swapped <= gguf::kVersion)
        r.fail("big-endian GGUF file (version field reads " + std::to_string(version) + ", which is version " +
               std::to_string(swapped) + " byte-swapped); Ponder reads only little-endian GGUF files");
    r.fail("unsupported GGUF version " + std::to_string(version) + " (Ponder reads version 3)");
}

std::uint64_t alignmentFrom(const GgufValue* value, const ByteReader& r)
{
    if (!value)
        return gguf::kDefaultAlignment;
    const std::string key(gguf::kAlignmentKey);
    if (value->type != GgufType::U32)
        r.fail(key + " has type " + std::string(ggufTypeName(value->type)) + " (must be u32)");
    if (!gguf::isPowerOfTwo(value->u))
        r.fail(key + " is " + std::to_string(value->u) + " (must be a non-zero power of two)");
    return value->u;
}

std::string readTensorName(ByteReader& r, const std::string& entry)
{
    const auto length = r.read<std::uint64_t>(entry + ": name length");
    if (length > gguf::kMaxTensorNameBytes)
        r.fail(entry + ": name is " + std::to_string(length) + " bytes long (at most " +
               std::to_string(gguf::kMaxTensorNameBytes) + ")");
    const auto bytes = r.readBytes(length, entry + ": name");
    std::string name(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (name.empty())
        r.fail(entry + " has an empty name");
    if (!isValidUtf8(name))
        r.fail(entry + ": name '" + sanitizeUtf8(name) + "' is not valid UTF-8");
    return name;
}

// Reads the dims and checks each is at least 1 and their product fits in int64 (TensorView's element count).
std::vector<std::int64_t> readDims(ByteReader& r, const std::string& name)
{
    const std::string info = "tensor info '" + name + "'";
    const auto nDims = r.read<std::uint32_t>(info + ": dimension count");
    if (nDims < 1 || nDims > gguf::kMaxDims)
        r.fail("tensor '" + name + "' has " + std::to_string(nDims) + " dimensions (must be 1 to " +
               std::to_string(gguf::kMaxDims) + ")");
    std::vector<std::uint64_t> raw(nDims);
    for (auto& d : raw)
        d = r.read<std::uint64_t>(info + ": dimensions");
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::uint64_t elements = 1;
    for (std::size_t k = 0; k < raw.size(); ++k) {
        if (raw[k] == 0)
            r.fail("tensor '" + name + "' dimension " + std::to_string(k) + " is 0 (dimensions " +
                   listText(raw) + ")");
        const auto product = checkedMul(elements, raw[k]);
        if (!product || *product > kMax)
            r.fail("tensor '" + name + "' dimensions " + listText(raw) +
                   " hold more elements than a 64-bit count can (overflow)");
        elements = *product;
    }
    return {raw.begin(), raw.end()};
}

TensorInfo readTensorInfo(ByteReader& r, std::uint64_t index, std::uint64_t count, std::uint64_t alignment)
{
    TensorInfo t;
    t.name = readTensorName(r, "tensor info " + std::to_string(index + 1) + " of " + std::to_string(count));
    const std::string info = "tensor info '" + t.name + "'";
    const std::string what = "tensor '" + t.name + "'";
    t.dims = readDims(r, t.name);

    const auto typeId = r.read<std::uint32_t>(info + ": type");
    const auto typeInfo = tensorTypeInfo(typeId);
    if (!typeInfo) {
        const std::string name = tensorTypeName(typeId);
        const bool known = name != "type " + std::to_string(typeId);
        r.fail(what + " has " + (known ? "type " + name : "unknown ggml type " + std::to_string(typeId)) +
               ", which Ponder does not support");
    }
    t.type = typeInfo->type;
    t.offset = r.read<std::uint64_t>(info + ": data offset");

    const auto row = rowBytes(t.type, static_cast<std::uint64_t>(t.dims[0]));
    if (!row)
        r.fail(what + " row length " + std::to_string(t.dims[0]) + " is not a multiple of the " +
               std::string(typeInfo->name) + " block size " + std::to_string(typeInfo->blockElems));
    std::uint64_t rows = 1;
    for (std::size_t k = 1; k < t.dims.size(); ++k)
        rows *= static_cast<std::uint64_t>(t.dims[k]); // cannot overflow: the element count fits in int64
    const auto bytes = checkedMul(*row, rows);
    if (!bytes)
        r.fail(what + " dimensions " + listText(t.dims) + " give a byte size that overflows 64 bits");
    t.bytes = *bytes;
    if (t.offset % alignment != 0)
        r.fail(what + " data offset " + std::to_string(t.offset) + " is not a multiple of the alignment " +
               std::to_string(alignment));
    return t;
}

// Every tensor inside [dataStart, fileSize), and no two sharing a byte.
void checkDataRanges(const std::vector<TensorInfo>& infos, std::uint64_t dataStart, std::uint64_t fileSize,
                     const ByteReader& r)
{
    for (const auto& t : infos) {
        const bool inside = dataStart <= fileSize && t.offset <= fileSize - dataStart &&
                            t.bytes <= fileSize - dataStart - t.offset;
        if (!inside)
            r.fail("tensor '" + t.name + "' data (" + std::to_string(t.bytes) + " bytes at data offset " +
                   std::to_string(t.offset) + ", data section at file offset " + std::to_string(dataStart) +
                   ") runs past the end of the file (" + std::to_string(fileSize) +
                   " bytes; truncated or corrupt file)");
    }
    std::vector<const TensorInfo*> byOffset;
    byOffset.reserve(infos.size());
    for (const auto& t : infos)
        byOffset.push_back(&t);
    std::sort(byOffset.begin(), byOffset.end(), [](auto* a, auto* b) { return a->offset < b->offset; });
    for (std::size_t k = 1; k < byOffset.size(); ++k) {
        const TensorInfo& a = *byOffset[k - 1];
        const TensorInfo& b = *byOffset[k];
        if (b.offset < a.offset + a.bytes) // both ranges are inside the file, so the sum cannot overflow
            r.fail("tensors '" + a.name + "' (data offset " + std::to_string(a.offset) + ", " +
                   std::to_string(a.bytes) + " bytes) and '" + b.name + "' (data offset " +
                   std::to_string(b.offset) + ") overlap");
    }
}

} // namespace

std::unique_ptr<GgufFile> GgufFile::open(const std::filesystem::path& path)
{
    std::unique_ptr<GgufFile> file(new GgufFile());
    file->file_.emplace(path);
    file->bytes_ = file->file_->bytes();
    file->source_ = path.string();
    file->parseAll();
    return file;
}

std::unique_ptr<GgufFile> GgufFile::parse(std::span<const std::uint8_t> bytes, std::string sourceName)
{
    std::unique_ptr<GgufFile> file(new GgufFile());
    file->bytes_ = bytes;
    file->source_ = std::move(sourceName);
    file->parseAll();
    return file;
}

void GgufFile::parseAll()
{
    ByteReader r(bytes_, source_);
    version_ = readHeaderVersion(r);
    const auto tensorCount = r.read<std::uint64_t>("header: tensor count");
    const auto metadataCount = r.read<std::uint64_t>("header: metadata count");

    metadata_ = gguf::readMetadata(r, metadataCount);
    for (std::size_t k = 0; k < metadata_.size(); ++k)
        if (!metadataIndex_.emplace(metadata_[k].first, k).second)
            r.fail("duplicate metadata key '" + metadata_[k].first + "' (entries " +
                   std::to_string(metadataIndex_.find(metadata_[k].first)->second + 1) + " and " +
                   std::to_string(k + 1) + ")");
    alignment_ = alignmentFrom(find(gguf::kAlignmentKey), r);

    if (tensorCount > r.remaining() / gguf::kMinTensorInfoBytes)
        r.fail("tensor infos: " + std::to_string(tensorCount) + " tensors cannot be right: each tensor info " +
               "takes at least " + std::to_string(gguf::kMinTensorInfoBytes) + " bytes and only " +
               std::to_string(r.remaining()) + " bytes follow the metadata (truncated or corrupt file)");
    std::vector<TensorInfo> infos;
    infos.reserve(static_cast<std::size_t>(tensorCount));
    for (std::uint64_t k = 0; k < tensorCount; ++k) {
        infos.push_back(readTensorInfo(r, k, tensorCount, alignment_));
        if (!tensorIndex_.emplace(infos.back().name, infos.size() - 1).second)
            r.fail("duplicate tensor name '" + infos.back().name + "' (tensor infos " +
                   std::to_string(tensorIndex_.find(infos.back().name)->second + 1) + " and " +
                   std::to_string(k + 1) + ")");
    }

    // The data section starts at the first alignment boundary after the infos (r.offset() <= file size and
    // the alignment is a u32, so this cannot overflow).
    const std::uint64_t dataStart = gguf::alignUp(r.offset(), alignment_);
    checkDataRanges(infos, dataStart, bytes_.size(), r);

    tensors_.reserve(infos.size());
    for (auto& t : infos)
        tensors_.push_back(TensorView{std::move(t.name), t.type, std::move(t.dims),
                                      bytes_.subspan(static_cast<std::size_t>(dataStart + t.offset),
                                                     static_cast<std::size_t>(t.bytes))});
}

const GgufValue* GgufFile::find(std::string_view key) const
{
    const auto it = metadataIndex_.find(key);
    return it == metadataIndex_.end() ? nullptr : &metadata_[it->second].second;
}

std::optional<std::int64_t> GgufFile::getInt(std::string_view key) const
{
    const GgufValue* v = find(key);
    return v ? v->asInt() : std::nullopt;
}

std::optional<double> GgufFile::getFloat(std::string_view key) const
{
    const GgufValue* v = find(key);
    return v ? v->asFloat() : std::nullopt;
}

std::optional<bool> GgufFile::getBool(std::string_view key) const
{
    const GgufValue* v = find(key);
    return v ? v->asBool() : std::nullopt;
}

std::optional<std::string> GgufFile::getString(std::string_view key) const
{
    const GgufValue* v = find(key);
    const std::string* s = v ? v->asString() : nullptr;
    return s ? std::optional<std::string>(*s) : std::nullopt;
}

const TensorView* GgufFile::tensor(std::string_view name) const
{
    const auto it = tensorIndex_.find(name);
    return it == tensorIndex_.end() ? nullptr : &tensors_[it->second];
}

} // namespace ponder
