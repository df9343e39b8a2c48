#pragma once
// Helpers shared by the engine/model tests: catching an Error's message, GGUF files parsed from memory,
// comparing configs and walking bound weights role by role.
#include "core/error.h"
#include "gguf/gguf.h"
#include "model/model_config.h"
#include "model/model_weights.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ponder::test {

// A GGUF parsed from memory, owning the bytes its views point into.
struct OwnedGguf {
    std::vector<std::uint8_t> bytes;
    std::unique_ptr<GgufFile> file;
    const GgufFile& operator*() const { return *file; }
    const GgufFile* operator->() const { return file.get(); }
};
OwnedGguf parseGguf(const GgufWriter& writer, const std::string& source);

// The message of the ponder::Error `run` throws, or "" when it throws none (a QString, so QCOMPARE shows it).
template <typename F>
QString errorOf(F&& run)
{
    try {
        run();
    } catch (const ponder::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// Empty when equal, else the first differing field's name. Floats compare relatively (GGUF stores f32).
QString configDifference(const ModelConfig& a, const ModelConfig& b, bool compareVocab = true);

// Every weight in schedule order with a label ("layer1.expert2.up"), for role-by-role comparisons.
std::vector<std::pair<std::string, const TensorView*>> weightsByRole(const ModelWeights& weights);

// The smallest configs each reader accepts: config.json with only the required fields, and the GGUF keys
// llama.cpp cannot do without (dense qwen3), for tests that add or break one field.
nlohmann::json minimalDenseJson();
std::vector<std::pair<std::string, GgufValue>> minimalDenseKeys();
// A GGUF holding general.architecture, `keys` and a {hidden, vocab} F32 token_embd.weight.
OwnedGguf ggufWith(const std::string& arch, const std::vector<std::pair<std::string, GgufValue>>& keys,
                   std::int64_t hidden = 64, std::int64_t vocab = 16);

} // namespace ponder::test
