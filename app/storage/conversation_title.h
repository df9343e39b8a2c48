#pragma once
// The automatic title of a conversation the user has not renamed: the start of its first user message.
#include <QString>

namespace ponder::storage {

constexpr int automaticTitleLength = 60; // characters, before the ellipsis

// The message text on one line (runs of whitespace, newlines included, become one space), cut at
// automaticTitleLength characters with "…" added; empty for empty text.
QString automaticTitle(const QString& firstUserMessage);

} // namespace ponder::storage
