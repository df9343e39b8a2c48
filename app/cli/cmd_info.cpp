// ponder-cli info MODEL [--json]: what a model file holds, read the way the app reads it.
#include "cli_args.h"
#include "commands.h"
#include "model/model_file.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace ponder::cli {
namespace {

std::string formatFormat(ModelFormat format) { return format == ModelFormat::Gguf ? "gguf" : "huggingface"; }

std::string humanBytes(std::uint64_t bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.2f %s", value, units[unit]);
    return text;
}

std::string humanCount(std::int64_t count)
{
    char text[32];
    if (count >= 1'000'000'000)
        std::snprintf(text, sizeof text, "%.2f B", static_cast<double>(count) / 1e9);
    else
        std::snprintf(text, sizeof text, "%.2f M", static_cast<double>(count) / 1e6);
    return text;
}

nlohmann::ordered_json describe(const ModelFile& model)
{
    const ModelConfig& c = model.config();
    nlohmann::ordered_json j;
    j["path"] = model.path().string();
    j["format"] = formatFormat(model.format());
    j["name"] = model.modelName();
    j["architecture"] = c.architectureName();
    j["parameters"] = model.parameterCount();
    j["file_bytes"] = model.fileBytes();
    j["layers"] = c.layerCount;
    j["hidden_size"] = c.hiddenSize;
    j["heads"] = c.headCount;
    j["kv_heads"] = c.kvHeadCount;
    j["head_dim"] = c.headDim;
    j["ffn_size"] = c.ffnSize;
    j["vocab_size"] = c.vocabSize;
    j["context_length"] = c.contextLength;
    j["rope_theta"] = c.ropeTheta;
    if (!c.ropeScaling.type.empty())
        j["rope_scaling"] = {{"type", c.ropeScaling.type},
                             {"factor", c.ropeScaling.factor},
                             {"original_context_length", c.ropeScaling.originalContext}};
    j["rms_epsilon"] = c.rmsEpsilon;
    j["tied_embeddings"] = c.tiedEmbeddings;
    if (c.isMoe())
        j["experts"] = {{"count", c.expertCount},
                        {"per_token", c.expertsPerToken},
                        {"ffn_size", c.expertFfnSize},
                        {"norm_topk_prob", c.normTopkProb},
                        {"decoder_sparse_step", c.decoderSparseStep},
                        {"mlp_only_layers", c.mlpOnlyLayers}};
    nlohmann::ordered_json mix = nlohmann::ordered_json::object();
    for (const auto& [type, stats] : model.typeMix())
        mix[tensorTypeName(type)] = {{"tensors", stats.tensors}, {"elements", stats.elements}, {"bytes", stats.bytes}};
    j["tensor_types"] = mix;
    j["tokenizer"] = {{"type", "byte-level BPE"},
                      {"vocab_size", model.tokenizer().vocabSize()},
                      {"added_tokens", model.tokenizer().addedTokens().size()}};
    j["thinking"] = thinkingSupportName(model.thinking());
    j["chat_template"] = !model.chatTemplate().empty();
    return j;
}

void printText(const nlohmann::ordered_json& j)
{
    std::cout << j["path"].get<std::string>() << "\n"
              << "  format          " << j["format"].get<std::string>() << "\n"
              << "  name            " << j["name"].get<std::string>() << "\n"
              << "  architecture    " << j["architecture"].get<std::string>() << "\n"
              << "  parameters      " << humanCount(j["parameters"].get<std::int64_t>()) << "\n"
              << "  file size       " << humanBytes(j["file_bytes"].get<std::uint64_t>()) << "\n"
              << "  layers          " << j["layers"] << "\n"
              << "  hidden size     " << j["hidden_size"] << "\n"
              << "  heads           " << j["heads"] << " (KV " << j["kv_heads"] << ", head_dim " << j["head_dim"]
              << ")\n"
              << "  context length  " << j["context_length"] << "\n";
    if (j.contains("experts"))
        std::cout << "  experts         " << j["experts"]["count"] << " (" << j["experts"]["per_token"]
                  << " per token, ffn " << j["experts"]["ffn_size"] << ")\n";
    else
        std::cout << "  ffn size        " << j["ffn_size"] << "\n";
    std::cout << "  tensor types   ";
    for (const auto& [type, stats] : j["tensor_types"].items())
        std::cout << " " << type << " ×" << stats["tensors"];
    std::cout << "\n"
              << "  tokenizer       " << j["tokenizer"]["type"].get<std::string>() << ", "
              << j["tokenizer"]["vocab_size"] << " tokens\n"
              << "  thinking        " << j["thinking"].get<std::string>() << "\n";
}

} // namespace

int runInfo(const Args& args)
{
    const CliArgs cli(args, {}, {"json"});
    const auto model = ModelFile::open(cli.single("MODEL"));
    const auto description = describe(*model);
    if (cli.flag("json"))
        std::cout << description.dump(2) << "\n";
    else
        printText(description);
    return 0;
}

} // namespace ponder::cli
