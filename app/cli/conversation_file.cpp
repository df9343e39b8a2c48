#include "conversation_file.h"

#include "core/error.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace ponder::cli {

ChatRequest readConversation(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open");
    nlohmann::ordered_json conversation;
    try {
        conversation = nlohmann::ordered_json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": invalid JSON: " + e.what());
    }
    return chatRequestFromJson(conversation, path);
}

} // namespace ponder::cli
