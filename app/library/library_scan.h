#pragma once
// The whole library in one list, one entry per model: Ponder's models folder, the folders (or single files)
// the user added, and the other apps' stores, merged so that a model found in several places (the same file
// reached twice, or a copy with the same content) is one entry listing all of them. Shared by ModelLibrary
// and `ponder-cli models`. Blocking: run off the GUI thread.
#include "library/model_entry.h"
#include "library/model_stores.h"

#include <QSet>
#include <QString>
#include <QStringList>

#include <vector>

namespace ponder::library {

struct LibraryPlaces {
    QString modelsFolder;  // Ponder's own (<data dir>/models); the only place Ponder deletes from
    QStringList folders;   // added by the user (folders or model files), read in place
    StoreRoots stores;     // empty: no other app's store is read
    QSet<QString> hidden;  // entry ids the user hid
};

// Every model, sorted by name. Places are taken in the order above (the first place a model is found gives
// its path, name and source). Entries match by canonical path first, then (readable ones) by
// contentFingerprint(). An entry is read-only unless one of its locations is in the models folder.
std::vector<ModelEntry> scanLibrary(const LibraryPlaces& places);

// Folds `found` into `entries`: appended as a new entry, or as more locations of the entry it matches.
// `fingerprints` runs beside `entries` (the fingerprint of each, computed once).
void mergeEntry(std::vector<ModelEntry>& entries, std::vector<QString>& fingerprints, ModelEntry found);

} // namespace ponder::library
