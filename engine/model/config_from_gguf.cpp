// configFromGguf: the {arch}.* metadata keys written by llama.cpp's converter for qwen3 / qwen3moe, read with
// the defaults llama.cpp's loader applies (src/llama-model.cpp, load_hparams) so that any file llama.cpp
// accepts describes the same model here.
#include "core/error.h"
#include "gguf/gguf.h"
#include "model/config_checks.h"
#include "model/model_config.h"

#include <optional>

namespace ponder {
namespace {

using detail::IntRange;

class GgufKeyReader {
public:
    GgufKeyReader(const GgufFile& gguf, const std::string& source, std::string arch)
        : gguf_(gguf), source_(source), arch_(std::move(arch))
    {
    }

    std::string key(std::string_view suffix) const { return arch_ + "." + std::string(suffix); }

    std::optional<std::int64_t> optionalInt(std::string_view suffix, IntRange range) const
    {
        const std::string name = key(suffix);
        const GgufValue* value = gguf_.find(name);
        if (!value)
            return std::nullopt;
        auto integer = value->asInt();
        if (!integer && value->type == GgufType::U64)
            fail(name + " is " + std::to_string(value->u) + ", expected " + std::to_string(range.min) + ".." +
                 std::to_string(range.max));
        if (!integer)
            fail(name + " has type " + std::string(ggufTypeName(value->type)) + ", expected an integer");
        return detail::checkRange(*integer, range, source_, name);
    }

    std::int64_t requiredInt(std::string_view suffix, IntRange range) const
    {
        if (auto value = optionalInt(suffix, range))
            return *value;
        fail("missing metadata key " + key(suffix));
    }

    std::optional<double> optionalFloat(std::string_view suffix, double max) const
    {
        const std::string name = key(suffix);
        const GgufValue* value = gguf_.find(name);
        if (!value)
            return std::nullopt;
        auto number = value->asFloat();
        if (!number)
            fail(name + " has type " + std::string(ggufTypeName(value->type)) + ", expected a number");
        return detail::checkPositive(*number, max, source_, name);
    }

    double requiredFloat(std::string_view suffix, double max) const
    {
        if (auto value = optionalFloat(suffix, max))
            return *value;
        fail("missing metadata key " + key(suffix));
    }

    std::optional<bool> optionalBool(std::string_view suffix) const
    {
        const std::string name = key(suffix);
        const GgufValue* value = gguf_.find(name);
        if (!value)
            return std::nullopt;
        auto flag = value->asBool();
        if (!flag)
            fail(name + " has type " + std::string(ggufTypeName(value->type)) + ", expected a bool");
        return flag;
    }

    std::optional<std::string> optionalString(std::string_view suffix) const
    {
        const std::string name = key(suffix);
        const GgufValue* value = gguf_.find(name);
        if (!value)
            return std::nullopt;
        const std::string* text = value->asString();
        if (!text)
            fail(name + " has type " + std::string(ggufTypeName(value->type)) + ", expected a string");
        return *text;
    }

