#pragma once
// A conversation written out for the user: Markdown to read or share, JSON with every stored field.
#include "records.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace ponder::storage {

// "# <title>", the system prompt if any, then each message under a "## User" / "## Assistant" / "## System"
// heading; an assistant's reasoning sits in a collapsed <details> block above its answer, and a reply that
// was stopped or failed says so.
QString conversationToMarkdown(const Conversation& conversation, const std::vector<Message>& messages);

// {"format": "ponder-conversation", "version": 1, "conversation": {...}, "messages": [...]} with every
// field of the records; times in ISO 8601 UTC, sampling overrides as the JSON object they are (or null).
QByteArray conversationToJson(const Conversation& conversation, const std::vector<Message>& messages);

} // namespace ponder::storage
