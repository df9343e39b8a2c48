// ModelFile::open: decides the format from what is at the path (a folder with config.json, or a file starting
// with the GGUF magic), never from the file name.
#include "model/model_file.h"

#include "core/error.h"
#include "model/model_file_formats.h"

#include <cstring>
#include <fstream>
#include <system_error>

namespace ponder {
namespace {

bool startsWithGgufMagic(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, sizeof magic);
    return in.gcount() == static_cast<std::streamsize>(sizeof magic) && std::memcmp(magic, "GGUF", 4) == 0;
}

} // namespace

std::unique_ptr<ModelFile> ModelFile::open(const std::filesystem::path& path)
{
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status))
        throw Error(path.string() + ": no such file or folder");
    if (std::filesystem::is_directory(status) && std::filesystem::exists(path / "config.json", error))
        return std::make_unique<detail::HfModelFile>(path);
    if (std::filesystem::is_regular_file(status) && startsWithGgufMagic(path))
        return std::make_unique<detail::GgufModelFile>(path);
    throw Error(path.string() + ": not a GGUF file or a Hugging Face model folder");
}

std::int64_t ModelFile::parameterCount() const
{
    std::int64_t count = 0;
    for (const auto& tensor : tensors())
        count += tensor.elements();
    return count;
}

std::map<TensorType, TensorTypeStats> ModelFile::typeMix() const
{
    std::map<TensorType, TensorTypeStats> mix;
    for (const auto& tensor : tensors()) {
        auto& stats = mix[tensor.type];
        stats.tensors += 1;
        stats.bytes += tensor.data.size();
        stats.elements += tensor.elements();
    }
    return mix;
}

namespace detail {

void checkTokenizerFits(const Tokenizer& tokenizer, const ModelConfig& config, const std::string& source)
{
    if (static_cast<std::int64_t>(tokenizer.vocabSize()) > config.vocabSize)
        throw Error(source + ": the tokenizer has " + std::to_string(tokenizer.vocabSize()) +
                    " tokens but the model's embedding has only " + std::to_string(config.vocabSize) + " rows");
}

ThinkingSupport thinkingOf(const std::string& chatTemplate)
{
    return chatTemplate.empty() ? ThinkingSupport::None : classifyThinking(chatTemplate);
}

} // namespace detail
} // namespace ponder
