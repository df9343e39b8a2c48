#pragma once
// Which tensors a Qwen3 model of a given shape has, under both naming schemes, and how their random values
// are drawn. The same plan drives the GGUF and the Hugging Face writer so both hold identical weights.
#include "model/model_config.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ponder::synth {

enum class WeightRole {
    Embedding, // token_embd: small values, so the residual stream is dominated by the layers' outputs
    Output,    // lm_head (untied models)
    Norm,      // RMSNorm weights around 1
    Linear,    // projections: uniform with std 1/sqrt(fan_in), keeping activations near unit scale
    Router,    // MoE router
    Experts,   // stacked expert matrices: dims {in, out, experts}
};

struct PlannedTensor {
    std::string ggufName;
    std::string hfName;                     // empty for Experts
    std::vector<std::string> hfExpertNames; // one per expert, for Experts
    WeightRole role = WeightRole::Linear;
    std::int64_t layer = -1;                // -1 for model-level tensors
    std::vector<std::int64_t> dims;         // ggml order (dims[0] contiguous)

    std::int64_t rowLength() const { return dims[0]; }
    std::int64_t rowsPerMatrix() const { return dims.size() > 1 ? dims[1] : 1; }
    std::int64_t matrices() const { return dims.size() > 2 ? dims[2] : 1; }
};

std::vector<PlannedTensor> planTensors(const ModelConfig& config);

// Values of `rows` rows starting at `firstRow` of matrix `matrix` (an expert index, 0 otherwise), drawn from a
// generator seeded by (seed, tensor name, matrix, row): any row can be produced independently and in parallel.
void fillRows(const PlannedTensor& tensor, std::uint64_t seed, std::int64_t matrix, std::int64_t firstRow,
              std::int64_t rows, float* out);

// Produces rows of a planned tensor (the random fillRows above, or a scripted model's tables). Called from
// several threads at once.
using RowFiller = std::function<void(const PlannedTensor& tensor, std::int64_t matrix, std::int64_t firstRow,
                                     std::int64_t rows, float* out)>;

} // namespace ponder::synth
