#pragma once
// A conversation file, {"messages":[...],"tools":[...]} as `ponder-cli prompt` and `run` read it.
#include "chat/chat_format.h"

#include <string>

namespace ponder::cli {

// Throws ponder::Error naming the file when it cannot be read or is not a valid conversation.
ChatRequest readConversation(const std::string& path);

} // namespace ponder::cli
