#include "library/library_settings.h"

#include <QSettings>

#include <algorithm>

namespace ponder::library {
namespace {
const QString kFoldersKey = QStringLiteral("library/folders");
const QString kHiddenKey = QStringLiteral("library/hidden");
const QString kLastUsedGroup = QStringLiteral("library/lastUsed/");
} // namespace

QStringList storedFolders()
{
    return QSettings().value(kFoldersKey).toStringList();
}

void storeFolders(const QStringList& folders)
{
    QSettings().setValue(kFoldersKey, folders);
}

QSet<QString> storedHiddenIds()
{
    const QStringList ids = QSettings().value(kHiddenKey).toStringList();
    return {ids.begin(), ids.end()};
}

void storeHiddenIds(const QSet<QString>& ids)
{
    QStringList list(ids.begin(), ids.end());
    std::sort(list.begin(), list.end()); // a stable file for the same set
    QSettings().setValue(kHiddenKey, list);
}

QDateTime storedLastUsed(const QString& id)
{
    return QSettings().value(kLastUsedGroup + id).toDateTime();
}

void storeLastUsed(const QString& id, const QDateTime& when)
{
    QSettings().setValue(kLastUsedGroup + id, when.toUTC());
}

} // namespace ponder::library
