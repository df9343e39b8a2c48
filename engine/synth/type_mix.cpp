#include "synth/type_mix.h"

#include "core/error.h"

#include <array>
#include <string>

namespace ponder::synth {
namespace {

struct FileType {
    std::string_view name;
    std::uint32_t llamaFtype;
};

constexpr std::array<FileType, 8> kFileTypes = {{
    {"f32", 0}, {"f16", 1}, {"bf16", 32}, {"q8_0", 7}, {"q4_0", 2}, {"q4_k", 14}, {"q6_k", 18}, {"q4_k_m", 15},
}};

// llama.cpp's use_more_bits: the first and last eighth of the layers, and every third one in between.
bool usesMoreBits(std::int64_t layer, std::int64_t layers)
{
    return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

TensorType fitRowLength(TensorType type, std::int64_t rowLength)
{
    if (rowLength % 256 == 0)
        return type;
    switch (type) {
    case TensorType::Q4_K: return TensorType::Q5_0;
    case TensorType::Q5_K: return TensorType::Q5_1;
    case TensorType::Q6_K: return TensorType::Q8_0;
    default: return type;
    }
}

} // namespace

void checkFileType(std::string_view fileType)
{
    for (const auto& f : kFileTypes)
        if (f.name == fileType)
            return;
    throw Error("unknown type '" + std::string(fileType) + "' (known: f32, f16, bf16, q8_0, q4_0, q4_k, q6_k, q4_k_m)");
}

std::uint32_t ggufFileTypeId(std::string_view fileType)
{
    for (const auto& f : kFileTypes)
        if (f.name == fileType)
            return f.llamaFtype;
    checkFileType(fileType);
    return 0;
}

TensorType chooseType(const PlannedTensor& tensor, std::string_view fileType, const ModelConfig& config)
{
    checkFileType(fileType);
    if (tensor.dims.size() == 1 || tensor.role == WeightRole::Router)
        return TensorType::F32;
    TensorType type;
    if (fileType == "q4_k_m") {
        const std::string_view name = tensor.ggufName;
        const bool moreBitsKind = endsWith(name, "attn_v.weight") || endsWith(name, "ffn_down.weight") ||
                                  endsWith(name, "ffn_down_exps.weight");
        if (tensor.role == WeightRole::Output || (tensor.role == WeightRole::Embedding && config.tiedEmbeddings))
            type = TensorType::Q6_K;
        else if (moreBitsKind && usesMoreBits(tensor.layer, config.layerCount))
            type = TensorType::Q6_K;
        else
            type = TensorType::Q4_K;
    } else {
        type = *parseTensorType(fileType);
    }
    return fitRowLength(type, tensor.rowLength());
}

} // namespace ponder::synth
