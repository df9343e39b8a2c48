#pragma once
// Writing a conversation export (storage/conversation_export.h) to the file the user picked in the save
// dialog: the format by name, a file name to suggest, and the write itself (whole or not at all).
#include "storage/records.h"

#include <QString>

#include <optional>
#include <vector>

namespace ponder::controllers {

enum class ExportFormat { Markdown, Json };

// "markdown" or "json" (what QML passes); nullopt for anything else.
std::optional<ExportFormat> exportFormatFromName(const QString& name);

// The file name the save dialog starts with: the title, with characters file systems reject replaced by
// "_", and the format's extension ("Untitled" for an untitled conversation).
QString suggestedExportName(const QString& title, ExportFormat format);

// The export's bytes (UTF-8 Markdown, or JSON).
QByteArray exportBytes(ExportFormat format, const storage::Conversation& conversation,
                       const std::vector<storage::Message>& messages);

// Writes `bytes` to `path` through a temporary file renamed into place, so a failed write leaves no partial
// file. Returns an empty string on success, else a message naming the file and the problem.
QString writeExportFile(const QString& path, const QByteArray& bytes);

} // namespace ponder::controllers
