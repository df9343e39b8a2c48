#include "model/tensor_names.h"

#include <string_view>

namespace ponder {
namespace {

std::string_view ggufSuffix(LayerTensor tensor)
{
    switch (tensor) {
    case LayerTensor::AttnNorm: return "attn_norm.weight";
    case LayerTensor::Q: return "attn_q.weight";
    case LayerTensor::K: return "attn_k.weight";
    case LayerTensor::V: return "attn_v.weight";
    case LayerTensor::O: return "attn_output.weight";
    case LayerTensor::QNorm: return "attn_q_norm.weight";
    case LayerTensor::KNorm: return "attn_k_norm.weight";
    case LayerTensor::FfnNorm: return "ffn_norm.weight";
    case LayerTensor::Gate: return "ffn_gate.weight";
    case LayerTensor::Up: return "ffn_up.weight";
    case LayerTensor::Down: return "ffn_down.weight";
    case LayerTensor::Router: return "ffn_gate_inp.weight";
    }
    return {};
}

std::string_view hfSuffix(LayerTensor tensor)
{
    switch (tensor) {
    case LayerTensor::AttnNorm: return "input_layernorm.weight";
    case LayerTensor::Q: return "self_attn.q_proj.weight";
    case LayerTensor::K: return "self_attn.k_proj.weight";
    case LayerTensor::V: return "self_attn.v_proj.weight";
    case LayerTensor::O: return "self_attn.o_proj.weight";
    case LayerTensor::QNorm: return "self_attn.q_norm.weight";
    case LayerTensor::KNorm: return "self_attn.k_norm.weight";
    case LayerTensor::FfnNorm: return "post_attention_layernorm.weight";
    case LayerTensor::Gate: return "mlp.gate_proj.weight";
    case LayerTensor::Up: return "mlp.up_proj.weight";
    case LayerTensor::Down: return "mlp.down_proj.weight";
    case LayerTensor::Router: return "mlp.gate.weight";
    }
    return {};
}

std::string_view projectionName(ExpertProjection projection)
{
    switch (projection) {
    case ExpertProjection::Gate: return "gate";
    case ExpertProjection::Up: return "up";
    case ExpertProjection::Down: return "down";
    }
    return {};
}

std::string ggufBlock(std::int64_t layer) { return "blk." + std::to_string(layer) + "."; }
std::string hfLayer(std::int64_t layer) { return "model.layers." + std::to_string(layer) + "."; }

} // namespace

std::string ggufLayerTensorName(std::int64_t layer, LayerTensor tensor)
{
    return ggufBlock(layer) + std::string(ggufSuffix(tensor));
}

std::string hfLayerTensorName(std::int64_t layer, LayerTensor tensor)
{
    return hfLayer(layer) + std::string(hfSuffix(tensor));
}

std::string ggufExpertStackName(std::int64_t layer, ExpertProjection projection)
{
    return ggufBlock(layer) + "ffn_" + std::string(projectionName(projection)) + "_exps.weight";
}

std::string hfExpertName(std::int64_t layer, std::int64_t expert, ExpertProjection projection)
{
    return hfLayer(layer) + "mlp.experts." + std::to_string(expert) + "." + std::string(projectionName(projection)) +
           "_proj.weight";
}

} // namespace ponder
