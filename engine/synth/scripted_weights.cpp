#include "synth/scripted_weights.h"

#include "core/error.h"
#include "model/tensor_names.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace ponder::synth {
namespace {

// The logit the next token of the script gets; all others get 0 (or less). 64 keeps the script certain under
// any sampling a person would set (at temperature 1 the runner-up has probability e^-64).
constexpr float kScriptLogit = 64.0f;

std::int32_t specialId(const Tokenizer& tokenizer, const char* text)
{
    const auto id = tokenizer.tokenId(text);
    if (!id)
        throw Error(std::string("the tokenizer has no ") + text + " token, so it cannot drive a scripted Qwen3 model");
    return *id;
}

std::int32_t lastId(const Tokenizer& tokenizer, const char* text)
{
    const auto ids = tokenizer.encode(text);
    if (ids.empty())
        throw Error(std::string("the tokenizer gives no ids for the prompt ending '") + text + "'");
    return ids.back();
}

} // namespace

ScriptTable buildScriptTable(const std::string& reasoning, const std::string& answer, const Tokenizer& tokenizer)
{
    if (reasoning.empty() || answer.empty())
        throw Error("a scripted model needs both a reasoning and an answer text");
    const std::int32_t think = specialId(tokenizer, "<think>"), endThink = specialId(tokenizer, "</think>");
    const std::int32_t imEnd = specialId(tokenizer, "<|im_end|>");
    const std::int32_t thinkingEntry = lastId(tokenizer, "<|im_start|>assistant\n");
    const std::int32_t answerEntry = lastId(tokenizer, "<think>\n\n</think>\n\n");

    std::vector<std::int32_t> script{thinkingEntry, think};
    const auto append = [&](const std::vector<std::int32_t>& ids) { script.insert(script.end(), ids.begin(), ids.end()); };
    append(tokenizer.encode(reasoning));
    script.push_back(endThink);
    script.push_back(answerEntry);
    append(tokenizer.encode(answer));
    script.push_back(imEnd);

    std::set<std::int32_t> seen;
    for (std::int32_t id : script)
        if (!seen.insert(id).second)
            throw Error("the script uses the token '" + tokenizer.tokenBytes(id) + "' (id " + std::to_string(id) +
                        ") twice; a scripted model maps each token to one successor, so reword the reasoning or "
                        "answer (the prompt's last newline and the \"\\n\\n\" after </think> count too)");
    ScriptTable table;
    for (std::size_t i = 0; i + 1 < script.size(); ++i)
        table.successors.emplace_back(script[i], script[i + 1]);
    table.fallbackSuccessor = imEnd;
    return table;
}

ModelConfig scriptedConfig(const ScriptTable& table)
{
    ModelConfig c;
    c.architecture = Architecture::Qwen3Dense;
    c.hiddenSize = std::max<std::int64_t>(64, (table.codeCount() + 63) / 64 * 64);
    c.ffnSize = 128;
    c.layerCount = 2;
    c.headCount = 4;
    c.kvHeadCount = 2;
    c.headDim = 32;
    c.vocabSize = 151936;
    c.ropeTheta = 1e6;
    c.rmsEpsilon = 1e-6;
    c.contextLength = 4096;
    c.tiedEmbeddings = false; // the embedding and lm_head hold different tables
    return c;
}

ScriptedWeights::ScriptedWeights(const ScriptTable& table)
{
    for (std::size_t i = 0; i < table.successors.size(); ++i) {
        const auto code = static_cast<std::int64_t>(i + 1);
        codeOf_[table.successors[i].first] = code;
        codesLeadingTo_[table.successors[i].second].push_back(code);
    }
    codesLeadingTo_[table.fallbackSuccessor].push_back(0);
}

bool ScriptedWeights::fillRows(const PlannedTensor& tensor, std::int64_t firstRow, std::int64_t rows, float* out) const
{
    const std::int64_t n = tensor.rowLength();
    const auto isLayer = [&](LayerTensor which) {
        return tensor.layer >= 0 && tensor.ggufName == ggufLayerTensorName(tensor.layer, which);
    };
    std::fill(out, out + rows * n, 0.0f);
    switch (tensor.role) {
    case WeightRole::Norm:
        std::fill(out, out + rows * n, 1.0f);
        return true;
    case WeightRole::Embedding:
        for (std::int64_t r = 0; r < rows; ++r) {
            const auto it = codeOf_.find(static_cast<std::int32_t>(firstRow + r));
            out[r * n + (it == codeOf_.end() ? 0 : it->second)] = 1.0f;
        }
        return true;
    case WeightRole::Output: {
        // The final RMSNorm (weight 1) turns a one-hot code into sqrt(hidden) at that index.
        const float weight = kScriptLogit / std::sqrt(static_cast<float>(n));
        for (std::int64_t r = 0; r < rows; ++r) {
            const auto it = codesLeadingTo_.find(static_cast<std::int32_t>(firstRow + r));
            if (it != codesLeadingTo_.end())
                for (std::int64_t code : it->second)
                    out[r * n + code] = weight;
        }
        return true;
    }
    default:
        // o_proj and down_proj stay zero, so attention and the MLP add nothing to the residual stream.
        return isLayer(LayerTensor::O) || isLayer(LayerTensor::Down);
    }
}

} // namespace ponder::synth
