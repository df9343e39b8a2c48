#pragma once
// One model the library lists: what its file's metadata says (no weights read), or why it could not be read,
// and every place it was found (Ponder's folder, a folder the user added, another app's store).
#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <vector>

namespace ponder::library {

// One place a model was found: the store ("ponder", "folder", "huggingface", "lmstudio", "ollama",
// "gpt4all") and the path there (canonical).
struct ModelLocation {
    QString source;
    QString path;

    bool operator==(const ModelLocation&) const = default;
};

struct ModelEntry {
    QString id;            // short and stable: the first 12 hex digits of SHA-256 of `path` (modelId())
    QString path;          // canonical: the file (.gguf, an Ollama blob) or the folder (Hugging Face)
    QString source;        // where `path` was found (the first of `locations`)
    std::vector<ModelLocation> locations; // every place this model was found, `path` first
    QString name;          // general.name (Ollama: "model:tag"), or the file/folder name when it failed to read
    QString format;        // "gguf" or "huggingface"
    QString architecture;  // "qwen3", "qwen3moe"
    qint64 parameters = 0; // elements of every tensor
    bool moe = false;
    QString typeMix;       // tensor types by share of the weights' bytes, largest first: "Q8_0 97% · F32 3%"
    qint64 fileBytes = 0;
    qint64 weightsBytes = 0; // bytes of every tensor (what loading puts in memory)
    qint64 layerCount = 0;   // the shape the KV cache follows
    qint64 kvHeadCount = 0;
    qint64 headDim = 0;
    qint64 contextLength = 0;
    QString thinking;      // "hybrid", "always" (thinking-only) or "never", as ModelController says it
    bool testModel = false; // Ponder's built-in test model (random weights)
    bool readOnly = false;  // not in Ponder's models folder: another app's (or the user's) file, never deleted
    bool hidden = false;    // the user hid it (ModelLibrary::hide)
    QDateTime lastUsed;    // when the app last loaded it (ModelLibrary::recordUse); invalid: never
    QString error;         // non-empty: the file could not be read (the loader's message)

    bool ok() const { return error.isEmpty(); }
    QStringList sources() const; // the stores of `locations`, each once, in order
};

inline QStringList ModelEntry::sources() const
{
    QStringList list;
    for (const ModelLocation& l : locations)
        if (!list.contains(l.source))
            list << l.source;
    return list;
}

} // namespace ponder::library

Q_DECLARE_METATYPE(ponder::library::ModelEntry)
