#include "generation/context_trimmer.h"

#include <algorithm>
#include <string_view>

namespace ponder {
namespace {

// A user message carrying a tool result belongs to the turn whose tool call it answers (the template's
// multi_step_tool rule uses the same test).
bool isQuery(const ChatMessage& message)
{
    const std::string_view content = message.content;
    return message.role == "user" &&
           !(content.starts_with("<tool_response>") && content.ends_with("</tool_response>"));
}

} // namespace

std::vector<std::size_t> turnStarts(const std::vector<ChatMessage>& messages)
{
    // Only a leading system message is the system prompt; a later one is part of its turn.
    const std::size_t first = !messages.empty() && messages.front().role == "system" ? 1 : 0;
    std::vector<std::size_t> starts;
    for (std::size_t i = first; i < messages.size(); ++i)
        if (isQuery(messages[i]))
            starts.push_back(i);
    if (starts.empty())
        return {}; // no query: nothing can be dropped
    if (starts.front() != first)
        starts.insert(starts.begin(), first);
    return starts;
}

ChatRequest dropOldestTurns(const ChatRequest& request, std::size_t turns)
{
    ChatRequest out = request;
    if (turns == 0)
        return out;
    const std::vector<std::size_t> starts = turnStarts(request.messages);
    const std::size_t droppable = starts.empty() ? 0 : starts.size() - 1;
    turns = std::min(turns, droppable);
    if (turns == 0)
        return out;
    out.messages.erase(out.messages.begin() + static_cast<std::ptrdiff_t>(starts.front()),
                       out.messages.begin() + static_cast<std::ptrdiff_t>(starts[turns]));
    return out;
}

FittedPrompt fitPrompt(const ChatRequest& request, const PromptEncoder& encode, std::int64_t limit)
{
    const std::vector<std::size_t> starts = turnStarts(request.messages);
    const std::size_t droppable = starts.empty() ? 0 : starts.size() - 1;
    auto attempt = [&](std::size_t turns) {
        FittedPrompt fitted;
        fitted.ids = encode(dropOldestTurns(request, turns));
        fitted.droppedMessages = turns == 0 ? 0 : static_cast<std::int64_t>(starts[turns] - starts.front());
        fitted.fits = static_cast<std::int64_t>(fitted.ids.size()) <= limit;
        return fitted;
    };

    FittedPrompt whole = attempt(0); // the common case: it fits, one render
    if (whole.fits || droppable == 0)
        return whole;
    FittedPrompt best = attempt(droppable);
    if (!best.fits)
        return best;
    // Invariant: dropping `high` turns fits (best), dropping `low` does not.
    std::size_t low = 0, high = droppable;
    while (high - low > 1) {
        const std::size_t middle = low + (high - low) / 2;
        FittedPrompt candidate = attempt(middle);
        if (candidate.fits) {
            high = middle;
            best = std::move(candidate);
        } else {
            low = middle;
        }
    }
    return best;
}

} // namespace ponder
