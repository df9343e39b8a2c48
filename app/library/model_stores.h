#pragma once
// Other apps' model stores, read in place and never written: the Hugging Face cache, LM Studio's models
// folder, Ollama's manifests and blobs, and GPT4All's folder. The roots are a plain struct so tests point them
// at fake layouts; storeRootsFromEnvironment() finds the real ones. Blocking: run off the GUI thread.
#include "library/model_entry.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <vector>

namespace ponder::library {

struct StoreRoots {
    QString huggingFaceHub; // holds models--ORG--NAME/snapshots/<rev>/...
    QStringList lmStudio;   // hold <publisher>/<repo>/*.gguf
    QString ollama;         // holds manifests/ and blobs/
    QString gpt4all;        // holds *.gguf

    bool empty() const { return huggingFaceHub.isEmpty() && lmStudio.isEmpty() && ollama.isEmpty() && gpt4all.isEmpty(); }
};

// Where the stores are on this machine, as each app finds them: HF_HUB_CACHE, else HF_HOME/hub, else
// $XDG_CACHE_HOME (~/.cache)/huggingface/hub; ~/.lmstudio/models and the older ~/.cache/lm-studio/models;
// OLLAMA_MODELS, else ~/.ollama/models; $XDG_DATA_HOME (~/.local/share)/nomic.ai/GPT4All. `home` is the home
// folder; missing folders are simply found empty later. PONDER_NO_MODEL_STORES=1: none (the test suites set it,
// so that a developer's own stores stay out of tests that count the library's entries).
StoreRoots storeRootsFromEnvironment(const QProcessEnvironment& environment, const QString& home);
StoreRoots storeRootsFromEnvironment(); // this process's environment and QDir::homePath()

// Every model in the stores, each read with the engine's loader (readModelEntry), read-only, with its store
// as its source. Hugging Face: the GGUF files and model folders inside snapshots (files there link to blobs;
// the entry's path is the blob). Ollama: one entry per manifest, named "model:tag" ("ns/model:tag" outside
// the library namespace), whose path is the model layer's blob; a manifest that is not JSON, has no model
// layer or names a missing blob is listed with that reason. Not deduplicated across stores (scanLibrary does).
std::vector<ModelEntry> scanStores(const StoreRoots& roots);

// The Ollama entry of the manifest file at `manifestPath` (under <root>/manifests/<registry>/<ns>/<model>/).
ModelEntry readOllamaManifest(const QString& root, const QString& manifestPath);

// "Hugging Face cache", "LM Studio", "Ollama", "GPT4All", "Ponder's models folder", "an added folder": how a
// source is named in messages (translated).
QString sourceDisplayName(const QString& source);

} // namespace ponder::library
