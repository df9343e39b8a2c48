#pragma once
// The `scripted` synthetic model: weights that make decoding emit a known reasoning and answer, so the app and
// its tests can drive the real loader and engine end to end and assert exact text. The model is a successor
// table: attention and MLP outputs are zero (o_proj and down_proj hold zeros), so the residual stream is the
// current token's embedding, a one-hot code; lm_head maps each code to a large logit on the next token of the
// script. Every token that is not in the script shares a fallback code whose successor is <|im_end|>.
//
// The script, as ids: <think> reasoning </think> "\n\n" answer <|im_end|>, entered from the last token of
// the thinking-mode generation prompt ("<|im_start|>assistant\n"); the non-thinking prompt ends in the same
// "\n\n" that follows </think>, so without thinking the model answers at once. Each token may occur only once
// in that sequence (a successor table has one successor per token).
#include "model/model_config.h"
#include "synth/tensor_plan.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ponder {
class Tokenizer;
}

namespace ponder::synth {

struct ScriptTable {
    std::vector<std::pair<std::int32_t, std::int32_t>> successors; // (token, next token), one per code 1..
    std::int32_t fallbackSuccessor = -1;                            // code 0: every other token -> <|im_end|>
    std::int64_t codeCount() const { return static_cast<std::int64_t>(successors.size()) + 1; }
};

// Throws ponder::Error naming a repeated token, or an empty reasoning or answer.
ScriptTable buildScriptTable(const std::string& reasoning, const std::string& answer, const Tokenizer& tokenizer);

// The shape: tiny (heads 4 x 32, 2 KV heads, untied), hidden size a multiple of 64 that holds every code.
ModelConfig scriptedConfig(const ScriptTable& table);

// Rows of the scripted tensors: the embedding, lm_head, o_proj and down_proj (zeros) and the norms (ones).
class ScriptedWeights {
public:
    explicit ScriptedWeights(const ScriptTable& table);
    // Returns false for tensors it leaves to the random filler (q, k, v, gate, up).
    bool fillRows(const PlannedTensor& tensor, std::int64_t firstRow, std::int64_t rows, float* out) const;

private:
    std::map<std::int32_t, std::int64_t> codeOf_;                      // token -> its code (0: fallback)
    std::map<std::int32_t, std::vector<std::int64_t>> codesLeadingTo_; // token -> codes whose successor it is
};

} // namespace ponder::synth
