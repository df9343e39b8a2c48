// ponder-cli prompt MODEL --conversation F.json: the exact prompt text and ids the engine would feed.
#include "chat/chat_format.h"
#include "cli_args.h"
#include "commands.h"
#include "core/error.h"
#include "model/model_file.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

namespace ponder::cli {

int runPrompt(const Args& args)
{
    const CliArgs cli(args, {"conversation"}, {"no-think", "json"});
    const std::string path = cli.required("conversation");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open");
    nlohmann::ordered_json conversation;
    try {
        conversation = nlohmann::ordered_json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": invalid JSON: " + e.what());
    }
    ChatRequest request = chatRequestFromJson(conversation, path);
    if (cli.flag("no-think"))
        request.enableThinking = false;

    const auto model = ModelFile::open(cli.single("MODEL"));
    const std::string text = formatChat(request, model->thinking());
    if (cli.flag("json"))
        std::cout << nlohmann::ordered_json{{"text", text}, {"ids", model->tokenizer().encode(text)}}.dump() << "\n";
    else
        std::cout << text;
    return 0;
}

} // namespace ponder::cli
