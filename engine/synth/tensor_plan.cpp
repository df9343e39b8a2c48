#include "synth/tensor_plan.h"

#include <cmath>

namespace ponder::synth {
namespace {

std::string blk(std::int64_t layer, const char* name) { return "blk." + std::to_string(layer) + "." + name; }
std::string hfLayer(std::int64_t layer, const std::string& name)
{
    return "model.layers." + std::to_string(layer) + "." + name;
}

PlannedTensor make(std::string gguf, std::string hf, WeightRole role, std::int64_t layer,
                   std::vector<std::int64_t> dims)
{
    PlannedTensor t;
    t.ggufName = std::move(gguf);
    t.hfName = std::move(hf);
    t.role = role;
    t.layer = layer;
    t.dims = std::move(dims);
    return t;
}

std::uint64_t splitmix(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t hashName(const std::string& name)
{
    std::uint64_t h = 1469598103934665603ull; // FNV-1a
    for (unsigned char c : name)
        h = (h ^ c) * 1099511628211ull;
    return h;
}

} // namespace

std::vector<PlannedTensor> planTensors(const ModelConfig& c)
{
    const std::int64_t H = c.hiddenSize, V = c.vocabSize, D = c.headDim;
    std::vector<PlannedTensor> plan;
    plan.push_back(make("token_embd.weight", "model.embed_tokens.weight", WeightRole::Embedding, -1, {H, V}));
    for (std::int64_t l = 0; l < c.layerCount; ++l) {
        plan.push_back(make(blk(l, "attn_norm.weight"), hfLayer(l, "input_layernorm.weight"), WeightRole::Norm, l, {H}));
        plan.push_back(make(blk(l, "attn_q.weight"), hfLayer(l, "self_attn.q_proj.weight"), WeightRole::Linear, l,
                            {H, c.headCount * D}));
        plan.push_back(make(blk(l, "attn_k.weight"), hfLayer(l, "self_attn.k_proj.weight"), WeightRole::Linear, l,
                            {H, c.kvHeadCount * D}));
        plan.push_back(make(blk(l, "attn_v.weight"), hfLayer(l, "self_attn.v_proj.weight"), WeightRole::Linear, l,
                            {H, c.kvHeadCount * D}));
        plan.push_back(make(blk(l, "attn_output.weight"), hfLayer(l, "self_attn.o_proj.weight"), WeightRole::Linear,
                            l, {c.headCount * D, H}));
        plan.push_back(make(blk(l, "attn_q_norm.weight"), hfLayer(l, "self_attn.q_norm.weight"), WeightRole::Norm, l, {D}));
        plan.push_back(make(blk(l, "attn_k_norm.weight"), hfLayer(l, "self_attn.k_norm.weight"), WeightRole::Norm, l, {D}));
        plan.push_back(make(blk(l, "ffn_norm.weight"), hfLayer(l, "post_attention_layernorm.weight"), WeightRole::Norm,
                            l, {H}));
        if (c.isSparseLayer(l)) {
            const std::int64_t E = c.expertCount, I = c.expertFfnSize;
            plan.push_back(make(blk(l, "ffn_gate_inp.weight"), hfLayer(l, "mlp.gate.weight"), WeightRole::Router, l, {H, E}));
            const struct {
                const char* gguf;
                const char* hf;
                std::vector<std::int64_t> dims;
            } stacks[] = {{"ffn_gate_exps.weight", "gate_proj", {H, I, E}},
                          {"ffn_up_exps.weight", "up_proj", {H, I, E}},
                          {"ffn_down_exps.weight", "down_proj", {I, H, E}}};
            for (const auto& s : stacks) {
                PlannedTensor t = make(blk(l, s.gguf), "", WeightRole::Experts, l, s.dims);
                for (std::int64_t e = 0; e < E; ++e)
                    t.hfExpertNames.push_back(hfLayer(l, "mlp.experts." + std::to_string(e) + "." + s.hf + ".weight"));
                plan.push_back(std::move(t));
            }
        } else {
            const std::int64_t I = c.ffnSize;
            plan.push_back(make(blk(l, "ffn_gate.weight"), hfLayer(l, "mlp.gate_proj.weight"), WeightRole::Linear, l, {H, I}));
            plan.push_back(make(blk(l, "ffn_up.weight"), hfLayer(l, "mlp.up_proj.weight"), WeightRole::Linear, l, {H, I}));
            plan.push_back(make(blk(l, "ffn_down.weight"), hfLayer(l, "mlp.down_proj.weight"), WeightRole::Linear, l, {I, H}));
        }
    }
    plan.push_back(make("output_norm.weight", "model.norm.weight", WeightRole::Norm, -1, {H}));
    if (!c.tiedEmbeddings)
        plan.push_back(make("output.weight", "lm_head.weight", WeightRole::Output, -1, {H, V}));
    return plan;
}

void fillRows(const PlannedTensor& tensor, std::uint64_t seed, std::int64_t matrix, std::int64_t firstRow,
              std::int64_t rows, float* out)
{
    // Uniform in [-a, a] has std a/sqrt(3). Scales keep every activation near unit size through the layers,
    // and give the lm_head enough spread that greedy decoding wanders instead of repeating one token.
    const double fanIn = static_cast<double>(tensor.rowLength());
    double offset = 0.0, amplitude;
    switch (tensor.role) {
    case WeightRole::Norm: offset = 1.0; amplitude = 0.2; break;
    case WeightRole::Embedding: amplitude = 0.05 * std::sqrt(3.0); break;
    case WeightRole::Output: amplitude = 2.0 * std::sqrt(3.0 / fanIn); break;
    default: amplitude = std::sqrt(3.0 / fanIn); break;
    }
    const std::uint64_t tensorSeed = hashName(tensor.ggufName) ^ (seed * 0xD1B54A32D192ED03ull);
    const std::int64_t n = tensor.rowLength();
    for (std::int64_t r = 0; r < rows; ++r) {
        std::uint64_t state = tensorSeed ^ (static_cast<std::uint64_t>(matrix) << 40) ^
                              static_cast<std::uint64_t>(firstRow + r) * 0x9E3779B97F4A7C15ull;
        float* row = out + r * n;
        for (std::int64_t i = 0; i < n; ++i) {
            const double u = static_cast<double>(splitmix(state) >> 40) * (1.0 / 16777216.0) * 2.0 - 1.0;
            row[i] = static_cast<float>(offset + amplitude * u);
        }
    }
}

} // namespace ponder::synth
