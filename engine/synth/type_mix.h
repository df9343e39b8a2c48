#pragma once
// Which storage type each tensor of a synthetic model gets for a requested file type, following what
// llama.cpp's quantiser does so synthetic files look like the ones users download.
#include "formats/tensor_type.h"
#include "model/model_config.h"
#include "synth/tensor_plan.h"

#include <string_view>

namespace ponder::synth {

// Throws ponder::Error for an unknown file type name.
void checkFileType(std::string_view fileType);

// 1-D tensors and the MoE router stay F32. "q4_k_m": Q4_K, with Q6_K for the output (and a tied embedding)
// and for attn_v / ffn_down(_exps) on the "more bits" layers. Rows whose length is not a multiple of a
// k-quant's 256-value block fall back as llama.cpp does: Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0.
TensorType chooseType(const PlannedTensor& tensor, std::string_view fileType, const ModelConfig& config);

// general.file_type value (llama_ftype) for a file type name.
std::uint32_t ggufFileTypeId(std::string_view fileType);

} // namespace ponder::synth
