// ponder-cli prompt MODEL --conversation F.json: the exact prompt text and ids the engine would feed.
#include "chat/chat_format.h"
#include "cli_args.h"
#include "commands.h"
#include "conversation_file.h"
#include "model/model_file.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace ponder::cli {

int runPrompt(const Args& args)
{
    const CliArgs cli(args, {"conversation"}, {"no-think", "json"});
    ChatRequest request = readConversation(cli.required("conversation"));
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
