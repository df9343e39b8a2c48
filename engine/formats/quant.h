#pragma once
// CPU (de)quantisation of one row of weights. Dequantisation is bit-exact with ggml's reference definitions
// (ggml-quants.c, dequantize_row_*); quantisation follows ggml's reference quantisers closely enough that a
// requantised row stays within each format's expected error (it is only used to write synthetic models).
#include "formats/tensor_type.h"

#include <cstdint>

namespace ponder {

// Dequantise `count` values (a multiple of the type's block size) from `src` into `dst`.
void dequantizeRow(TensorType type, const std::uint8_t* src, float* dst, std::int64_t count);

// Quantise `count` values (a multiple of the block size) into `dst`, which holds rowBytes(type, count) bytes.
void quantizeRow(TensorType type, const float* src, std::uint8_t* dst, std::int64_t count);

} // namespace ponder
