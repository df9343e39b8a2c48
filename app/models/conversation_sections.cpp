#include "models/conversation_sections.h"

namespace ponder::models {

QString conversationSection(bool pinned, const QDateTime& updatedAt, const QDate& today)
{
    if (pinned)
        return QStringLiteral("pinned");
    const QDate day = updatedAt.toLocalTime().date();
    const qint64 daysAgo = day.daysTo(today);
    if (daysAgo <= 0) // today, or a clock that went backwards
        return QStringLiteral("today");
    if (daysAgo == 1)
        return QStringLiteral("yesterday");
    if (daysAgo <= 7)
        return QStringLiteral("week");
    if (daysAgo <= 30)
        return QStringLiteral("month");
    return day.toString(QStringLiteral("yyyy-MM"));
}

} // namespace ponder::models
