#include "core/error.h"
#include "synth/synth.h"

#include <array>

namespace ponder {
namespace {

struct Preset {
    std::string_view name;
    ModelConfig config;
};

ModelConfig dense(std::int64_t hidden, std::int64_t ffn, std::int64_t layers, std::int64_t heads,
                  std::int64_t kvHeads, bool tied)
{
    ModelConfig c;
    c.architecture = Architecture::Qwen3Dense;
    c.hiddenSize = hidden;
    c.ffnSize = ffn;
    c.layerCount = layers;
    c.headCount = heads;
    c.kvHeadCount = kvHeads;
    c.headDim = 128;
    c.vocabSize = 151936;
    c.ropeTheta = 1e6;
    c.rmsEpsilon = 1e-6;
    c.contextLength = 40960;
    c.tiedEmbeddings = tied;
    return c;
}

ModelConfig moe(std::int64_t hidden, std::int64_t ffn, std::int64_t expertFfn, std::int64_t layers,
                std::int64_t heads, std::int64_t kvHeads)
{
    ModelConfig c = dense(hidden, ffn, layers, heads, kvHeads, false);
    c.architecture = Architecture::Qwen3Moe;
    c.expertCount = 128;
    c.expertsPerToken = 8;
    c.expertFfnSize = expertFfn;
    c.normTopkProb = true;
    return c;
}

// Tiny shapes for tests: hidden 64, 4 heads of 32 (so head_dim != hidden / heads, as in real Qwen3),
// 2 KV heads, the real vocabulary so the real tokenizer applies.
ModelConfig tiny(bool tied)
{
    ModelConfig c = dense(64, 128, 2, 4, 2, tied);
    c.headDim = 32;
    c.contextLength = 4096;
    return c;
}

ModelConfig tinyMoe()
{
    ModelConfig c = tiny(false);
    c.architecture = Architecture::Qwen3Moe;
    c.layerCount = 3;
    c.expertCount = 8;
    c.expertsPerToken = 2;
    c.expertFfnSize = 32;
    c.normTopkProb = true;
    return c;
}

std::array<Preset, 11> presets()
{
    ModelConfig untied = tiny(false);
    untied.layerCount = 3;
    return {{
        {"tiny-dense", tiny(true)},
        {"tiny-dense-untied", untied},
        {"tiny-moe", tinyMoe()},
        {"0.6b", dense(1024, 3072, 28, 16, 8, true)},
        {"1.7b", dense(2048, 6144, 28, 16, 8, true)},
        {"4b", dense(2560, 9728, 36, 32, 8, true)},
        {"8b", dense(4096, 12288, 36, 32, 8, false)},
        {"14b", dense(5120, 17408, 40, 40, 8, false)},
        {"32b", dense(5120, 25600, 64, 64, 8, false)},
        {"30b-a3b", moe(2048, 6144, 768, 48, 32, 4)},
        {"235b-a22b", moe(4096, 12288, 1536, 94, 64, 4)},
    }};
}

} // namespace

std::vector<std::string> synthPresetNames()
{
    std::vector<std::string> names;
    for (const auto& p : presets())
        names.emplace_back(p.name);
    names.emplace_back(kScriptedPreset);
    return names;
}

ModelConfig synthPresetConfig(std::string_view preset)
{
    for (const auto& p : presets())
        if (p.name == preset)
            return p.config;
    if (preset == kScriptedPreset)
        throw Error("the scripted preset's shape follows its script: write it with writeSyntheticModel");
    std::string known;
    for (const auto& name : synthPresetNames())
        known += (known.empty() ? "" : ", ") + name;
    throw Error("unknown preset '" + std::string(preset) + "' (known: " + known + ")");
}

} // namespace ponder
