#pragma once
// One model the library lists: what its file's metadata says (no weights read), or why it could not be read.
#include <QMetaType>
#include <QString>

namespace ponder::library {

struct ModelEntry {
    QString path;          // canonical: the file (.gguf) or the folder (Hugging Face)
    QString source;        // "ponder" (Ponder's models folder) or "folder" (a folder the user added)
    QString name;          // general.name, or the file/folder name; the file name when it failed to read
    QString format;        // "gguf" or "huggingface"
    QString architecture;  // "qwen3", "qwen3moe"
    qint64 parameters = 0; // elements of every tensor
    bool moe = false;
    QString typeMix;       // tensor types by share of the weights' bytes, largest first: "Q8_0 97% · F32 3%"
    qint64 fileBytes = 0;
    qint64 contextLength = 0;
    QString thinking;      // "hybrid", "always" (thinking-only) or "never", as ModelController says it
    bool testModel = false; // Ponder's built-in test model (random weights)
    QString error;         // non-empty: the file could not be read (the loader's message)

    bool ok() const { return error.isEmpty(); }
};

} // namespace ponder::library

Q_DECLARE_METATYPE(ponder::library::ModelEntry)
