#pragma once
// What the library keeps in QSettings, shared by ModelLibrary and `ponder-cli models`: the folders (or model
// files) the user added ("library/folders") and the ids of the entries they hid ("library/hidden").
#include <QSet>
#include <QString>
#include <QStringList>

namespace ponder::library {

QStringList storedFolders();
void storeFolders(const QStringList& folders);
QSet<QString> storedHiddenIds();
void storeHiddenIds(const QSet<QString>& ids);

} // namespace ponder::library
