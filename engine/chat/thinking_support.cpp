// classifyThinking reads a chat template's text, not its behaviour: Qwen3 templates announce what they do in
// a few fixed places, and scanning those is enough (and cannot be fooled into running anything).
#include "chat/thinking_support.h"

#include <string_view>
#include <vector>

namespace ponder {
namespace {

// One Jinja statement tag, "{%- if add_generation_prompt %}": its keyword ("if"), the rest ("add_generation_prompt")
// and where the tag starts and ends in the template.
struct StatementTag {
    std::string_view keyword;
    std::string_view rest;
    std::size_t begin = 0;
    std::size_t end = 0;
};

std::string_view trimTagInside(std::string_view inside)
{
    const auto isSpaceOrMarker = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' || c == '+';
    };
    while (!inside.empty() && isSpaceOrMarker(inside.front()))
        inside.remove_prefix(1);
    while (!inside.empty() && isSpaceOrMarker(inside.back()))
        inside.remove_suffix(1);
    return inside;
}

std::vector<StatementTag> statementTags(std::string_view text)
{
    std::vector<StatementTag> tags;
    for (auto open = text.find("{%"); open != std::string_view::npos; open = text.find("{%", open + 2)) {
        const auto close = text.find("%}", open + 2);
        if (close == std::string_view::npos)
            break;
        const std::string_view inside = trimTagInside(text.substr(open + 2, close - open - 2));
        const auto space = inside.find_first_of(" \t\n\r");
        StatementTag tag;
        tag.keyword = inside.substr(0, space);
        tag.rest = space == std::string_view::npos ? std::string_view{} : inside.substr(space + 1);
        tag.begin = open;
        tag.end = close + 2;
        tags.push_back(tag);
        open = close;
    }
    return tags;
}

// The text a template writes when `if add_generation_prompt` holds: from that tag to its matching
// else/elif/endif (nested ifs are part of the branch).
std::string_view generationBranch(std::string_view text, const std::vector<StatementTag>& tags, std::size_t at)
{
    int depth = 0;
    for (std::size_t j = at + 1; j < tags.size(); ++j) {
        const auto keyword = tags[j].keyword;
        if (keyword == "if") {
            ++depth;
        } else if (keyword == "endif" || ((keyword == "else" || keyword == "elif") && depth == 0)) {
            if (depth == 0)
                return text.substr(tags[at].end, tags[j].begin - tags[at].end);
            --depth;
        }
    }
    return text.substr(tags[at].end); // unterminated: the rest of the template
}

bool generationPromptOpensThink(std::string_view text)
{
    const auto tags = statementTags(text);
    for (std::size_t i = 0; i < tags.size(); ++i) {
        const auto& tag = tags[i];
        if (tag.keyword != "if" || tag.rest.find("add_generation_prompt") == std::string_view::npos ||
            tag.rest.find("not add_generation_prompt") != std::string_view::npos)
            continue;
        if (generationBranch(text, tags, i).find("<think>") != std::string_view::npos)
            return true;
    }
    return false;
}

} // namespace

ThinkingSupport classifyThinking(std::string_view chatTemplate)
{
    // The hybrid Qwen3 template is the one that lets a request switch thinking off.
    if (chatTemplate.find("enable_thinking") != std::string_view::npos)
        return ThinkingSupport::Hybrid;
    // Thinking-only templates (Qwen3-2507 Thinking, QwQ) open the think block in the generation prompt, so the
    // model's output starts inside it. Other "<think>" mentions (history rendering) say nothing about that.
    if (generationPromptOpensThink(chatTemplate))
        return ThinkingSupport::ThinkingOnly;
    return ThinkingSupport::None;
}

std::string_view thinkingSupportName(ThinkingSupport support)
{
    switch (support) {
    case ThinkingSupport::None: return "none";
    case ThinkingSupport::Hybrid: return "hybrid";
    case ThinkingSupport::ThinkingOnly: return "thinking-only";
    }
    return "none";
}

} // namespace ponder
