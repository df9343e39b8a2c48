#pragma once
// Decoders for the block types that dominate Qwen3 files (Q8_0, Q4_0, Q4_K, Q5_K, Q6_K), written so that
// GCC's -O2 vectoriser handles them: loops of constant length with no data-dependent branches. They do the
// same float operations in the same order as formats/quant.h dequantizeRow, so their values are bit-exact
// with it (test_cpu_ops holds them to that); they exist only because they are several times faster.
#include "backend/cpu/weight_rows.h"
#include "formats/tensor_type.h"

namespace ponder::cpu {

// The fast decoder for `type`, or nullptr when the type has none (then dequantizeRow does the work).
ChunkDecoder fastBlockDecoder(TensorType type);

} // namespace ponder::cpu
