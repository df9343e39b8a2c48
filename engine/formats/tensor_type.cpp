#include "formats/tensor_type.h"

#include <array>
#include <cctype>

namespace ponder {
namespace {

constexpr std::array<TensorTypeInfo, 11> kLoadable = {{
    {TensorType::F32, "F32", 1, 4},
    {TensorType::F16, "F16", 1, 2},
    {TensorType::Q4_0, "Q4_0", 32, 18},
    {TensorType::Q4_1, "Q4_1", 32, 20},
    {TensorType::Q5_0, "Q5_0", 32, 22},
    {TensorType::Q5_1, "Q5_1", 32, 24},
    {TensorType::Q8_0, "Q8_0", 32, 34},
    {TensorType::Q4_K, "Q4_K", 256, 144},
    {TensorType::Q5_K, "Q5_K", 256, 176},
    {TensorType::Q6_K, "Q6_K", 256, 210},
    {TensorType::BF16, "BF16", 1, 2},
}};

// ggml ids Ponder does not load, so that error messages can still name them.
std::string_view otherGgmlName(std::uint32_t id)
{
    switch (id) {
    case 9: return "Q8_1";
    case 10: return "Q2_K";
    case 11: return "Q3_K";
    case 15: return "Q8_K";
    case 16: return "IQ2_XXS";
    case 17: return "IQ2_XS";
    case 18: return "IQ3_XXS";
    case 19: return "IQ1_S";
    case 20: return "IQ4_NL";
    case 21: return "IQ3_S";
    case 22: return "IQ2_S";
    case 23: return "IQ4_XS";
    case 24: return "I8";
    case 25: return "I16";
    case 26: return "I32";
    case 27: return "I64";
    case 28: return "F64";
    case 29: return "IQ1_M";
    case 34: return "TQ1_0";
    case 35: return "TQ2_0";
    case 39: return "MXFP4";
    default: return {};
    }
}

} // namespace

std::optional<TensorTypeInfo> tensorTypeInfo(std::uint32_t ggmlId)
{
    for (const auto& info : kLoadable)
        if (static_cast<std::uint32_t>(info.type) == ggmlId)
            return info;
    return std::nullopt;
}

const TensorTypeInfo& tensorTypeInfo(TensorType type)
{
    for (const auto& info : kLoadable)
        if (info.type == type)
            return info;
    return kLoadable[0]; // unreachable for valid enum values
}

std::string tensorTypeName(std::uint32_t ggmlId)
{
    if (auto info = tensorTypeInfo(ggmlId))
        return std::string(info->name);
    if (auto other = otherGgmlName(ggmlId); !other.empty())
        return std::string(other);
    return "type " + std::to_string(ggmlId);
}

std::optional<TensorType> parseTensorType(std::string_view name)
{
    for (const auto& info : kLoadable) {
        if (info.name.size() != name.size())
            continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size() && same; ++i)
            same = std::toupper(static_cast<unsigned char>(name[i])) == info.name[i];
        if (same)
            return info.type;
    }
    return std::nullopt;
}

std::optional<std::uint64_t> rowBytes(TensorType type, std::uint64_t elements)
{
    const auto& info = tensorTypeInfo(type);
    if (elements % info.blockElems != 0)
        return std::nullopt;
    return elements / info.blockElems * info.blockBytes;
}

} // namespace ponder
