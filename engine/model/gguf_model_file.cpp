// A .gguf model: config, weights, tokenizer (tokenizer.ggml.*), chat template and stop ids from one file.
#include "core/error.h"
#include "model/generation_defaults.h"
#include "model/model_file_formats.h"

namespace ponder::detail {

GgufModelFile::GgufModelFile(const std::filesystem::path& path)
{
    format_ = ModelFormat::Gguf;
    path_ = path;
    const std::string source = path.string();
    gguf_ = GgufFile::open(path);

    config_ = configFromGguf(*gguf_, source);
    weights_ = bindGgufWeights(config_, [this](std::string_view name) { return gguf_->tensor(name); }, source);
    tokenizer_ = Tokenizer::fromGguf(*gguf_);
    checkTokenizerFits(*tokenizer_, config_, source);

    if (const GgufValue* value = gguf_->find("tokenizer.chat_template")) {
        const std::string* text = value->asString();
        if (!text)
            throw Error(source + ": tokenizer.chat_template has type " + std::string(ggufTypeName(value->type)) +
                        ", expected a string");
        chatTemplate_ = *text;
    }
    thinking_ = thinkingOf(chatTemplate_);

    const GgufValue* name = gguf_->find("general.name");
    name_ = name && name->asString() && !name->asString()->empty() ? *name->asString() : path.stem().string();

    generation_ = generationDefaultsFromGguf(*gguf_, source);
    completeStopIds(generation_, *tokenizer_, config_.vocabSize, source);
    fileBytes_ = gguf_->fileSize();
}

} // namespace ponder::detail
