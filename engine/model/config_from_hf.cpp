// configFromHfConfig: a Hugging Face config.json for Qwen3ForCausalLM / Qwen3MoeForCausalLM, read with the
// defaults of transformers' Qwen3Config / Qwen3MoeConfig (configuration_qwen3.py, configuration_qwen3_moe.py)
// for the fields a config.json may leave out. The fields that size the model (hidden_size, layers, heads,
// vocab_size, the dense intermediate_size) are required: their class defaults describe some other model, and
// guessing them would only move the failure to a confusing tensor-shape message.
#include "core/error.h"
#include "model/config_checks.h"
#include "model/model_config.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace ponder {
namespace {

using detail::IntRange;
using nlohmann::json;

// Typed access to one JSON object's fields; `prefix` ("rope_scaling.") makes messages name nested fields.
class JsonFields {
public:
    JsonFields(const json& object, const std::string& source, std::string prefix = {})
        : object_(object), source_(source), prefix_(std::move(prefix))
    {
    }

    std::string name(std::string_view field) const { return prefix_ + std::string(field); }

    // Absent and null both mean "use the default", as they do for the Python config classes.
    const json* find(std::string_view field) const
    {
        auto it = object_.find(field);
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }

    std::optional<std::int64_t> optionalInt(std::string_view field, IntRange range) const
    {
        const json* value = find(field);
        if (!value)
            return std::nullopt;
        if (value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(range.max))
            fail(name(field) + " is " + std::to_string(value->get<std::uint64_t>()) + ", expected " +
                 std::to_string(range.min) + ".." + std::to_string(range.max));
        if (!value->is_number_integer())
            fail(name(field) + " must be an integer, not " + describe(*value));
        return detail::checkRange(value->get<std::int64_t>(), range, source_, name(field));
    }

    std::int64_t requiredInt(std::string_view field, IntRange range) const
    {
        if (auto value = optionalInt(field, range))
            return *value;
        fail("missing " + name(field));
    }

    std::optional<double> optionalNumber(std::string_view field, double max) const
    {
        const json* value = find(field);
        if (!value)
            return std::nullopt;
        if (!value->is_number())
            fail(name(field) + " must be a number, not " + describe(*value));
        return detail::checkPositive(value->get<double>(), max, source_, name(field));
    }

    double requiredNumber(std::string_view field, double max) const
    {
        if (auto value = optionalNumber(field, max))
            return *value;
        fail("missing " + name(field));
    }

    std::optional<bool> optionalBool(std::string_view field) const
    {
        const json* value = find(field);
        if (!value)
            return std::nullopt;
        if (!value->is_boolean())
            fail(name(field) + " must be true or false, not " + describe(*value));
        return value->get<bool>();
    }

    std::optional<std::string> optionalString(std::string_view field) const
    {
        const json* value = find(field);
        if (!value)
            return std::nullopt;
        if (!value->is_string())
            fail(name(field) + " must be a string, not " + describe(*value));
        return value->get<std::string>();
    }

    std::vector<std::int64_t> optionalIntList(std::string_view field) const
    {
        const json* value = find(field);
        if (!value)
            return {};
        if (!value->is_array())
            fail(name(field) + " must be a list of integers, not " + describe(*value));
        std::vector<std::int64_t> list;
        for (const auto& item : *value) {
            if (!item.is_number_integer())
                fail(name(field) + " must be a list of integers, but holds " + describe(item));
            list.push_back(item.get<std::int64_t>());
        }
        return list;
    }

    [[noreturn]] void fail(const std::string& problem) const { throw Error(source_ + ": " + problem); }

