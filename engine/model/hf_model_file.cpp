// A Hugging Face model folder: config.json, safetensors weights, tokenizer.json, the chat template from
// tokenizer_config.json (or chat_template.jinja) and generation_config.json.
#include "core/error.h"
#include "model/generation_defaults.h"
#include "model/model_file_formats.h"

#include <fstream>
#include <sstream>

namespace ponder::detail {
namespace {

// tokenizer_config.json's chat_template is either the template text or, for models with several, a list of
// {"name", "template"} from which transformers uses the one named "default".
std::string templateFromTokenizerConfig(const nlohmann::json& value, const std::string& source)
{
    if (value.is_string())
        return value.get<std::string>();
    if (!value.is_array())
        throw Error(source + ": chat_template must be a string or a list of {name, template}, not a " +
                    std::string(value.type_name()));
    for (const auto& entry : value) {
        if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
            !entry.contains("template") || !entry["template"].is_string())
            throw Error(source + ": chat_template list entries must be {\"name\": string, \"template\": string}");
        if (entry["name"] == "default")
            return entry["template"].get<std::string>();
    }
    throw Error(source + ": chat_template lists no template named \"default\"");
}

std::string readChatTemplate(const HfFolder& folder)
{
    const auto& tokenizerConfig = folder.tokenizerConfig();
    if (tokenizerConfig && tokenizerConfig->is_object() && tokenizerConfig->contains("chat_template") &&
        !(*tokenizerConfig)["chat_template"].is_null())
        return templateFromTokenizerConfig((*tokenizerConfig)["chat_template"],
                                           (folder.path() / "tokenizer_config.json").string());
    // Newer transformers save the template as its own file instead.
    const auto jinja = folder.path() / "chat_template.jinja";
    if (!std::filesystem::exists(jinja))
        return {};
    std::ifstream in(jinja, std::ios::binary);
    if (!in)
        throw Error(jinja.string() + ": cannot read the chat template");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string folderName(const std::filesystem::path& folder)
{
    // "models/Qwen3-8B/" has an empty filename(); its name is the last real component.
    auto normal = folder.lexically_normal();
    if (normal.filename().empty())
        normal = normal.parent_path();
    return normal.filename().string();
}

} // namespace

HfModelFile::HfModelFile(const std::filesystem::path& folder)
{
    format_ = ModelFormat::HuggingFace;
    path_ = folder;
    const std::string source = folder.string();
    folder_ = HfFolder::open(folder);

    config_ = configFromHfConfig(folder_->config(), (folder / "config.json").string());
    weights_ = bindHfWeights(config_, [this](std::string_view name) { return folder_->tensor(name); }, source);

    if (!std::filesystem::exists(folder_->tokenizerJsonPath()))
        throw Error(source + ": missing tokenizer.json");
    tokenizer_ = Tokenizer::fromTokenizerJson(folder_->tokenizerJsonPath());
    checkTokenizerFits(*tokenizer_, config_, source);

    chatTemplate_ = readChatTemplate(*folder_);
    thinking_ = thinkingOf(chatTemplate_);
    name_ = folderName(folder);

    generation_ = generationDefaultsFromHf(folder_->generationConfig(), (folder / "generation_config.json").string(),
                                           folder_->config(), (folder / "config.json").string());
    completeStopIds(generation_, *tokenizer_, config_.vocabSize, source);
    fileBytes_ = folder_->weightFileBytes();
}

} // namespace ponder::detail
