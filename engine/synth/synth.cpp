#include "synth/synth.h"

#include "core/error.h"
#include "gguf/gguf.h"
#include "safetensors/safetensors.h"
#include "synth/scripted_weights.h"
#include "synth/tensor_bytes.h"
#include "synth/tensor_plan.h"
#include "synth/tokenizer_metadata.h"
#include "synth/type_mix.h"
#include "tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <system_error>

namespace ponder {
namespace {

using synth::PlannedTensor;

// What a synthetic model holds: its shape, and how its rows are drawn.
struct SynthModel {
    ModelConfig config;
    synth::RowFiller fill;
};

SynthModel planModel(const SynthOptions& options)
{
    SynthModel model;
    const std::uint64_t seed = options.seed;
    if (options.preset == kScriptedPreset) {
        const auto tokenizer = Tokenizer::fromTokenizerJson(options.tokenizerDir / "tokenizer.json");
        const synth::ScriptTable table = synth::buildScriptTable(options.script.reasoning, options.script.answer,
                                                                 *tokenizer);
        model.config = synth::scriptedConfig(table);
        auto scripted = std::make_shared<const synth::ScriptedWeights>(table);
        model.fill = [scripted, seed](const PlannedTensor& t, std::int64_t matrix, std::int64_t first, std::int64_t rows,
                                      float* out) {
            if (!scripted->fillRows(t, first, rows, out))
                synth::fillRows(t, seed, matrix, first, rows, out);
        };
    } else {
        model.config = synthPresetConfig(options.preset);
        model.fill = [seed](const PlannedTensor& t, std::int64_t matrix, std::int64_t first, std::int64_t rows,
                            float* out) { synth::fillRows(t, seed, matrix, first, rows, out); };
    }
    if (options.layers) {
        if (*options.layers < 1 || *options.layers > model.config.layerCount)
            throw Error("--layers must be between 1 and " + std::to_string(model.config.layerCount) + " for preset " +
                        options.preset);
        model.config.layerCount = *options.layers;
    }
    return model;
}

void setModelMetadata(GgufWriter& writer, const ModelConfig& c, const SynthOptions& options)
{
    const std::string arch = c.architectureName();
    const auto key = [&](const char* name) { return arch + "." + name; };
    const auto u32 = [](std::int64_t v) { return GgufValue::ofU32(static_cast<std::uint32_t>(v)); };
    writer.set("general.architecture", GgufValue::ofString(arch));
    writer.set("general.name", GgufValue::ofString("Ponder synthetic " + options.preset));
    writer.set("general.file_type", GgufValue::ofU32(synth::ggufFileTypeId(options.type)));
    writer.set("general.quantization_version", GgufValue::ofU32(2));
    writer.set(key("block_count"), u32(c.layerCount));
    writer.set(key("context_length"), u32(c.contextLength));
    writer.set(key("embedding_length"), u32(c.hiddenSize));
    writer.set(key("feed_forward_length"), u32(c.ffnSize));
    writer.set(key("attention.head_count"), u32(c.headCount));
    writer.set(key("attention.head_count_kv"), u32(c.kvHeadCount));
    writer.set(key("attention.key_length"), u32(c.headDim));
    writer.set(key("attention.value_length"), u32(c.headDim));
    writer.set(key("attention.layer_norm_rms_epsilon"), GgufValue::ofF32(static_cast<float>(c.rmsEpsilon)));
    writer.set(key("rope.freq_base"), GgufValue::ofF32(static_cast<float>(c.ropeTheta)));
    if (c.isMoe()) {
        writer.set(key("expert_count"), u32(c.expertCount));
        writer.set(key("expert_used_count"), u32(c.expertsPerToken));
        writer.set(key("expert_feed_forward_length"), u32(c.expertFfnSize));
    }
}

void writeGguf(const SynthOptions& options, const SynthModel& model)
{
    const ModelConfig& config = model.config;
    GgufWriter writer;
    setModelMetadata(writer, config, options);
    synth::writeTokenizerMetadata(writer, options.tokenizerDir, config.vocabSize);
    for (const PlannedTensor& tensor : synth::planTensors(config)) {
        const TensorType type = synth::chooseType(tensor, options.type, config);
        writer.addTensor(tensor.ggufName, type, tensor.dims, [tensor, type, fill = model.fill] {
            return synth::encodeMatrices(tensor, type, fill, 0, tensor.matrices());
        });
    }
    writer.write(options.out);
}

nlohmann::ordered_json hfConfigJson(const ModelConfig& c, const SynthOptions& options)
{
    nlohmann::ordered_json j;
    j["architectures"] = {c.isMoe() ? "Qwen3MoeForCausalLM" : "Qwen3ForCausalLM"};
    j["model_type"] = c.isMoe() ? "qwen3_moe" : "qwen3";
    j["hidden_size"] = c.hiddenSize;
    j["intermediate_size"] = c.ffnSize;
    j["num_hidden_layers"] = c.layerCount;
    j["num_attention_heads"] = c.headCount;
    j["num_key_value_heads"] = c.kvHeadCount;
    j["head_dim"] = c.headDim;
    j["vocab_size"] = c.vocabSize;
    j["max_position_embeddings"] = c.contextLength;
    j["rms_norm_eps"] = c.rmsEpsilon;
    j["rope_theta"] = c.ropeTheta;
    j["rope_scaling"] = nullptr;
    j["tie_word_embeddings"] = c.tiedEmbeddings;
    j["hidden_act"] = "silu";
    j["attention_bias"] = false;
    j["bos_token_id"] = 151643;
    j["eos_token_id"] = 151645;
    j["torch_dtype"] = options.type == "f32" ? "float32" : options.type == "f16" ? "float16" : "bfloat16";
    if (c.isMoe()) {
        j["num_experts"] = c.expertCount;
        j["num_experts_per_tok"] = c.expertsPerToken;
        j["moe_intermediate_size"] = c.expertFfnSize;
        j["norm_topk_prob"] = c.normTopkProb;
        j["decoder_sparse_step"] = c.decoderSparseStep;
        j["mlp_only_layers"] = c.mlpOnlyLayers;
    }
    return j;
}

// Qwen3's published generation_config.json values.
nlohmann::ordered_json hfGenerationConfigJson()
{
    return {{"bos_token_id", 151643}, {"do_sample", true}, {"eos_token_id", {151645, 151643}},
            {"pad_token_id", 151643}, {"temperature", 0.6}, {"top_k", 20}, {"top_p", 0.95}};
}

void writeJson(const std::filesystem::path& path, const nlohmann::ordered_json& json)
{
    std::ofstream out(path, std::ios::trunc);
    out << json.dump(2) << "\n";
    if (!out.flush())
        throw Error(path.string() + ": cannot write");
}

void copyFile(const std::filesystem::path& from, const std::filesystem::path& to)
{
    std::error_code ec;
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec)
        throw Error(to.string() + ": cannot copy " + from.string() + ": " + ec.message());
}

void writeHf(const SynthOptions& options, const SynthModel& model)
{
    const ModelConfig& config = model.config;
    const TensorType type = *parseTensorType(options.type);
    if (type != TensorType::F32 && type != TensorType::F16 && type != TensorType::BF16)
        throw Error("Hugging Face folders hold f32, f16 or bf16 weights, not " + options.type);
    const auto& dir = options.out;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error(dir.string() + ": cannot create folder: " + ec.message());

    // Shards of at most ~2 GiB, as Hugging Face writes them.
    constexpr std::uint64_t kShardBytes = 2ull << 30;
    std::vector<SafetensorsWriter> shards(1);
    std::vector<std::pair<std::string, std::size_t>> weightMap;
    const auto add = [&](const std::string& name, std::vector<std::int64_t> dims, SafetensorsWriter::Producer produce,
                         std::uint64_t bytes) {
        if (shards.back().dataBytes() > 0 && shards.back().dataBytes() + bytes > kShardBytes)
            shards.emplace_back();
        shards.back().add(name, type, std::move(dims), std::move(produce));
        weightMap.emplace_back(name, shards.size() - 1);
    };
    const std::uint64_t elementBytes = tensorTypeInfo(type).blockBytes;
    for (const PlannedTensor& tensor : synth::planTensors(config)) {
        const std::uint64_t matrixBytes = static_cast<std::uint64_t>(tensor.rowLength() * tensor.rowsPerMatrix()) * elementBytes;
        if (tensor.role == synth::WeightRole::Experts) {
            for (std::int64_t e = 0; e < tensor.matrices(); ++e)
                add(tensor.hfExpertNames[static_cast<std::size_t>(e)], {tensor.dims[0], tensor.dims[1]},
                    [tensor, type, e, fill = model.fill] { return synth::encodeMatrices(tensor, type, fill, e, 1); },
                    matrixBytes);
        } else {
            add(tensor.hfName, tensor.dims,
                [tensor, type, fill = model.fill] { return synth::encodeMatrices(tensor, type, fill, 0, 1); },
                matrixBytes);
        }
    }

    if (shards.size() == 1) {
        shards[0].setMetadata("format", "pt");
        shards[0].write(dir / "model.safetensors");
    } else {
        nlohmann::ordered_json index;
        std::uint64_t total = 0;
        std::vector<std::string> names;
        for (std::size_t s = 0; s < shards.size(); ++s) {
            char name[64];
            std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", s + 1, shards.size());
            names.emplace_back(name);
            total += shards[s].dataBytes();
            shards[s].setMetadata("format", "pt");
            shards[s].write(dir / name);
        }
        index["metadata"] = {{"total_size", total}};
        for (const auto& [tensorName, shard] : weightMap)
            index["weight_map"][tensorName] = names[shard];
        writeJson(dir / "model.safetensors.index.json", index);
    }
    writeJson(dir / "config.json", hfConfigJson(config, options));
    writeJson(dir / "generation_config.json", hfGenerationConfigJson());
    copyFile(options.tokenizerDir / "tokenizer.json", dir / "tokenizer.json");
    copyFile(options.tokenizerDir / "tokenizer_config.json", dir / "tokenizer_config.json");
}

} // namespace

void writeSyntheticModel(const SynthOptions& options)
{
    synth::checkFileType(options.type);
    if (options.out.empty())
        throw Error("no output path given");
    const SynthModel model = planModel(options);
    if (options.format == SynthFormat::Gguf)
        writeGguf(options, model);
    else
        writeHf(options, model);
}

} // namespace ponder