    static std::string describe(const json& value)
    {
        if (value.is_string())
            return "the string \"" + value.get<std::string>() + "\"";
        const std::string type = value.type_name();
        return (type == "array" || type == "object" ? "an " : "a ") + type + " (" + value.dump() + ")";
    }

private:
    const json& object_;
    const std::string& source_;
    std::string prefix_;
};

std::optional<Architecture> architectureNamed(const std::string& name)
{
    if (name == "Qwen3ForCausalLM" || name == "qwen3")
        return Architecture::Qwen3Dense;
    if (name == "Qwen3MoeForCausalLM" || name == "qwen3_moe")
        return Architecture::Qwen3Moe;
    return std::nullopt;
}

// architectures[0] names the class transformers instantiates; model_type names the config class. Either is
// enough, and when both are present they must agree.
Architecture readArchitecture(const JsonFields& fields)
{
    std::optional<std::string> className;
    if (const json* list = fields.find("architectures")) {
        if (!list->is_array())
            fields.fail("architectures must be a list of class names, not " + JsonFields::describe(*list));
        if (!list->empty()) {
            if (!list->front().is_string())
                fields.fail("architectures[0] must be a string, not " + JsonFields::describe(list->front()));
            className = list->front().get<std::string>();
        }
    }
    const auto modelType = fields.optionalString("model_type");
    if (!className && !modelType)
        fields.fail("names no architecture (architectures and model_type are both missing)");

    std::optional<Architecture> fromClass, fromType;
    if (className && !(fromClass = architectureNamed(*className)))
        fields.fail("unsupported architecture " + *className +
                    " (Ponder runs Qwen3ForCausalLM and Qwen3MoeForCausalLM)");
    if (modelType && !(fromType = architectureNamed(*modelType)))
        fields.fail("unsupported architecture " + *modelType + " (Ponder runs model_type qwen3 and qwen3_moe)");
    if (fromClass && fromType && *fromClass != *fromType)
        fields.fail("architectures[0] " + *className + " does not match model_type " + *modelType);
    return fromClass ? *fromClass : *fromType;
}

// rope_theta and rope_scaling as transformers 4.x writes them, or the rope_parameters object that newer
// transformers writes instead (rope_theta, rope_type, factor... in one place).
void readRope(const JsonFields& fields, const std::string& source, ModelConfig& out)
{
    const json* parameters = fields.find("rope_parameters");
    if (parameters && !parameters->is_object())
        fields.fail("rope_parameters must be an object, not " + JsonFields::describe(*parameters));

    // Qwen3Config's rope_theta default (and transformers' default theta) is 10000; every release sets it.
    out.ropeTheta = 10000.0;
    if (auto theta = fields.optionalNumber("rope_theta", 1e12))
        out.ropeTheta = *theta;
    else if (parameters)
        out.ropeTheta = JsonFields(*parameters, source, "rope_parameters.")
                            .optionalNumber("rope_theta", 1e12)
                            .value_or(out.ropeTheta);

    const json* scaling = fields.find("rope_scaling");
    std::string prefix = "rope_scaling.";
    if (scaling && !scaling->is_object())
        fields.fail("rope_scaling must be an object or null, not " + JsonFields::describe(*scaling));
    if (!scaling && parameters) {
        scaling = parameters;
        prefix = "rope_parameters.";
    }
    if (!scaling)
        return;
    const JsonFields rope(*scaling, source, prefix);
    // transformers accepts the older "type" spelling for "rope_type".
    auto type = rope.optionalString("rope_type");
    if (!type)
        type = rope.optionalString("type");
    if (!type || *type == "default")
        return;
    if (*type != "yarn")
        fields.fail("unsupported " + prefix + "rope_type " + *type + " (Ponder supports yarn)");
    out.ropeScaling.type = "yarn";
    out.ropeScaling.factor = rope.requiredNumber("factor", 1e6);
    // transformers' YaRN falls back to max_position_embeddings when the original length is not given.
    out.ropeScaling.originalContext =
        rope.optionalInt("original_max_position_embeddings", detail::kContextRange).value_or(out.contextLength);
}

void readExperts(const JsonFields& fields, ModelConfig& config)
{
    // Qwen3MoeConfig class defaults (those of Qwen3-30B-A3B). norm_topk_prob defaults to false there even though
    // both released MoE configs set true: an absent field means what transformers would make of it.
    config.expertCount = fields.optionalInt("num_experts", detail::kExpertRange).value_or(128);
    config.expertsPerToken = fields.optionalInt("num_experts_per_tok", detail::kExpertRange).value_or(8);
    config.expertFfnSize = fields.optionalInt("moe_intermediate_size", detail::kFfnRange).value_or(768);
    config.normTopkProb = fields.optionalBool("norm_topk_prob").value_or(false);
    config.decoderSparseStep = fields.optionalInt("decoder_sparse_step", detail::kLayerRange).value_or(1);
    config.mlpOnlyLayers = fields.optionalIntList("mlp_only_layers");
}

} // namespace

ModelConfig configFromHfConfig(const nlohmann::json& config, const std::string& source)
{
    if (!config.is_object())
        throw Error(source + ": expected a JSON object, not " + JsonFields::describe(config));
    const JsonFields fields(config, source);

    ModelConfig out;
    out.architecture = readArchitecture(fields);
    out.hiddenSize = fields.requiredInt("hidden_size", detail::kHiddenRange);
    out.layerCount = fields.requiredInt("num_hidden_layers", detail::kLayerRange);
    out.headCount = fields.requiredInt("num_attention_heads", detail::kHeadRange);
    // Qwen3Config turns a missing (None) num_key_value_heads into num_attention_heads.
    out.kvHeadCount = fields.optionalInt("num_key_value_heads", detail::kHeadRange).value_or(out.headCount);
    // Qwen3Config declares head_dim = 128; Qwen3MoeConfig declares none, so the MoE attention falls back to
    // hidden_size // num_attention_heads (modeling_qwen3_moe: getattr(config, "head_dim", ...)). Both released
    // MoE configs write 128 explicitly, which is not that quotient.
    if (auto headDim = fields.optionalInt("head_dim", detail::kHeadDimRange))
        out.headDim = *headDim;
    else
        out.headDim = out.isMoe() ? detail::checkRange(out.hiddenSize / out.headCount, detail::kHeadDimRange,
                                                       source, "hidden_size / num_attention_heads")
                                  : 128;
    // MoE models use intermediate_size only in dense (mlp-only) layers; none of the releases has one.
    if (out.isMoe())
        out.ffnSize = fields.optionalInt("intermediate_size", detail::kFfnRange).value_or(0);
    else
        out.ffnSize = fields.requiredInt("intermediate_size", detail::kFfnRange);
    out.vocabSize = fields.requiredInt("vocab_size", detail::kVocabRange);
    out.rmsEpsilon = fields.optionalNumber("rms_norm_eps", 1.0).value_or(1e-6);
    // Class default 32768; every release writes 40960 (2507 refreshes 262144).
    out.contextLength = fields.optionalInt("max_position_embeddings", detail::kContextRange).value_or(32768);
    readRope(fields, source, out);
    // Both config classes default to untied; the 0.6B, 1.7B and 4B releases set true.
    out.tiedEmbeddings = fields.optionalBool("tie_word_embeddings").value_or(false);
    if (out.isMoe())
        readExperts(fields, out);

    detail::checkConfigRelations(out,
                                 {.headCount = "num_attention_heads",
                                  .kvHeadCount = "num_key_value_heads",
                                  .headDim = "head_dim",
                                  .ffnSize = "intermediate_size",
                                  .expertCount = "num_experts",
                                  .expertsPerToken = "num_experts_per_tok",
                                  .mlpOnlyLayers = "mlp_only_layers",
                                  .ropeFactor = "rope_scaling.factor"},
                                 source);
    return out;
}

} // namespace ponder
