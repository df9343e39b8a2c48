#include "controllers/export_file.h"

#include "storage/conversation_export.h"

#include <QCoreApplication>
#include <QSaveFile>

namespace ponder::controllers {
std::optional<ExportFormat> exportFormatFromName(const QString& name)
{
    if (name == QLatin1String("markdown"))
        return ExportFormat::Markdown;
    if (name == QLatin1String("json"))
        return ExportFormat::Json;
    return std::nullopt;
}

QString suggestedExportName(const QString& title, ExportFormat format)
{
    QString name = title.simplified();
    // Reserved on Windows or in URLs, or a path separator anywhere; control characters too.
    for (QChar& c : name)
        if (c.unicode() < 0x20 || QStringLiteral("/\\:*?\"<>|").contains(c))
            c = QLatin1Char('_');
    while (name.startsWith(QLatin1Char('.'))) // no hidden files
        name.remove(0, 1);
    if (name.trimmed().isEmpty())
        name = QCoreApplication::translate("ExportFile", "Untitled");
    return name + (format == ExportFormat::Markdown ? QStringLiteral(".md") : QStringLiteral(".json"));
}

QByteArray exportBytes(ExportFormat format, const storage::Conversation& conversation,
                       const std::vector<storage::Message>& messages)
{
    if (format == ExportFormat::Markdown)
        return storage::conversationToMarkdown(conversation, messages).toUtf8();
    return storage::conversationToJson(conversation, messages);
}

QString writeExportFile(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    // The literal sits in the call so that lupdate finds it.
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return QCoreApplication::translate("ExportFile", "Could not write %1: %2").arg(path, file.errorString());
    return {};
}

} // namespace ponder::controllers
