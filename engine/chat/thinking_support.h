#pragma once
// How a model thinks, read from its chat template.
#include <string_view>

namespace ponder {

enum class ThinkingSupport {
    None,         // no thinking (e.g. Qwen3-2507 Instruct)
    Hybrid,       // thinks by default, switchable per request (template knows `enable_thinking`)
    ThinkingOnly, // always thinks; its generation prompt opens <think> itself (e.g. Qwen3-2507 Thinking)
};

ThinkingSupport classifyThinking(std::string_view chatTemplate);
std::string_view thinkingSupportName(ThinkingSupport support); // "hybrid", "thinking-only", "none"

} // namespace ponder
