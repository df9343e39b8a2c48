#pragma once
// What the library keeps in QSettings, shared by ModelLibrary and `ponder-cli models`: the folders (or model
// files) the user added ("library/folders"), the ids of the entries they hid ("library/hidden") and
// when each model was last loaded ("library/lastUsed/<id>", UTC).
#include <QDateTime>
#include <QSet>
#include <QString>
#include <QStringList>

namespace ponder::library {

QStringList storedFolders();
void storeFolders(const QStringList& folders);
QSet<QString> storedHiddenIds();
void storeHiddenIds(const QSet<QString>& ids);
// Invalid when the model was never loaded.
QDateTime storedLastUsed(const QString& id);
void storeLastUsed(const QString& id, const QDateTime& when);

} // namespace ponder::library
