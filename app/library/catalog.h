#pragma once
// The models Ponder offers to download: the Qwen3 family's official repositories (resources/catalog/qwen3.json,
// built in under :/catalog), the GGUF files in them, the URLs they are fetched from for the chosen endpoint
// (Hugging Face, a mirror of it, or ModelScope), and which file suits this machine's memory. Pure data and
// pure functions (Qt Core only); the sizes are approximate, and no digest is kept here: the expected SHA-256
// comes from the hub at download time (X-Linked-Etag) or from ModelScope's file list.
#include "library/memory_fit.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace ponder::library {

struct CatalogFile {
    QString quant;       // "Q4_K_M"
    QString file;        // "Qwen3-8B-Q4_K_M.gguf"; empty when split (not downloadable as one file)
    qint64 sizeBytes = 0;
    bool sizeApproximate = true;
    bool split = false;  // the repository holds it as several parts in a folder
    bool downloadable() const { return !split && !file.isEmpty(); }
};

struct CatalogModel {
    QString id;              // "Qwen3-8B"
    qint64 parameters = 0;
    qint64 activeParameters = 0; // per token; the same as parameters for a dense model
    bool moe = false;
    int contextLength = 0;       // native
    int extendedContextLength = 0; // with YaRN; 0 when none
    int layers = 0;              // the shape the KV cache estimate needs
    int kvHeads = 0;
    int headDim = 0;
    QString thinking;            // "hybrid", "always", "none"
    QString ggufRepo;            // "Qwen/Qwen3-8B-GGUF"
    QString safetensorsRepo;     // "Qwen/Qwen3-8B"
    QList<CatalogFile> files;    // smallest first as listed
};

struct Catalog {
    QString family;
    QList<CatalogModel> models;

    const CatalogModel* find(const QString& id) const;
};

// Parses a catalog document; throws ponder::Error naming the entry and the field that is wrong.
Catalog parseCatalog(const QByteArray& json);
// The built-in catalog (:/catalog/qwen3.json). Throws ponder::Error when it cannot be read.
Catalog builtInCatalog();

// Where files are fetched from.
struct Endpoint {
    enum class Kind { HuggingFace, Mirror, ModelScope };
    Kind kind = Kind::HuggingFace;
    // For Mirror: a Hugging Face mirror's base URL, e.g. https://hf-mirror.com (required). For ModelScope:
    // the site instead of https://modelscope.cn (optional; `ponder-cli models pull --endpoint`, the tests).
    QUrl base;

    static Endpoint huggingFace() { return {}; }
    static Endpoint mirrorAt(const QUrl& base) { return {Kind::Mirror, base}; }
    static Endpoint modelScope() { return {Kind::ModelScope, {}}; }
    static Endpoint modelScopeAt(const QUrl& site) { return {Kind::ModelScope, site}; }
};

// The site's root without a trailing slash: https://huggingface.co, the mirror, or https://modelscope.cn
// (whose API lives under /api/v1). Empty when a given base is not an HTTP(S) address.
QString siteUrl(const Endpoint& endpoint);

// <base>/<repo>/resolve/main/<file> for the hub and its mirrors,
// https://modelscope.cn/models/<repo>/resolve/master/<file> for ModelScope. An empty or non-HTTP(S) mirror
// gives an invalid URL.
QUrl fileUrl(const Endpoint& endpoint, const QString& repo, const QString& file);
// The repository's page.
QUrl repoUrl(const Endpoint& endpoint, const QString& repo);

// What a file needs at `contextLength`: its size for the weights, the KV cache from the model's shape, and
// the fixed overhead — the same estimate the Installed list makes from a file's metadata.
MemoryEstimate estimateMemory(const CatalogModel& model, const CatalogFile& file, std::int64_t contextLength);

struct Recommendation {
    int model = -1; // index into Catalog::models
    int file = -1;  // index into its files
};
// The largest downloadable file that fits at `contextLength`: on the GPU when there is one and something fits
// it, otherwise in the RAM. Empty when nothing fits.
std::optional<Recommendation> recommend(const Catalog& catalog, const MachineMemory& memory, std::int64_t contextLength);

} // namespace ponder::library
