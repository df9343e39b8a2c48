#pragma once
// Finding models on disk: .gguf files and Hugging Face folders (config.json beside *.safetensors) under the
// given folders, searched recursively, each read with the engine's loader (ModelFile::open maps the file and
// reads its metadata, tokenizer and chat template; no weights are touched). Blocking: run it off the GUI
// thread (ModelLibrary does).
#include "library/model_entry.h"

#include <QString>

#include <vector>

namespace ponder::library {

struct ScanFolder {
    QString path;
    QString source; // what the entries found under it say they came from ("ponder", "folder")
};

// The file name Ponder gives its built-in test model in its models folder.
inline constexpr const char* kTestModelFileName = "ponder-test-model-random-weights.gguf";

// Every model under `folders` (a folder may also name one model file, scanned alone), once each by canonical path (the first folder that reaches it names its
// source), sorted by name. A file that fails to read is listed with the reason. Missing folders are skipped.
std::vector<ModelEntry> scanModels(const std::vector<ScanFolder>& folders);

// Reads one model (a .gguf file or a Hugging Face folder). Never throws: failures land in `error`.
ModelEntry readModelEntry(const QString& path, const QString& source);

} // namespace ponder::library
