// GgufWriter: encodes GGUF v3. Everything is checked when it is added (names, shapes, value ranges), so a
// mistake is reported at the call that made it and every file written is one GgufFile accepts. Tensor data
// is padded to the alignment after every tensor, the last included, as ggml writes it.
#include "core/error.h"
#include "core/utf8.h"
#include "gguf/file_output.h"
#include "gguf/gguf_format.h"

#include <cstring>
#include <limits>
#include <memory>

namespace ponder {
namespace {

constexpr const char* kWriterSource = "GGUF writer";

[[noreturn]] void fail(const std::string& problem) { throw Error(std::string(kWriterSource) + ": " + problem); }

template <typename T>
bool fits(std::int64_t v)
{
    return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
}

// The value ranges the GgufValue fields can hold but the declared type cannot (a U8 with u = 300).
void validateValue(const GgufValue& v, const std::string& where, int depth)
{
    bool inRange = true;
    switch (v.type) {
    case GgufType::U8: inRange = v.u <= 0xFF; break;
    case GgufType::U16: inRange = v.u <= 0xFFFF; break;
    case GgufType::U32: inRange = v.u <= 0xFFFFFFFF; break;
    case GgufType::I8: inRange = fits<std::int8_t>(v.i); break;
    case GgufType::I16: inRange = fits<std::int16_t>(v.i); break;
    case GgufType::I32: inRange = fits<std::int32_t>(v.i); break;
    case GgufType::U64:
    case GgufType::I64:
    case GgufType::F32:
    case GgufType::F64:
    case GgufType::Bool: break;
    case GgufType::String:
        if (!isValidUtf8(v.s))
            fail(where + ": string is not valid UTF-8");
        break;
    case GgufType::Array:
        if (depth >= gguf::kMaxArrayDepth)
            fail(where + ": arrays nested more than " + std::to_string(gguf::kMaxArrayDepth) + " deep");
        if (!gguf::isKnownType(static_cast<std::uint32_t>(v.elementType)))
            fail(where + ": unknown array element type " + std::to_string(static_cast<std::uint32_t>(v.elementType)));
        for (std::size_t k = 0; k < v.items.size(); ++k) {
            const std::string item = where + " item " + std::to_string(k);
            if (v.items[k].type != v.elementType)
                fail(item + " is " + std::string(ggufTypeName(v.items[k].type)) + " in an array of " +
                     std::string(ggufTypeName(v.elementType)));
            validateValue(v.items[k], item, depth + 1);
        }
        break;
    default: fail(where + ": unknown value type " + std::to_string(static_cast<std::uint32_t>(v.type)));
    }
    if (!inRange)
        fail(where + ": value does not fit in " + std::string(ggufTypeName(v.type)));
}

// Byte size of a tensor, after checking that GgufFile would accept its name and shape.
std::uint64_t checkedTensorBytes(const std::string& name, TensorType type, const std::vector<std::int64_t>& dims)
{
    const std::string what = "tensor '" + name + "'";
    if (name.empty() || name.size() > gguf::kMaxTensorNameBytes || !isValidUtf8(name))
        fail(what + ": a name must be 1 to " + std::to_string(gguf::kMaxTensorNameBytes) + " bytes of UTF-8");
    if (dims.empty() || dims.size() > gguf::kMaxDims)
        fail(what + " has " + std::to_string(dims.size()) + " dimensions (must be 1 to 4)");
    std::uint64_t elements = 1;
    for (auto d : dims) {
        const auto product = d >= 1 ? gguf::checkedMul(elements, static_cast<std::uint64_t>(d)) : std::nullopt;
        if (!product || *product > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            fail(what + ": every dimension must be at least 1 and the element count must fit in int64");
        elements = *product;
    }
    const auto row = rowBytes(type, static_cast<std::uint64_t>(dims[0]));
    if (!row)
        fail(what + " row length " + std::to_string(dims[0]) + " is not a multiple of the " + tensorTypeName(type) +
             " block size " + std::to_string(tensorTypeInfo(type).blockElems));
    const auto bytes = gguf::checkedMul(*row, elements / static_cast<std::uint64_t>(dims[0]));
    if (!bytes)
        fail(what + ": byte size overflows 64 bits");
    return *bytes;
}

// Little-endian encoding of the header, metadata and tensor infos (hosts are little-endian).
class Encoder {
public:
    template <typename T>
    void put(T value)
    {
        const auto at = bytes.size();
        bytes.resize(at + sizeof(T));
        std::memcpy(bytes.data() + at, &value, sizeof(T));
    }

    void putString(std::string_view s)
    {
        put<std::uint64_t>(s.size());
        bytes.insert(bytes.end(), s.begin(), s.end());
    }

    void putValue(const GgufValue& v)
    {
        switch (v.type) {
        case GgufType::U8: put(static_cast<std::uint8_t>(v.u)); break;
        case GgufType::I8: put(static_cast<std::int8_t>(v.i)); break;
        case GgufType::U16: put(static_cast<std::uint16_t>(v.u)); break;
        case GgufType::I16: put(static_cast<std::int16_t>(v.i)); break;
        case GgufType::U32: put(static_cast<std::uint32_t>(v.u)); break;
        case GgufType::I32: put(static_cast<std::int32_t>(v.i)); break;
        case GgufType::U64: put(v.u); break;
        case GgufType::I64: put(v.i); break;
        case GgufType::F32: put(static_cast<float>(v.f)); break;
        case GgufType::F64: put(v.f); break;
        case GgufType::Bool: put(static_cast<std::uint8_t>(v.b ? 1 : 0)); break;
        case GgufType::String: putString(v.s); break;
        case GgufType::Array:
            put(static_cast<std::uint32_t>(v.elementType));
            put<std::uint64_t>(v.items.size());
            for (const auto& item : v.items)
                putValue(item);
            break;
        }
    }

    std::vector<std::uint8_t> bytes;
};

struct VectorSink {
    void write(std::span<const std::uint8_t> data) { out.insert(out.end(), data.begin(), data.end()); }
    void writeZeros(std::uint64_t count) { out.resize(out.size() + static_cast<std::size_t>(count), 0); }
    std::vector<std::uint8_t>& out;
};

// Streams the whole file into `sink` (VectorSink or FileOutput). A template so that it can walk
// GgufWriter's private tensor list without naming its type.
template <typename Tensors, typename Sink>
void emit(const gguf::Metadata& metadata, const Tensors& tensors, std::uint32_t alignment, Sink& sink,
          const std::string& source)
{
    Encoder head;
    for (auto c : gguf::kMagic)
        head.put(c);
    head.put(gguf::kVersion);
    head.put<std::uint64_t>(tensors.size());
    head.put<std::uint64_t>(metadata.size());
    for (const auto& [key, value] : metadata) {
        head.putString(key);
        head.put(static_cast<std::uint32_t>(value.type));
        head.putValue(value);
    }
    std::vector<std::uint64_t> sizes;
    std::uint64_t offset = 0;
    for (const auto& t : tensors) {
        sizes.push_back(checkedTensorBytes(t.name, t.type, t.dims));
        head.putString(t.name);
        head.put(static_cast<std::uint32_t>(t.dims.size()));
        for (auto d : t.dims)
            head.put(static_cast<std::uint64_t>(d));
        head.put(static_cast<std::uint32_t>(t.type));
        head.put(offset);
        offset += gguf::alignUp(sizes.back(), alignment);
    }
    head.bytes.resize(gguf::alignUp(head.bytes.size(), alignment), 0);
    sink.write(head.bytes);

    for (std::size_t k = 0; k < tensors.size(); ++k) {
        const std::vector<std::uint8_t> data = tensors[k].produce();
        if (data.size() != sizes[k])
            throw Error(source + ": tensor '" + tensors[k].name + "' data is " + std::to_string(data.size()) +
                        " bytes, expected " + std::to_string(sizes[k]));
        sink.write(data);
        sink.writeZeros(gguf::alignUp(sizes[k], alignment) - sizes[k]);
    }
}

} // namespace

void GgufWriter::set(std::string key, GgufValue value)
{
    if (key.empty() || !isValidUtf8(key))
        fail("metadata key '" + sanitizeUtf8(key) + "' must be non-empty UTF-8");
    validateValue(value, "metadata '" + key + "'", 0);
    if (key == gguf::kAlignmentKey) {
        // Keep the written key and the alignment actually used in step, whichever way it was set.
        if (value.type != GgufType::U32 || !gguf::isPowerOfTwo(value.u))
            fail(key + " must be a u32 holding a non-zero power of two");
        alignment_ = static_cast<std::uint32_t>(value.u);
    }
    for (auto& entry : metadata_) {
        if (entry.first == key) {
            entry.second = std::move(value);
            return;
        }
    }
    metadata_.emplace_back(std::move(key), std::move(value));
}

void GgufWriter::setAlignment(std::uint32_t alignment)
{
    if (!gguf::isPowerOfTwo(alignment))
        fail("alignment " + std::to_string(alignment) + " is not a non-zero power of two");
    if (alignment != gguf::kDefaultAlignment) {
        set(std::string(gguf::kAlignmentKey), GgufValue::ofU32(alignment));
        return;
    }
    alignment_ = alignment;
    std::erase_if(metadata_, [](const auto& entry) { return entry.first == gguf::kAlignmentKey; });
}

void GgufWriter::addTensor(std::string name, TensorType type, std::vector<std::int64_t> dims,
                           std::vector<std::uint8_t> data)
{
    const auto bytes = checkedTensorBytes(name, type, dims);
    if (data.size() != bytes)
        fail("tensor '" + name + "' data is " + std::to_string(data.size()) + " bytes, expected " +
             std::to_string(bytes));
    auto shared = std::make_shared<const std::vector<std::uint8_t>>(std::move(data));
    addTensor(std::move(name), type, std::move(dims), [shared] { return *shared; });
}

void GgufWriter::addTensor(std::string name, TensorType type, std::vector<std::int64_t> dims, Producer produce)
{
    checkedTensorBytes(name, type, dims);
    if (!produce)
        fail("tensor '" + name + "' has no data producer");
    for (const auto& t : tensors_)
        if (t.name == name)
            fail("duplicate tensor name '" + name + "'");
    tensors_.push_back(PendingTensor{std::move(name), type, std::move(dims), std::move(produce)});
}

std::vector<std::uint8_t> GgufWriter::serialize() const
{
    std::vector<std::uint8_t> out;
    VectorSink sink{out};
    emit(metadata_, tensors_, alignment_, sink, kWriterSource);
    return out;
}

void GgufWriter::write(const std::filesystem::path& path) const
{
    writeFileAtomically(path, [&](FileOutput& out) { emit(metadata_, tensors_, alignment_, out, path.string()); });
}

} // namespace ponder
