#pragma once
// The Vulkan backend's operations: each records its dispatches (shaders/) into the context's recorder.
// Semantics are the Backend interface's (backend/backend.h).
#include "backend/backend.h"
#include "backend/vulkan/vulkan_storage.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ponder::vk {

// Throws ponder::Error "<op>: <message>" unless `condition` holds (the operations' argument checks).
void require(bool condition, const char* op, const std::string& message);

// matrix_ops.cpp: everything that reads weight matrices, one shader variant per weight type.
void embed(Context& ctx, const TensorView& embedding, std::span<const std::int32_t> ids, Activation& out);
void matmul(Context& ctx, const Activation& x, const TensorView& weight, Activation& out);
void moeExperts(Context& ctx, const Activation& x, std::span<const ExpertWeights> experts,
                const ExpertRouting& routing, Activation& out);

// layer_ops.cpp
void rmsNorm(Context& ctx, const Activation& x, const TensorView& weight, float eps, Activation& out);
void qkNormRopeStore(Context& ctx, Activation& q, const Activation& k, const Activation& v, const TensorView& qNorm,
                     const TensorView& kNorm, float eps, std::int64_t headDim, const RopeParameters& rope,
                     KvCache& cache, std::int64_t layer, std::int64_t firstPosition);
void swiglu(Context& ctx, const Activation& gate, const Activation& up, Activation& out);
void addInPlace(Context& ctx, Activation& x, const Activation& y);
void moeRoute(Context& ctx, const Activation& routerLogits, bool normalize, ExpertRouting& routing);
void readRow(Context& ctx, const Activation& x, std::int64_t row, std::span<float> out);

// top_k_ops.cpp
std::vector<TokenCandidate> topLogits(Context& ctx, const Activation& x, std::int64_t row, std::int64_t count);

// attention_ops.cpp
void attention(Context& ctx, const Activation& q, const KvCache& cache, std::int64_t layer,
               std::int64_t firstPosition, std::int64_t headDim, Activation& out);

} // namespace ponder::vk
