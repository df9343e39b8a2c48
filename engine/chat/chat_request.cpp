// chatRequestFromJson: the OpenAI-style request ponder-cli and the app pass around,
//   {"messages": [{"role": ..., "content": ..., "reasoning_content": ..., "tool_calls": [...]}, ...],
//    "tools": [...], "enable_thinking": bool, "add_generation_prompt": bool}
// checked up front so formatChat never meets a shape the Qwen3 template would choke on. Other message keys
// (name, tool_call_id, ...) are ignored, as the template ignores them.
#include "chat/chat_format.h"

#include "chat/tool_calls.h"
#include "core/error.h"

namespace ponder {
namespace {

using Json = nlohmann::ordered_json;

std::optional<bool> optionalBool(const Json& json, const char* key, const std::string& source)
{
    const auto it = json.find(key);
    if (it == json.end() || it->is_null())
        return std::nullopt;
    if (!it->is_boolean())
        throw Error(source + ": \"" + key + "\" must be true or false, not " + it->type_name());
    return it->get<bool>();
}

// Content is a string. An assistant message may leave it null or out (the OpenAI shape for a turn that only
// calls tools); that renders as "", as in the Qwen3-2507 templates. For other roles the original template would
// fail on it, and there is no right text to invent, so it is an error.
std::string messageContent(const Json& message, const std::string& role, const std::string& where)
{
    const auto it = message.find("content");
    if (it != message.end() && it->is_string())
        return it->get<std::string>();
    if (it != message.end() && !it->is_null())
        throw Error(where + ": content must be a string or null, not " + it->type_name());
    if (role != "assistant")
        throw Error(where + ": content is " + (it == message.end() ? "missing" : "null") +
                    "; only assistant messages may leave it out");
    return {};
}

ChatMessage messageFromJson(const Json& json, const std::string& where)
{
    if (!json.is_object())
        throw Error(where + " must be an object, not " + json.type_name());
    const auto role = json.find("role");
    if (role == json.end())
        throw Error(where + " has no \"role\"");
    if (!role->is_string())
        throw Error(where + ": role must be a string, not " + role->type_name());
    ChatMessage message;
    message.role = role->get<std::string>();
    if (message.role != "system" && message.role != "user" && message.role != "assistant" &&
        message.role != "tool")
        throw Error(where + " has unknown role '" + message.role + "' (expected system, user, assistant or tool)");
    const std::string label = where + " (" + message.role + ")";
    message.content = messageContent(json, message.role, label);

    if (const auto it = json.find("reasoning_content"); it != json.end() && !it->is_null()) {
        if (!it->is_string())
            throw Error(label + ": reasoning_content must be a string or null, not " + it->type_name());
        message.reasoningContent = it->get<std::string>();
    }
    if (const auto it = json.find("tool_calls"); it != json.end() && !it->is_null()) {
        validateToolCalls(*it, label);
        message.toolCalls = *it;
    }
    return message;
}

} // namespace

ChatRequest chatRequestFromJson(const nlohmann::ordered_json& json, const std::string& source)
{
    if (!json.is_object())
        throw Error(source + ": a chat request must be a JSON object, not " + json.type_name());
    const auto messages = json.find("messages");
    if (messages == json.end())
        throw Error(source + ": \"messages\" is missing");
    if (!messages->is_array())
        throw Error(source + ": \"messages\" must be an array, not " + messages->type_name());
    if (messages->empty())
        throw Error(source + ": \"messages\" is empty");

    ChatRequest request;
    for (std::size_t i = 0; i < messages->size(); ++i)
        request.messages.push_back(messageFromJson((*messages)[i], source + ": messages[" + std::to_string(i) + "]"));

    if (const auto tools = json.find("tools"); tools != json.end() && !tools->is_null()) {
        if (!tools->is_array())
            throw Error(source + ": \"tools\" must be an array, not " + tools->type_name());
        request.tools = *tools;
    }
    request.enableThinking = optionalBool(json, "enable_thinking", source);
    request.addGenerationPrompt = optionalBool(json, "add_generation_prompt", source).value_or(true);
    return request;
}

} // namespace ponder
