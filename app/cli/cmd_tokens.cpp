// ponder-cli tokenize / detokenize: the model's own tokenizer, as the engine uses it.
#include "cli_args.h"
#include "commands.h"
#include "id_list.h"
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
    const std::string list = cli.required("ids");
    const auto model = ModelFile::open(cli.single("MODEL"));
    const auto ids = parseIdList(list, "--ids", static_cast<std::int64_t>(model->tokenizer().vocabSize()));
    std::cout << model->tokenizer().decode(ids);
    return 0;
}

} // namespace ponder::cli
