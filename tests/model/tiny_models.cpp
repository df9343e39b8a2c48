#include "tiny_models.h"

#include "core/half.h"
#include "gguf/gguf.h"
#include "synth/tokenizer_metadata.h"
#include "safetensors/safetensors.h"
#include "test_support.h"

#include <cstring>
#include <tuple>

namespace ponder::test {
namespace {

// One logical weight: a whole tensor, or one expert's matrix (a slice of a GGUF slab, its own HF tensor).
struct LogicalTensor {
    std::string role; // the GGUF name, plus "[e]" for an expert
    std::string gguf; // GGUF tensor name (the stacked slab for experts)
    std::string hf;
    std::vector<std::int64_t> dims; // of this matrix, ggml order
    bool floatOnly = false;         // norms and the router stay F32
    std::int64_t expert = -1;
};

std::vector<LogicalTensor> logicalTensors(const ModelConfig& c, bool withOutput)
{
    const std::int64_t h = c.hiddenSize, q = c.headCount * c.headDim, kv = c.kvHeadCount * c.headDim;
    std::vector<LogicalTensor> list;
    const auto add = [&](std::string gguf, std::string hf, std::vector<std::int64_t> dims, bool floatOnly) {
        list.push_back({gguf, gguf, std::move(hf), std::move(dims), floatOnly, -1});
    };
    add("token_embd.weight", "model.embed_tokens.weight", {h, c.vocabSize}, false);
    if (withOutput)
        add("output.weight", "lm_head.weight", {h, c.vocabSize}, false);
    add("output_norm.weight", "model.norm.weight", {h}, true);
    for (std::int64_t l = 0; l < c.layerCount; ++l) {
        const std::string g = "blk." + std::to_string(l) + ".";
        const std::string m = "model.layers." + std::to_string(l) + ".";
        add(g + "attn_norm.weight", m + "input_layernorm.weight", {h}, true);
        add(g + "attn_q.weight", m + "self_attn.q_proj.weight", {h, q}, false);
        add(g + "attn_k.weight", m + "self_attn.k_proj.weight", {h, kv}, false);
        add(g + "attn_v.weight", m + "self_attn.v_proj.weight", {h, kv}, false);
        add(g + "attn_output.weight", m + "self_attn.o_proj.weight", {q, h}, false);
        add(g + "attn_q_norm.weight", m + "self_attn.q_norm.weight", {c.headDim}, true);
        add(g + "attn_k_norm.weight", m + "self_attn.k_norm.weight", {c.headDim}, true);
        add(g + "ffn_norm.weight", m + "post_attention_layernorm.weight", {h}, true);
        if (!c.isSparseLayer(l)) {
            add(g + "ffn_gate.weight", m + "mlp.gate_proj.weight", {h, c.ffnSize}, false);
            add(g + "ffn_up.weight", m + "mlp.up_proj.weight", {h, c.ffnSize}, false);
            add(g + "ffn_down.weight", m + "mlp.down_proj.weight", {c.ffnSize, h}, false);
            continue;
        }
        add(g + "ffn_gate_inp.weight", m + "mlp.gate.weight", {h, c.expertCount}, true);
        const std::int64_t w = c.expertFfnSize;
        for (const auto& [slab, proj, dims] :
             {std::tuple{"ffn_gate_exps.weight", "gate_proj", std::vector<std::int64_t>{h, w}},
              std::tuple{"ffn_up_exps.weight", "up_proj", std::vector<std::int64_t>{h, w}},
              std::tuple{"ffn_down_exps.weight", "down_proj", std::vector<std::int64_t>{w, h}}})
            for (std::int64_t e = 0; e < c.expertCount; ++e)
                list.push_back({g + slab + "[" + std::to_string(e) + "]", g + slab,
                                m + "mlp.experts." + std::to_string(e) + "." + proj + ".weight", dims, false, e});
    }
    return list;
}

std::uint64_t mix(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

std::int64_t elementsOf(const std::vector<std::int64_t>& dims)
{
    std::int64_t n = 1;
    for (auto d : dims)
        n *= d;
    return n;
}

// Type and bytes of a tensor as written, after the options' deliberate damage.
struct Written {
    std::string name;
    TensorType type;
    std::vector<std::int64_t> dims;
    std::vector<std::uint8_t> bytes;
};

bool applyOptions(Written& t, const std::string& role, const TinyOptions& options)
{
    if (t.name == options.omit)
        return false;
    bool regenerate = false;
    if (t.name == options.reshape) {
        t.dims = options.reshapeDims;
        regenerate = true;
    }
    if (t.name == options.retype) {
        t.type = options.retypeTo;
        regenerate = true;
    }
    if (regenerate)
        t.bytes = roleBytes(role, t.type, elementsOf(t.dims));
    return true;
}

} // namespace

ModelConfig tinyDense()
{
    ModelConfig c;
    c.architecture = Architecture::Qwen3Dense;
    c.hiddenSize = 64;
    c.layerCount = 2;
    c.headCount = 4;
    c.kvHeadCount = 2;
    c.headDim = 32;
    c.ffnSize = 128;
    c.vocabSize = 256;
    c.ropeTheta = 1e6;
    c.rmsEpsilon = 1e-6;
    c.contextLength = 4096;
    return c;
}

ModelConfig tinyMoe()
{
    ModelConfig c = tinyDense();
    c.architecture = Architecture::Qwen3Moe;
    c.expertCount = 4;
    c.expertsPerToken = 2;
    c.expertFfnSize = 32;
    c.normTopkProb = true;
    return c;
}

std::vector<std::uint8_t> roleBytes(const std::string& role, TensorType type, std::int64_t elements)
{
    std::uint64_t seed = 1469598103934665603ull; // FNV-1a of the role
    for (unsigned char ch : role)
        seed = (seed ^ ch) * 1099511628211ull;
    const auto value = [&](std::int64_t i) {
        return static_cast<float>(mix(seed + static_cast<std::uint64_t>(i)) >> 40) / 8388608.0f - 1.0f;
    };
    std::vector<std::uint8_t> bytes;
    switch (type) {
    case TensorType::F32:
        bytes.resize(static_cast<std::size_t>(elements) * 4);
        for (std::int64_t i = 0; i < elements; ++i) {
            const float v = value(i);
            std::memcpy(bytes.data() + i * 4, &v, 4);
        }
        break;
    case TensorType::F16:
    case TensorType::BF16:
        bytes.resize(static_cast<std::size_t>(elements) * 2);
        for (std::int64_t i = 0; i < elements; ++i) {
            const std::uint16_t v = type == TensorType::F16 ? floatToFp16(value(i)) : floatToBf16(value(i));
            std::memcpy(bytes.data() + i * 2, &v, 2);
        }
        break;
    default: {
        // Quantised: the tests only need a correctly sized payload (one row of `elements` values).
        const auto size = rowBytes(type, static_cast<std::uint64_t>(elements));
        if (!size)
            throw std::runtime_error("roleBytes: " + std::to_string(elements) + " values do not fill " +
                                     tensorTypeName(type) + " blocks");
        bytes.assign(static_cast<std::size_t>(*size), 0x11);
    }
    }
    return bytes;
}

void setGgufHparams(GgufWriter& w, const ModelConfig& c)
{
    const std::string a = c.architectureName() + ".";
    const auto u32 = [](std::int64_t v) { return GgufValue::ofU32(static_cast<std::uint32_t>(v)); };
    w.set(a + "block_count", u32(c.layerCount));
    w.set(a + "context_length", u32(c.contextLength));
    w.set(a + "embedding_length", u32(c.hiddenSize));
    if (c.ffnSize > 0)
        w.set(a + "feed_forward_length", u32(c.ffnSize));
    w.set(a + "attention.head_count", u32(c.headCount));
    w.set(a + "attention.head_count_kv", u32(c.kvHeadCount));
    w.set(a + "rope.freq_base", GgufValue::ofF32(static_cast<float>(c.ropeTheta)));
    w.set(a + "attention.layer_norm_rms_epsilon", GgufValue::ofF32(static_cast<float>(c.rmsEpsilon)));
    w.set(a + "attention.key_length", u32(c.headDim));
    w.set(a + "attention.value_length", u32(c.headDim));
    if (c.ropeScaling.type == "yarn") {
        w.set(a + "rope.scaling.type", GgufValue::ofString("yarn"));
        w.set(a + "rope.scaling.factor", GgufValue::ofF32(static_cast<float>(c.ropeScaling.factor)));
        w.set(a + "rope.scaling.original_context_length", u32(c.ropeScaling.originalContext));
    }
    if (c.isMoe()) {
        w.set(a + "expert_count", u32(c.expertCount));
        w.set(a + "expert_used_count", u32(c.expertsPerToken));
        w.set(a + "expert_feed_forward_length", u32(c.expertFfnSize));
    }
}

nlohmann::json hfConfigJson(const ModelConfig& c)
{
    nlohmann::json j = {
        {"architectures", {c.isMoe() ? "Qwen3MoeForCausalLM" : "Qwen3ForCausalLM"}},
        {"attention_bias", false},
        {"attention_dropout", 0.0},
        {"bos_token_id", 151643},
        {"eos_token_id", 151645},
        {"head_dim", c.headDim},
        {"hidden_act", "silu"},
        {"hidden_size", c.hiddenSize},
        {"initializer_range", 0.02},
        {"intermediate_size", c.ffnSize},
        {"max_position_embeddings", c.contextLength},
        {"max_window_layers", c.layerCount},
        {"model_type", c.isMoe() ? "qwen3_moe" : "qwen3"},
        {"num_attention_heads", c.headCount},
        {"num_hidden_layers", c.layerCount},
        {"num_key_value_heads", c.kvHeadCount},
        {"rms_norm_eps", c.rmsEpsilon},
        {"rope_scaling", nullptr},
        {"rope_theta", c.ropeTheta},
        {"sliding_window", nullptr},
        {"tie_word_embeddings", c.tiedEmbeddings},
        {"torch_dtype", "bfloat16"},
        {"transformers_version", "4.51.0"},
        {"use_cache", true},
        {"use_sliding_window", false},
        {"vocab_size", c.vocabSize},
    };
    if (c.ropeScaling.type == "yarn")
        j["rope_scaling"] = {{"rope_type", "yarn"},
                             {"factor", c.ropeScaling.factor},
                             {"original_max_position_embeddings", c.ropeScaling.originalContext}};
    if (c.isMoe()) {
        j["num_experts"] = c.expertCount;
        j["num_experts_per_tok"] = c.expertsPerToken;
        j["moe_intermediate_size"] = c.expertFfnSize;
        j["norm_topk_prob"] = c.normTopkProb;
        j["decoder_sparse_step"] = c.decoderSparseStep;
        j["mlp_only_layers"] = c.mlpOnlyLayers;
        j["output_router_logits"] = false;
        j["router_aux_loss_coef"] = 0.001;
    }
    return j;
}

void setGgufTokenizer(GgufWriter& w, std::int64_t vocabSize)
{
    synth::writeTokenizerMetadata(w, tokenizerJson().parent_path(), vocabSize);
}

void writeGgufModel(const std::filesystem::path& file, const ModelConfig& config, const TinyOptions& options)
{
    GgufWriter w;
    w.set("general.architecture", GgufValue::ofString(config.architectureName()));
    w.set("general.name", GgufValue::ofString("Tiny Qwen3"));
    setGgufHparams(w, config);
    if (options.withTokenizer) {
        setGgufTokenizer(w, config.vocabSize);
        w.set("general.sampling.temp", GgufValue::ofF32(0.6f));
        w.set("general.sampling.top_p", GgufValue::ofF32(0.95f));
        w.set("general.sampling.top_k", GgufValue::ofI32(20));
    }
    const auto logical = logicalTensors(config, !config.tiedEmbeddings);
    for (std::size_t i = 0; i < logical.size(); ++i) {
        const auto& t = logical[i];
        const TensorType type = t.floatOnly ? TensorType::F32 : options.matrixType;
        Written out{t.gguf, type, t.dims, {}};
        std::string role = t.role;
        if (t.expert < 0) {
            out.bytes = roleBytes(t.role, type, elementsOf(t.dims));
        } else {
            // Stack this slab's experts (contiguous in the list) on the outermost axis.
            std::size_t end = i;
            for (; end < logical.size() && logical[end].gguf == t.gguf; ++end) {
                auto bytes = roleBytes(logical[end].role, type, elementsOf(t.dims));
                out.bytes.insert(out.bytes.end(), bytes.begin(), bytes.end());
            }
            out.dims.push_back(static_cast<std::int64_t>(end - i));
            role = t.gguf;
            i = end - 1;
        }
        if (applyOptions(out, role, options))
            w.addTensor(out.name, out.type, out.dims, std::move(out.bytes));
    }
    w.write(file);
}

void writeHfModel(const std::filesystem::path& folder, const ModelConfig& config, const TinyOptions& options)
{
    std::filesystem::create_directories(folder);
    SafetensorsWriter w;
    for (const auto& t : logicalTensors(config, !config.tiedEmbeddings || options.lmHeadWhenTied)) {
        const TensorType type = t.floatOnly ? TensorType::F32 : options.matrixType;
        Written out{t.hf, type, t.dims, roleBytes(t.role, type, elementsOf(t.dims))};
        if (applyOptions(out, t.role, options))
            w.add(out.name, out.type, out.dims, std::move(out.bytes));
    }
    w.write(folder / "model.safetensors");

    auto json = hfConfigJson(config);
    if (options.hfVocabOverride)
        json["vocab_size"] = *options.hfVocabOverride;
    writeFile(folder / "config.json", json.dump(2));
    if (options.withTokenizer) {
        std::filesystem::copy_file(tokenizerJson(), folder / "tokenizer.json");
        std::filesystem::copy_file(tokenizerConfigJson(), folder / "tokenizer_config.json");
        const nlohmann::json generation = {{"bos_token_id", 151643}, {"do_sample", true},
                                           {"eos_token_id", {151645, 151643}}, {"pad_token_id", 151643},
                                           {"temperature", 0.6}, {"top_k", 20}, {"top_p", 0.95}};
        writeFile(folder / "generation_config.json", generation.dump(2));
    }
}

} // namespace ponder::test
