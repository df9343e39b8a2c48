// formatChat: the Qwen3 chat template (tokenizer_config.json "chat_template") written out in C++, statement
// by statement, so prompts are byte-identical to transformers' apply_chat_template without a Jinja engine.
// The variants follow the Qwen3-2507 templates (tests/chat/templates/ says where those come from):
//   Hybrid        the original Qwen3 template; enable_thinking=false writes an empty think block.
//   ThinkingOnly  Qwen3-2507 Thinking: same history rules, the generation prompt opens "<think>\n" itself.
//   None          Qwen3-2507 Instruct: no reasoning handling at all; assistant content is written verbatim.
// Message content is always a string here; chatRequestFromJson turns a null/absent assistant content into "",
// which is what the 2507 templates do (the original one would fail on it).
#include "chat/chat_format.h"

#include "chat/python_str.h"
#include "chat/tool_calls.h"
#include "core/error.h"

#include <string>
#include <string_view>

namespace ponder {
namespace {

constexpr std::string_view kToolsIntro =
    "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
constexpr std::string_view kToolsOutro =
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
    "<args-json-object>}\n</tool_call><|im_end|>\n";

std::string messageLabel(std::size_t index, const ChatMessage& message)
{
    return "chat message " + std::to_string(index) + " (" + message.role + ")";
}

void checkRoles(const ChatRequest& request)
{
    if (request.messages.empty())
        throw Error("chat: there are no messages to format");
    for (std::size_t i = 0; i < request.messages.size(); ++i) {
        const auto& role = request.messages[i].role;
        if (role != "system" && role != "user" && role != "assistant" && role != "tool")
            throw Error("chat message " + std::to_string(i) + " has unknown role '" + role +
                        "' (expected system, user, assistant or tool)");
    }
}

// The system turn: tool signatures (with the first system message, if any, in front) or that system message.
void appendSystemTurn(std::string& out, const ChatRequest& request)
{
    if (!request.tools.is_null() && !request.tools.is_array())
        throw Error(std::string("chat: tools must be an array, not ") + request.tools.type_name());
    const ChatMessage& first = request.messages.front();
    const bool firstIsSystem = first.role == "system";
    if (jinjaTruthy(request.tools)) {
        out += "<|im_start|>system\n";
        if (firstIsSystem) {
            out += first.content;
            out += "\n\n";
        }
        out += kToolsIntro;
        for (const auto& tool : request.tools) {
            out += '\n';
            out += pythonJsonDumps(tool);
        }
        out += kToolsOutro;
    } else if (firstIsSystem) {
        out += "<|im_start|>system\n";
        out += first.content;
        out += "<|im_end|>\n";
    }
}

// The template's multi_step_tool scan: the last user message that is not a tool result pasted in as
// "<tool_response>...</tool_response>". Assistant turns after it are the current tool-calling loop and keep
// their reasoning. With no such message the index is the last one, so no turn keeps reasoning.
std::size_t lastQueryIndex(const std::vector<ChatMessage>& messages)
{
    for (std::size_t i = messages.size(); i-- > 0;) {
        const auto& message = messages[i];
        const std::string_view content = message.content;
        if (message.role == "user" &&
            !(content.starts_with("<tool_response>") && content.ends_with("</tool_response>")))
            return i;
    }
    return messages.size() - 1;
}

struct AssistantText {
    std::string_view reasoning;
    std::string_view content;
};

// reasoning_content when given; otherwise the reasoning is cut out of "<think>...</think>" in the content.
AssistantText splitReasoning(const ChatMessage& message)
{
    if (message.reasoningContent)
        return {*message.reasoningContent, message.content};
    const std::string_view content = message.content;
    if (content.find("</think>") == std::string_view::npos)
        return {{}, content};
    return {py::lstrip(py::splitLast(py::rstrip(py::splitFirst(content, "</think>"), '\n'), "<think>"), '\n'),
            py::lstrip(py::splitLast(content, "</think>"), '\n')};
}

void appendAssistantTurn(std::string& out, const ChatRequest& request, std::size_t index,
                         std::size_t lastQuery, ThinkingSupport support)
{
    const ChatMessage& message = request.messages[index];
    const bool isLast = index + 1 == request.messages.size();
    out += "<|im_start|>assistant\n";
    std::string_view content = message.content;
    if (support == ThinkingSupport::None) {
        out += content; // the 2507 Instruct template neither parses nor writes think blocks
    } else {
        const AssistantText text = splitReasoning(message);
        content = text.content;
        // Reasoning is kept only inside the current tool-calling loop (after the last query); the final turn
        // always gets a think block there, even an empty one.
        if (index > lastQuery && (isLast || !text.reasoning.empty())) {
            out += "<think>\n";
            out += py::strip(text.reasoning, '\n');
            out += "\n</think>\n\n";
            out += py::lstrip(content, '\n');
        } else {
            out += content;
        }
    }
    appendToolCalls(out, message.toolCalls, !content.empty(), messageLabel(index, message));
    out += "<|im_end|>\n";
}

// Consecutive tool results share one user turn, each in its own <tool_response> block.
void appendToolResponse(std::string& out, const std::vector<ChatMessage>& messages, std::size_t index)
{
    if (index == 0 || messages[index - 1].role != "tool")
        out += "<|im_start|>user";
    out += "\n<tool_response>\n";
    out += messages[index].content;
    out += "\n</tool_response>";
    if (index + 1 == messages.size() || messages[index + 1].role != "tool")
        out += "<|im_end|>\n";
}

void appendGenerationPrompt(std::string& out, const ChatRequest& request, ThinkingSupport support)
{
    out += "<|im_start|>assistant\n";
    switch (support) {
    case ThinkingSupport::Hybrid:
        if (request.enableThinking == false) // set and false, like `enable_thinking is false`
            out += "<think>\n\n</think>\n\n";
        break;
    case ThinkingSupport::ThinkingOnly:
        out += "<think>\n";
        break;
    case ThinkingSupport::None:
        break;
    }
}

} // namespace

std::string formatChat(const ChatRequest& request, ThinkingSupport support)
{
    checkRoles(request);
    std::string out;
    appendSystemTurn(out, request);
    const auto& messages = request.messages;
    const std::size_t lastQuery = lastQueryIndex(messages);
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const ChatMessage& message = messages[i];
        if (message.role == "user" || (message.role == "system" && i > 0)) {
            out += "<|im_start|>";
            out += message.role;
            out += '\n';
            out += message.content;
            out += "<|im_end|>\n";
        } else if (message.role == "assistant") {
            appendAssistantTurn(out, request, i, lastQuery, support);
        } else if (message.role == "tool") {
            appendToolResponse(out, messages, i);
        }
    }
    if (request.addGenerationPrompt)
        appendGenerationPrompt(out, request, support);
    return out;
}

} // namespace ponder
