// Reads GGUF metadata (the key/value section) from untrusted bytes. Every length and count is checked
// against the bytes left before anything is allocated for it, so a few hostile bytes cannot ask for
// gigabytes; every string must be UTF-8 and every type id known.
#include "core/utf8.h"
#include "gguf/gguf_format.h"

#include <string>

namespace ponder::gguf {
namespace {

// Where a value sits: its key and, inside (nested) arrays, the item indices. Only formatted when a
// message needs it, because tokenizer arrays hold hundreds of thousands of items.
struct ValuePath {
    const std::string& key;
    std::vector<std::uint64_t> indices;

    std::string describe() const
    {
        std::string out = "metadata '" + key + "'";
        if (indices.empty())
            return out;
        out += " item ";
        for (std::size_t k = 0; k < indices.size(); ++k)
            out += (k ? "." : "") + std::to_string(indices[k]); // "item 3", nested "item 3.0"
        return out;
    }
};

class MetadataReader {
public:
    explicit MetadataReader(ByteReader& reader) : r_(reader) {}

    // `what` names the bytes being read in a truncation message; `depth` counts enclosing arrays.
    GgufValue readValue(GgufType type, ValuePath& path, int depth, const std::string& what)
    {
        GgufValue v;
        v.type = type;
        switch (type) {
        case GgufType::U8: v.u = r_.read<std::uint8_t>(what); break;
        case GgufType::I8: v.i = r_.read<std::int8_t>(what); break;
        case GgufType::U16: v.u = r_.read<std::uint16_t>(what); break;
        case GgufType::I16: v.i = r_.read<std::int16_t>(what); break;
        case GgufType::U32: v.u = r_.read<std::uint32_t>(what); break;
        case GgufType::I32: v.i = r_.read<std::int32_t>(what); break;
        case GgufType::U64: v.u = r_.read<std::uint64_t>(what); break;
        case GgufType::I64: v.i = r_.read<std::int64_t>(what); break;
        case GgufType::F32: v.f = r_.read<float>(what); break;
        case GgufType::F64: v.f = r_.read<double>(what); break;
        case GgufType::Bool: v.b = readBool(path, what); break;
        case GgufType::String:
            v.s = readString(what);
            if (!isValidUtf8(v.s))
                r_.fail(path.describe() + ": string is not valid UTF-8");
            break;
        case GgufType::Array: readArray(v, path, depth, what); break;
        }
        return v;
    }

    std::string readString(const std::string& what)
    {
        const auto length = r_.read<std::uint64_t>(what + " length");
        const auto bytes = r_.readBytes(length, what); // checks `length` against the bytes left
        return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
    }

private:
    bool readBool(const ValuePath& path, const std::string& what)
    {
        const auto byte = r_.read<std::uint8_t>(what);
        if (byte > 1)
            r_.fail(path.describe() + ": bool stored as " + std::to_string(byte) + " (must be 0 or 1)");
        return byte == 1;
    }

    void readArray(GgufValue& v, ValuePath& path, int depth, const std::string& what)
    {
        if (depth >= kMaxArrayDepth)
            r_.fail(path.describe() + ": arrays nested more than " + std::to_string(kMaxArrayDepth) +
                    " deep");
        const auto elementId = r_.read<std::uint32_t>(what + " (array element type)");
        if (!isKnownType(elementId))
            r_.fail(path.describe() + ": array element type " + std::to_string(elementId) + " is unknown");
        v.elementType = static_cast<GgufType>(elementId);
        const auto count = r_.read<std::uint64_t>(what + " (array length)");
        const std::uint64_t minBytes = minEncodedBytes(v.elementType);
        if (count > r_.remaining() / minBytes)
            r_.fail(path.describe() + ": array of " + std::to_string(count) + " " +
                    std::string(ggufTypeName(v.elementType)) + " items cannot fit in the " +
                    std::to_string(r_.remaining()) + " bytes left at offset " + std::to_string(r_.offset()) +
                    " (truncated or corrupt file)");
        v.items.reserve(static_cast<std::size_t>(count));
        const std::string itemWhat = path.describe() + " array items";
        path.indices.push_back(0);
        for (std::uint64_t k = 0; k < count; ++k) {
            path.indices.back() = k;
            v.items.push_back(readValue(v.elementType, path, depth + 1, itemWhat));
        }
        path.indices.pop_back();
    }

    ByteReader& r_;
};

} // namespace

Metadata readMetadata(ByteReader& reader, std::uint64_t count)
{
    if (count > reader.remaining() / kMinMetadataEntryBytes)
        reader.fail("header: metadata count " + std::to_string(count) + " cannot be right: each entry takes at least " +
                    std::to_string(kMinMetadataEntryBytes) + " bytes and only " + std::to_string(reader.remaining()) +
                    " bytes follow the header (truncated or corrupt file)");
    MetadataReader values(reader);
    Metadata out;
    out.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t k = 0; k < count; ++k) {
        const std::string entry = "metadata entry " + std::to_string(k + 1) + " of " + std::to_string(count);
        std::string key = values.readString(entry + ": key");
        if (key.empty())
            reader.fail(entry + " has an empty key");
        if (!isValidUtf8(key))
            reader.fail(entry + ": key '" + sanitizeUtf8(key) + "' is not valid UTF-8");
        const auto typeId = reader.read<std::uint32_t>("metadata '" + key + "': value type");
        if (!isKnownType(typeId))
            reader.fail("metadata '" + key + "' has unknown value type " + std::to_string(typeId));
        ValuePath path{key, {}};
        GgufValue value = values.readValue(static_cast<GgufType>(typeId), path, 0, "metadata '" + key + "': value");
        out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

} // namespace ponder::gguf
