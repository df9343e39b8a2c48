// GgufValue: typed views and constructors, and the names and minimal sizes of the metadata types.
#include "gguf/gguf_format.h"

#include <limits>

namespace ponder {
namespace {

bool isUnsigned(GgufType t)
{
    return t == GgufType::U8 || t == GgufType::U16 || t == GgufType::U32 || t == GgufType::U64;
}

bool isSigned(GgufType t)
{
    return t == GgufType::I8 || t == GgufType::I16 || t == GgufType::I32 || t == GgufType::I64;
}

} // namespace

std::string_view ggufTypeName(GgufType type)
{
    switch (type) {
    case GgufType::U8: return "u8";
    case GgufType::I8: return "i8";
    case GgufType::U16: return "u16";
    case GgufType::I16: return "i16";
    case GgufType::U32: return "u32";
    case GgufType::I32: return "i32";
    case GgufType::F32: return "f32";
    case GgufType::Bool: return "bool";
    case GgufType::String: return "string";
    case GgufType::Array: return "array";
    case GgufType::U64: return "u64";
    case GgufType::I64: return "i64";
    case GgufType::F64: return "f64";
    }
    return "unknown";
}

std::uint64_t gguf::minEncodedBytes(GgufType type)
{
    switch (type) {
    case GgufType::U8:
    case GgufType::I8:
    case GgufType::Bool: return 1;
    case GgufType::U16:
    case GgufType::I16: return 2;
    case GgufType::U32:
    case GgufType::I32:
    case GgufType::F32: return 4;
    case GgufType::U64:
    case GgufType::I64:
    case GgufType::F64: return 8;
    case GgufType::String: return 8;    // the length; the text may be empty
    case GgufType::Array: return 4 + 8; // element type and count; the array may be empty
    }
    return 1;
}

std::optional<std::int64_t> GgufValue::asInt() const
{
    if (isSigned(type))
        return i;
    if (isUnsigned(type) && u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return static_cast<std::int64_t>(u);
    return std::nullopt;
}

std::optional<double> GgufValue::asFloat() const
{
    if (type == GgufType::F32 || type == GgufType::F64)
        return f;
    if (isSigned(type))
        return static_cast<double>(i);
    if (isUnsigned(type))
        return static_cast<double>(u);
    return std::nullopt;
}

std::optional<bool> GgufValue::asBool() const
{
    if (type == GgufType::Bool)
        return b;
    return std::nullopt;
}

const std::string* GgufValue::asString() const { return type == GgufType::String ? &s : nullptr; }

GgufValue GgufValue::ofU32(std::uint32_t v)
{
    GgufValue value;
    value.type = GgufType::U32;
    value.u = v;
    return value;
}

GgufValue GgufValue::ofI32(std::int32_t v)
{
    GgufValue value;
    value.type = GgufType::I32;
    value.i = v;
    return value;
}

GgufValue GgufValue::ofU64(std::uint64_t v)
{
    GgufValue value;
    value.type = GgufType::U64;
    value.u = v;
    return value;
}

GgufValue GgufValue::ofF32(float v)
{
    GgufValue value;
    value.type = GgufType::F32;
    value.f = v;
    return value;
}

GgufValue GgufValue::ofBool(bool v)
{
    GgufValue value;
    value.type = GgufType::Bool;
    value.b = v;
    return value;
}

GgufValue GgufValue::ofString(std::string v)
{
    GgufValue value;
    value.type = GgufType::String;
    value.s = std::move(v);
    return value;
}


namespace {

// An array value of `elementType` whose items are made from `elements` one by one by `make`.
template <typename Elements, typename Make>
GgufValue arrayOf(GgufType elementType, Elements&& elements, Make make)
{
    GgufValue value;
    value.type = GgufType::Array;
    value.elementType = elementType;
    value.items.reserve(elements.size());
    for (auto& element : elements)
        value.items.push_back(make(std::move(element)));
    return value;
}

} // namespace

GgufValue GgufValue::ofStringArray(std::vector<std::string> v)
{
    return arrayOf(GgufType::String, std::move(v), [](std::string&& text) { return ofString(std::move(text)); });
}

GgufValue GgufValue::ofI32Array(const std::vector<std::int32_t>& v)
{
    return arrayOf(GgufType::I32, v, [](std::int32_t x) { return ofI32(x); });
}

GgufValue GgufValue::ofU32Array(const std::vector<std::uint32_t>& v)
{
    return arrayOf(GgufType::U32, v, [](std::uint32_t x) { return ofU32(x); });
}

} // namespace ponder