    [[noreturn]] void fail(const std::string& problem) const { throw Error(source_ + ": " + problem); }

private:
    const GgufFile& gguf_;
    const std::string& source_;
    std::string arch_;
};

Architecture readArchitecture(const GgufFile& gguf, const std::string& source)
{
    const GgufValue* value = gguf.find("general.architecture");
    if (!value)
        throw Error(source + ": missing metadata key general.architecture");
    const std::string* name = value->asString();
    if (!name)
        throw Error(source + ": general.architecture has type " + std::string(ggufTypeName(value->type)) +
                    ", expected a string");
    if (*name == "qwen3")
        return Architecture::Qwen3Dense;
    if (*name == "qwen3moe")
        return Architecture::Qwen3Moe;
    throw Error(source + ": unsupported architecture " + *name + " (Ponder runs qwen3 and qwen3moe)");
}

// The vocabulary is the embedding's row count: token lists are sometimes shorter (padding ids) and a
// tokenizer.ggml.tokens count is not what the matrices are sized by.
std::int64_t readVocabSize(const GgufFile& gguf, const std::string& source)
{
    const TensorView* embedding = gguf.tensor("token_embd.weight");
    if (!embedding)
        throw Error(source + ": missing tensor token_embd.weight");
    if (embedding->dims.size() != 2)
        throw Error(source + ": tensor token_embd.weight has " + std::to_string(embedding->dims.size()) +
                    " dimensions, expected 2");
    return detail::checkRange(embedding->dims[1], detail::kVocabRange, source, "token_embd.weight rows");
}

void readRopeScaling(const GgufKeyReader& keys, ModelConfig& config)
{
    const auto type = keys.optionalString("rope.scaling.type");
    if (!type || *type == "none")
        return;
    if (*type != "yarn")
        keys.fail("unsupported " + keys.key("rope.scaling.type") + " " + *type + " (Ponder supports yarn)");
    config.ropeScaling.type = "yarn";
    config.ropeScaling.factor = keys.requiredFloat("rope.scaling.factor", 1e6);
    // llama.cpp: n_ctx_orig_yarn defaults to the training context.
    config.ropeScaling.originalContext =
        keys.optionalInt("rope.scaling.original_context_length", detail::kContextRange)
            .value_or(config.contextLength);
}

void readExperts(const GgufKeyReader& keys, const std::string& source, ModelConfig& config)
{
    config.expertCount = keys.requiredInt("expert_count", detail::kExpertRange);
    config.expertsPerToken = keys.requiredInt("expert_used_count", detail::kExpertRange);
    // llama.cpp (qwen3moe tensor loading): without expert_feed_forward_length an expert is n_ff / n_expert_used.
    if (auto width = keys.optionalInt("expert_feed_forward_length", detail::kFfnRange)) {
        config.expertFfnSize = *width;
    } else {
        if (config.ffnSize <= 0)
            keys.fail("missing metadata key " + keys.key("expert_feed_forward_length"));
        config.expertFfnSize = detail::checkRange(
            config.ffnSize / config.expertsPerToken, detail::kFfnRange, source,
            keys.key("feed_forward_length") + " / " + keys.key("expert_used_count"));
    }
    // llama.cpp's qwen3moe graph always renormalises the top-k weights, as every released Qwen3 MoE config asks
    // (norm_topk_prob true); official GGUFs do not write expert_weights_norm, so absence means true.
    config.normTopkProb = keys.optionalBool("expert_weights_norm").value_or(true);
    // HF's decoder_sparse_step / mlp_only_layers have no GGUF key: llama.cpp builds every qwen3moe layer as MoE.
    config.decoderSparseStep = 1;
    config.mlpOnlyLayers.clear();
}

} // namespace

ModelConfig configFromGguf(const GgufFile& gguf, const std::string& source)
{
    ModelConfig config;
    config.architecture = readArchitecture(gguf, source);
    const GgufKeyReader keys(gguf, source, config.architectureName());

    config.layerCount = keys.requiredInt("block_count", detail::kLayerRange);
    config.hiddenSize = keys.requiredInt("embedding_length", detail::kHiddenRange);
    config.headCount = keys.requiredInt("attention.head_count", detail::kHeadRange);
    // llama.cpp: head_count_kv defaults to head_count.
    config.kvHeadCount =
        keys.optionalInt("attention.head_count_kv", detail::kHeadRange).value_or(config.headCount);

    // head_dim is key_length. Only when it is absent does llama.cpp derive it as embedding / heads; Qwen3
    // files always carry 128, which differs from that quotient for most sizes.
    if (auto keyLength = keys.optionalInt("attention.key_length", detail::kHeadDimRange)) {
        config.headDim = *keyLength;
    } else {
        if (config.hiddenSize % config.headCount != 0)
            keys.fail("missing " + keys.key("attention.key_length") + " and " + keys.key("embedding_length") +
                      " is not a multiple of " + keys.key("attention.head_count"));
        config.headDim = detail::checkRange(config.hiddenSize / config.headCount, detail::kHeadDimRange, source,
                                            keys.key("embedding_length") + " / " +
                                                keys.key("attention.head_count"));
    }
    // Ponder's attention uses one width for keys and values; an absent value_length is taken to be equal.
    if (auto valueLength = keys.optionalInt("attention.value_length", detail::kHeadDimRange);
        valueLength && *valueLength != config.headDim)
        keys.fail(keys.key("attention.value_length") + " is " + std::to_string(*valueLength) + " but " +
                  keys.key("attention.key_length") + " is " + std::to_string(config.headDim) +
                  "; Ponder needs them equal");
    // Qwen3 rotates every head dimension; llama.cpp asserts the same (n_rot == head size).
    if (auto rotated = keys.optionalInt("rope.dimension_count", detail::kHeadDimRange);
        rotated && *rotated != config.headDim)
        keys.fail(keys.key("rope.dimension_count") + " is " + std::to_string(*rotated) +
                  ", expected the head size " + std::to_string(config.headDim));

    // Written for MoE files too (unused there); a dense file cannot do without it.
    if (config.isMoe())
        config.ffnSize = keys.optionalInt("feed_forward_length", detail::kFfnRange).value_or(0);
    else
        config.ffnSize = keys.requiredInt("feed_forward_length", detail::kFfnRange);

    config.rmsEpsilon = keys.requiredFloat("attention.layer_norm_rms_epsilon", 1.0);
    // llama.cpp: rope_freq_base_train = 10000 unless rope.freq_base is present (every Qwen3 file has it).
    config.ropeTheta = keys.optionalFloat("rope.freq_base", 1e12).value_or(10000.0);
    config.contextLength = keys.requiredInt("context_length", detail::kContextRange);
    readRopeScaling(keys, config);

    if (config.isMoe())
        readExperts(keys, source, config);

    config.vocabSize = readVocabSize(gguf, source);
    // Tied models (0.6B, 1.7B, 4B) ship no output.weight; llama.cpp then uses token_embd as the lm_head.
    config.tiedEmbeddings = gguf.tensor("output.weight") == nullptr;

    detail::checkConfigRelations(config,
                                 {.headCount = keys.key("attention.head_count"),
                                  .kvHeadCount = keys.key("attention.head_count_kv"),
                                  .headDim = keys.key("attention.key_length"),
                                  .ffnSize = keys.key("feed_forward_length"),
                                  .expertCount = keys.key("expert_count"),
                                  .expertsPerToken = keys.key("expert_used_count"),
                                  .mlpOnlyLayers = "mlp-only layers",
                                  .ropeFactor = keys.key("rope.scaling.factor")},
                                 source);
    return config;
}

} // namespace ponder
