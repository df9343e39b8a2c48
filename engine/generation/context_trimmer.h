#pragma once
// Context overflow: when a conversation no longer fits, the oldest whole turns are dropped (a user query with
// the assistant and tool messages that answer it), never the system message and never the last turn (the
// last user query and whatever follows it, e.g. the current tool-calling loop). Turns are dropped, not
// tokens, so what the model sees is always a well-formed conversation rendered by the template.
#include "chat/chat_format.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace ponder {

// Message indices where droppable turns begin, oldest first, followed by the index of the last turn (which
// is kept). Dropping k turns removes messages [starts[0], starts[k]). A turn begins at a user message that is
// a query (not a "<tool_response>" pasted into a user message); messages between the system message and the
// first query form a turn of their own.
std::vector<std::size_t> turnStarts(const std::vector<ChatMessage>& messages);

struct FittedPrompt {
    std::vector<std::int32_t> ids;
    std::int64_t droppedMessages = 0;
    bool fits = false; // false: even with every droppable turn gone the prompt is longer than the limit
};

using PromptEncoder = std::function<std::vector<std::int32_t>(const ChatRequest&)>;

// Renders `request` with as few oldest turns dropped as keeps the prompt within `limit` tokens. Prompt
// length only falls as turns are dropped, so the number to drop is found by bisection (a few renders even
// for long chats). When nothing fits, the result holds the shortest prompt with fits == false.
FittedPrompt fitPrompt(const ChatRequest& request, const PromptEncoder& encode, std::int64_t limit);

// `request` without its first `turns` droppable turns.
ChatRequest dropOldestTurns(const ChatRequest& request, std::size_t turns);

} // namespace ponder
