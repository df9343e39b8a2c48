// ponder-cli tokenize / detokenize: the model's own tokenizer, as the engine uses it.
#include "cli_args.h"
#include "commands.h"
#include "core/error.h"
#include "model/model_file.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace ponder::cli {
namespace {

std::string readTextFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::int32_t> parseIds(const std::string& list)
{
    std::vector<std::int32_t> ids;
    std::stringstream stream(list);
    std::string item;
    while (std::getline(stream, item, ','))
        if (!item.empty())
            ids.push_back(static_cast<std::int32_t>(parseInteger(item, "--ids")));
    return ids;
}

} // namespace

int runTokenize(const Args& args)
{
    const CliArgs cli(args, {"text", "file"}, {"json"});
    const auto text = cli.value("text");
    const auto file = cli.value("file");
    if (text.has_value() == file.has_value())
        throw UsageError("give exactly one of --text or --file");
    const auto model = ModelFile::open(cli.single("MODEL"));
    const auto ids = model->tokenizer().encode(text ? *text : readTextFile(*file));
    if (cli.flag("json")) {
        std::cout << nlohmann::json{{"ids", ids}}.dump() << "\n";
    } else {
        for (std::size_t i = 0; i < ids.size(); ++i)
            std::cout << (i ? "," : "") << ids[i];
        std::cout << "\n";
    }
    return 0;
}

int runDetokenize(const Args& args)
{
    const CliArgs cli(args, {"ids"}, {});
    const auto ids = parseIds(cli.required("ids"));
    const auto model = ModelFile::open(cli.single("MODEL"));
    const auto vocab = static_cast<std::int64_t>(model->tokenizer().vocabSize());
    for (auto id : ids)
        if (id < 0 || id >= vocab)
            throw UsageError("--ids: token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                             std::to_string(vocab - 1) + ")");
    std::cout << model->tokenizer().decode(ids);
    return 0;
}

} // namespace ponder::cli
