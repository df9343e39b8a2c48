#include "synth/tokenizer_metadata.h"

#include "core/error.h"
#include "gguf/gguf.h"
#include "safetensors/hf_folder.h"

#include <string>
#include <vector>

namespace ponder::synth {
namespace {

// llama.cpp's token types.
constexpr std::int32_t kNormal = 1, kControl = 3, kUserDefined = 4, kUnused = 5;

std::string mergeText(const nlohmann::json& merge, const std::string& source)
{
    if (merge.is_string())
        return merge.get<std::string>();
    if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string())
        return merge[0].get<std::string>() + " " + merge[1].get<std::string>();
    throw Error(source + ": a merge is neither \"a b\" nor [\"a\", \"b\"]");
}

} // namespace

void writeTokenizerArrays(GgufWriter& writer, const nlohmann::json& tokenizerJson, std::int64_t vocabSize,
                          const std::string& source)
{
    try {
        std::vector<std::string> tokens(static_cast<std::size_t>(vocabSize));
        std::vector<std::int32_t> types(static_cast<std::size_t>(vocabSize), kUnused);
        auto place = [&](std::int64_t id, const std::string& text, std::int32_t type) {
            if (id < 0 || id >= vocabSize)
                throw Error(source + ": token id " + std::to_string(id) + " does not fit a vocabulary of " +
                            std::to_string(vocabSize));
            tokens[static_cast<std::size_t>(id)] = text;
            types[static_cast<std::size_t>(id)] = type;
        };
        for (const auto& [text, id] : tokenizerJson.at("model").at("vocab").items())
            place(id.get<std::int64_t>(), text, kNormal);
        for (const auto& added : tokenizerJson.at("added_tokens"))
            place(added.at("id").get<std::int64_t>(), added.at("content").get<std::string>(),
                  added.value("special", false) ? kControl : kUserDefined);
        for (std::size_t id = 0; id < tokens.size(); ++id)
            if (types[id] == kUnused)
                tokens[id] = "[PAD" + std::to_string(id) + "]";

        std::vector<std::string> merges;
        for (const auto& merge : tokenizerJson.at("model").at("merges"))
            merges.push_back(mergeText(merge, source));

        writer.set("tokenizer.ggml.model", GgufValue::ofString("gpt2"));
        writer.set("tokenizer.ggml.pre", GgufValue::ofString("qwen2"));
        writer.set("tokenizer.ggml.tokens", GgufValue::ofStringArray(std::move(tokens)));
        writer.set("tokenizer.ggml.token_type", GgufValue::ofI32Array(types));
        writer.set("tokenizer.ggml.merges", GgufValue::ofStringArray(std::move(merges)));
    } catch (const nlohmann::json::exception& e) {
        throw Error(source + ": unexpected tokenizer layout: " + e.what());
    }
}

void writeTokenizerMetadata(GgufWriter& writer, const std::filesystem::path& tokenizerDir, std::int64_t vocabSize)
{
    const auto tokenizerPath = tokenizerDir / "tokenizer.json";
    const auto configPath = tokenizerDir / "tokenizer_config.json";
    writeTokenizerArrays(writer, readJsonFile(tokenizerPath), vocabSize, tokenizerPath.string());
    const nlohmann::json config = readJsonFile(configPath);
    if (!config.contains("chat_template") || !config["chat_template"].is_string())
        throw Error(configPath.string() + ": no chat_template string");
    writer.set("tokenizer.chat_template", GgufValue::ofString(config["chat_template"].get<std::string>()));
    // Qwen3's special ids: <|im_end|> ends a turn, <|endoftext|> pads; no BOS is added.
    writer.set("tokenizer.ggml.eos_token_id", GgufValue::ofU32(151645));
    writer.set("tokenizer.ggml.padding_token_id", GgufValue::ofU32(151643));
    writer.set("tokenizer.ggml.bos_token_id", GgufValue::ofU32(151643));
    writer.set("tokenizer.ggml.add_bos_token", GgufValue::ofBool(false));
}

} // namespace ponder::synth
