#include "model_test_util.h"

#include "gguf/gguf.h"
#include "tiny_models.h"

#include <algorithm>
#include <cmath>

namespace ponder::test {

OwnedGguf parseGguf(const GgufWriter& writer, const std::string& source)
{
    OwnedGguf owned;
    owned.bytes = writer.serialize();
    owned.file = GgufFile::parse(owned.bytes, source);
    return owned;
}

namespace {

bool closeTo(double a, double b)
{
    return std::abs(a - b) <= 1e-6 * std::max(std::abs(a), std::abs(b));
}

} // namespace

QString configDifference(const ModelConfig& a, const ModelConfig& b, bool compareVocab)
{
    if (a.architecture != b.architecture) return "architecture";
    if (a.hiddenSize != b.hiddenSize) return "hiddenSize";
    if (a.layerCount != b.layerCount) return "layerCount";
    if (a.headCount != b.headCount) return "headCount";
    if (a.kvHeadCount != b.kvHeadCount) return "kvHeadCount";
    if (a.headDim != b.headDim) return "headDim";
    if (a.ffnSize != b.ffnSize) return "ffnSize";
    if (compareVocab && a.vocabSize != b.vocabSize) return "vocabSize";
    if (a.expertCount != b.expertCount) return "expertCount";
    if (a.expertsPerToken != b.expertsPerToken) return "expertsPerToken";
    if (a.expertFfnSize != b.expertFfnSize) return "expertFfnSize";
    if (a.normTopkProb != b.normTopkProb) return "normTopkProb";
    if (a.decoderSparseStep != b.decoderSparseStep) return "decoderSparseStep";
    if (a.mlpOnlyLayers != b.mlpOnlyLayers) return "mlpOnlyLayers";
    if (!closeTo(a.ropeTheta, b.ropeTheta)) return "ropeTheta";
    if (a.ropeScaling.type != b.ropeScaling.type) return "ropeScaling.type";
    if (!closeTo(a.ropeScaling.factor, b.ropeScaling.factor)) return "ropeScaling.factor";
    if (a.ropeScaling.originalContext != b.ropeScaling.originalContext) return "ropeScaling.originalContext";
    if (!closeTo(a.rmsEpsilon, b.rmsEpsilon)) return "rmsEpsilon";
    if (a.contextLength != b.contextLength) return "contextLength";
    if (a.tiedEmbeddings != b.tiedEmbeddings) return "tiedEmbeddings";
    return {};
}

std::vector<std::pair<std::string, const TensorView*>> weightsByRole(const ModelWeights& weights)
{
    std::vector<std::pair<std::string, const TensorView*>> list = {
        {"embedding", &weights.embedding}, {"output", &weights.output}, {"outputNorm", &weights.outputNorm}};
    for (std::size_t l = 0; l < weights.layers.size(); ++l) {
        const auto& layer = weights.layers[l];
        const std::string p = "layer" + std::to_string(l) + ".";
        for (const auto& [name, view] :
             {std::pair{"attnNorm", &layer.attnNorm}, {"q", &layer.q}, {"k", &layer.k}, {"v", &layer.v},
              {"o", &layer.o}, {"qNorm", &layer.qNorm}, {"kNorm", &layer.kNorm}, {"ffnNorm", &layer.ffnNorm}})
            list.emplace_back(p + name, view);
        if (!layer.sparse) {
            for (const auto& [name, view] : {std::pair{"gate", &layer.gate}, {"up", &layer.up}, {"down", &layer.down}})
                list.emplace_back(p + name, view);
            continue;
        }
        list.emplace_back(p + "router", &layer.router);
        for (std::size_t e = 0; e < layer.experts.size(); ++e) {
            const auto& x = layer.experts[e];
            const std::string q = p + "expert" + std::to_string(e) + ".";
            list.emplace_back(q + "gate", &x.gate);
            list.emplace_back(q + "up", &x.up);
            list.emplace_back(q + "down", &x.down);
        }
    }
    return list;
}

nlohmann::json minimalDenseJson()
{
    return {{"architectures", {"Qwen3ForCausalLM"}}, {"hidden_size", 1024}, {"num_hidden_layers", 2},
            {"num_attention_heads", 16}, {"intermediate_size", 3072}, {"vocab_size", 1000}};
}

OwnedGguf ggufWith(const std::string& arch, const std::vector<std::pair<std::string, GgufValue>>& keys,
                   std::int64_t hidden, std::int64_t vocab)
{
    GgufWriter w;
    w.set("general.architecture", GgufValue::ofString(arch));
    for (const auto& [key, value] : keys)
        w.set(key, value);
    w.addTensor("token_embd.weight", TensorType::F32, {hidden, vocab},
                roleBytes("token_embd.weight", TensorType::F32, hidden * vocab));
    return parseGguf(w, "t.gguf");
}

std::vector<std::pair<std::string, GgufValue>> minimalDenseKeys()
{
    return {{"qwen3.block_count", GgufValue::ofU32(2)},
            {"qwen3.context_length", GgufValue::ofU32(4096)},
            {"qwen3.embedding_length", GgufValue::ofU32(64)},
            {"qwen3.feed_forward_length", GgufValue::ofU32(128)},
            {"qwen3.attention.head_count", GgufValue::ofU32(4)},
            {"qwen3.attention.layer_norm_rms_epsilon", GgufValue::ofF32(1e-6f)}};
}

} // namespace ponder::test
