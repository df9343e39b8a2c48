#pragma once
// Qwen3 chat formatting, byte-identical to the official Jinja template (tokenizer_config.json of Qwen3) for
// every case it distinguishes: system message or not, tools, multi-turn reasoning dropped before the last
// user query, tool calls and tool responses, enable_thinking=false (empty think block).
#include "chat/thinking_support.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ponder {

struct ChatMessage {
    std::string role; // system, user, assistant, tool
    std::string content;
    std::optional<std::string> reasoningContent; // assistant only
    nlohmann::ordered_json toolCalls = nlohmann::ordered_json::array(); // as in the OpenAI format
};

struct ChatRequest {
    std::vector<ChatMessage> messages;
    nlohmann::ordered_json tools = nlohmann::ordered_json::array();
    bool addGenerationPrompt = true;
    // nullopt: the template's default (thinking on). false writes the empty think block.
    std::optional<bool> enableThinking;
};

// Renders the prompt text. `support` selects the variant: ThinkingOnly opens "<think>\n" after the
// generation prompt, None never writes think blocks for the generation prompt.
// (Hybrid: the official Qwen3 template. ThinkingOnly / None: the Qwen3-2507 Thinking / Instruct templates;
// None also writes assistant content verbatim, without parsing or adding think blocks.) Throws ponder::Error
// for no messages, an unknown role or a malformed tool call.
std::string formatChat(const ChatRequest& request, ThinkingSupport support = ThinkingSupport::Hybrid);

// Parses {"messages":[...],"tools":[...]} (the `ponder-cli prompt` input). Throws ponder::Error.
// Optional "enable_thinking" and "add_generation_prompt" (default true) booleans. An assistant message's
// content may be null or absent (read as ""); other roles need a string.
ChatRequest chatRequestFromJson(const nlohmann::ordered_json& json, const std::string& source);

// Python json.dumps(value, ensure_ascii=False) formatting — what the template's `tojson` produces.
std::string pythonJsonDumps(const nlohmann::ordered_json& value);

} // namespace ponder
