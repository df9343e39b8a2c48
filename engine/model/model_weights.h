#pragma once
// The Qwen3 weights of one model, bound by role and checked against the model's config (presence, type,
// shape), whatever file they came from. GGUF names are canonical; Hugging Face names are mapped onto them.
#include "formats/tensor_view.h"
#include "model/model_config.h"

#include <functional>
#include <string>
#include <vector>

namespace ponder {

struct ExpertWeights {
    TensorView gate; // dims {hidden, expertFfn}
    TensorView up;   // dims {hidden, expertFfn}
    TensorView down; // dims {expertFfn, hidden}
};

struct LayerWeights {
    TensorView attnNorm;  // {hidden}
    TensorView q;         // {hidden, heads*headDim}
    TensorView k;         // {hidden, kvHeads*headDim}
    TensorView v;         // {hidden, kvHeads*headDim}
    TensorView o;         // {heads*headDim, hidden}
    TensorView qNorm;     // {headDim}
    TensorView kNorm;     // {headDim}
    TensorView ffnNorm;   // {hidden}
    // Dense MLP (dense models, and mlp-only layers of MoE models).
    TensorView gate, up, down;
    // MoE layers: router {hidden, experts} and one view per expert (GGUF's stacked slabs are cut per expert).
    TensorView router;
    std::vector<ExpertWeights> experts;
    bool sparse = false;
};

struct ModelWeights {
    TensorView embedding;  // {hidden, vocab}
    TensorView output;     // {hidden, vocab}; the embedding itself when tied
    TensorView outputNorm; // {hidden}
    std::vector<LayerWeights> layers;
};

// Looks a tensor up by its name in the source file; returns nullptr when absent.
using TensorLookup = std::function<const TensorView*(std::string_view name)>;

// Bind and validate. Throws ponder::Error "SOURCE: missing tensor X" / "SOURCE: tensor X has shape [..],
// expected [..]" / "SOURCE: tensor X has type T, which Ponder cannot use for a norm" etc.
ModelWeights bindGgufWeights(const ModelConfig& config, const TensorLookup& lookup, const std::string& source);
ModelWeights bindHfWeights(const ModelConfig& config, const TensorLookup& lookup, const std::string& source);

} // namespace ponder
