#pragma once
// Shared by the forward-pass tests: synthetic models opened with the CPU backend, logits of every position,
// greedy decoding through the KV cache, and the error measure the tests bound.
#include "backend/backend.h"
#include "inference/qwen3_forward.h"
#include "model/model_file.h"
#include "synth/synth.h"

#include <QTemporaryDir>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ponder::test {

// A model file, a CPU backend and a forward pass over them (members in construction order).
struct LoadedModel {
    std::unique_ptr<ModelFile> file;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<Qwen3Forward> forward;
};

// Writes preset/format/type (seed 1) into `dir` under a name that tells them apart; returns its path.
std::filesystem::path writeModel(const QTemporaryDir& dir, const std::string& preset, SynthFormat format,
                                 const std::string& type = "f32", std::optional<std::int64_t> layers = {});
LoadedModel loadModel(const std::filesystem::path& path, std::int64_t maxChunk = 64);
// Adds another forward pass (another chunk size) over the same file and backend.
std::unique_ptr<Qwen3Forward> extraForward(LoadedModel& model, std::int64_t maxChunk);

// Logits of every position of `ids` from one run (LogitsWanted::AllRows), one vector per position.
std::vector<std::vector<float>> allLogits(Qwen3Forward& forward, std::span<const std::int32_t> ids);
// Prefill `prompt`, then `count` greedy tokens decoded one at a time through the KV cache.
std::vector<std::int32_t> greedyTokens(Qwen3Forward& forward, std::span<const std::int32_t> prompt, int count);

std::int32_t argmax(std::span<const float> logits); // the lowest id among equal maxima
// max |a - b| / max |reference| over the vector: the error relative to the logits' own scale.
double relativeError(std::span<const float> a, std::span<const float> reference);

// What tests/tools/qwen3_reference.py (float64 NumPy) computes for a model file.
struct Reference {
    std::vector<std::vector<float>> logits; // every prompt position
    std::vector<std::int32_t> greedy;        // greedy tokens after the prompt
    double minGap = 0;                       // smallest best-vs-second logit gap over the greedy steps
};
// Runs the reference on `model`; throws std::runtime_error with its stderr when it fails.
Reference runReference(const std::filesystem::path& model, const std::vector<std::int32_t>& ids, int greedyTokens);

// A prompt of `count` (≤ 24) ids: chat-template specials, ordinary words and a few ids from the far end
// of the vocabulary.
std::vector<std::int32_t> promptIds(std::size_t count);

} // namespace ponder::test
