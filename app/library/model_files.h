#pragma once
// What Ponder does to model files on disk, shared by ModelLibrary (the Models page) and `ponder-cli models`:
// import a model (a .gguf file or a Hugging Face folder) into Ponder's models folder by copy or move, or take
// it as it stands ("in place", which the caller adds to the library's folders), and delete what Ponder owns
// (only what lies in its own models folder; other apps' files are refused). Blocking: the GUI runs imports
// off its thread. Every failure is a result with a message naming the file and the problem, never a throw,
// and a copy that fails leaves nothing behind.
#include "library/model_entry.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace ponder::library {

enum class ImportMode {
    Copy,    // into the models folder, the original kept
    Move,    // into the models folder: a rename on the same file system, else a copy and the original removed
    InPlace, // read where it is; the caller adds it to the library's folders
};

// "copy", "move", "inPlace" (what QML passes); nullopt for anything else.
std::optional<ImportMode> importModeFromName(const QString& name);

// The bytes free for a new file in `folder` (QStorageInfo); tests pass their own.
using FreeSpaceProbe = std::function<qint64(const QString& folder)>;
qint64 availableBytesAt(const QString& folder);

// Empty when `needed` bytes fit in `available`; else a message naming both (and `folder`).
QString freeSpaceShortage(qint64 needed, qint64 available, const QString& folder);

// The bytes a copy of `path` writes: the file's size, or for a folder every file under it (links followed, as
// the copy follows them).
qint64 bytesToCopy(const QString& path);

struct ImportResult {
    bool ok = false;
    QString error;   // why it failed (ok == false)
    QString warning; // it worked, but: a move that copied could not remove the original
    QString name;    // the model's name (its metadata)
    QString path;    // where the model is now (canonical): in the models folder, or the original for InPlace
    QString id;      // modelId(path)
};

// Imports the model at `source` (read first with the engine's loader: a file that is not a model is refused
// with the loader's message). Copy and Move put it under its own file name in `modelsFolder` (created when
// missing); a name already there is refused. A copy is written to "<name>.part" and renamed when complete, and
// is refused before it starts when the models folder's file system has too little room (`freeSpace`).
ImportResult importModelFiles(const QString& source, const QString& modelsFolder, ImportMode mode,
                              const FreeSpaceProbe& freeSpace = availableBytesAt);

struct DeleteResult {
    bool ok = false;
    QString error;       // why nothing (or not everything) was deleted
    QStringList removed; // the paths deleted, in Ponder's models folder
    QStringList keptIn;  // the other places the model stays in ("Ollama", "a folder you added")
};

// Deletes `entry`'s files that lie in `modelsFolder`; its other locations are left alone. An entry with none
// there belongs to another app (or to the user) and is refused, naming where it belongs and that it can be
// hidden instead. `inUsePath`: the model the app has loaded (or is loading); deleting its file is refused.
DeleteResult deleteOwnedModel(const ModelEntry& entry, const QString& modelsFolder, const QString& inUsePath = {});

} // namespace ponder::library
