#pragma once
// The sidebar's date groups: pinned conversations first, then Today, Yesterday, the previous 7 days, the
// previous 30 days, and older ones by month. Keys are stable words; the QML section header translates them.
#include <QDate>
#include <QDateTime>
#include <QString>

namespace ponder::models {

// "pinned", "today", "yesterday", "week", "month", or "YYYY-MM" for older ones (local time).
QString conversationSection(bool pinned, const QDateTime& updatedAt, const QDate& today);

} // namespace ponder::models
