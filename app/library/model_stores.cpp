#include "library/model_stores.h"

#include "library/model_identity.h"
#include "library/model_scan.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ponder::library {
namespace {

const QString kOllamaModelLayer = QStringLiteral("application/vnd.ollama.image.model");

QString envOr(const QProcessEnvironment& environment, const char* name, const QString& fallback)
{
    const QString value = environment.value(QString::fromLatin1(name));
    return value.isEmpty() ? fallback : value;
}

// Models found in place under `folder` (recursively, as the library scans its own folders), read-only.
void scanFolderOf(std::vector<ModelEntry>& out, const QString& folder, const QString& source)
{
    if (folder.isEmpty())
        return;
    for (ModelEntry& e : scanModels({{folder, source}}))
        out.push_back(std::move(e));
}

void scanHuggingFace(std::vector<ModelEntry>& out, const QString& hub)
{
    if (hub.isEmpty())
        return;
    // Only the snapshots: blobs/ holds the same files under their hashes, without names.
    const QStringList repos = QDir(hub).entryList({QStringLiteral("models--*")}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& repo : repos)
        scanFolderOf(out, QDir(hub).filePath(repo + QStringLiteral("/snapshots")), QStringLiteral("huggingface"));
}

ModelEntry failedOllamaEntry(const QString& manifestPath, const QString& name, const QString& error)
{
    ModelEntry e;
    const QFileInfo info(manifestPath);
    e.path = info.canonicalFilePath().isEmpty() ? info.absoluteFilePath() : info.canonicalFilePath();
    e.id = modelId(e.path);
    e.source = QStringLiteral("ollama");
    e.locations = {{e.source, e.path}};
    e.name = name;
    e.format = QStringLiteral("gguf");
    e.readOnly = true;
    e.error = error;
    return e;
}

} // namespace

StoreRoots storeRootsFromEnvironment(const QProcessEnvironment& environment, const QString& home)
{
    if (environment.value(QStringLiteral("PONDER_NO_MODEL_STORES")) == QLatin1String("1"))
        return {};
    const QDir homeDir(home);
    const QString cache = envOr(environment, "XDG_CACHE_HOME", homeDir.filePath(QStringLiteral(".cache")));
    const QString data = envOr(environment, "XDG_DATA_HOME", homeDir.filePath(QStringLiteral(".local/share")));
    StoreRoots roots;
    const QString hfHome = envOr(environment, "HF_HOME", QDir(cache).filePath(QStringLiteral("huggingface")));
    roots.huggingFaceHub = envOr(environment, "HF_HUB_CACHE", QDir(hfHome).filePath(QStringLiteral("hub")));
    roots.lmStudio = {homeDir.filePath(QStringLiteral(".lmstudio/models")), QDir(cache).filePath(QStringLiteral("lm-studio/models"))};
    roots.ollama = envOr(environment, "OLLAMA_MODELS", homeDir.filePath(QStringLiteral(".ollama/models")));
    roots.gpt4all = QDir(data).filePath(QStringLiteral("nomic.ai/GPT4All"));
    return roots;
}

StoreRoots storeRootsFromEnvironment()
{
    return storeRootsFromEnvironment(QProcessEnvironment::systemEnvironment(), QDir::homePath());
}

ModelEntry readOllamaManifest(const QString& root, const QString& manifestPath)
{
    // manifests/<registry>/<namespace>/<model>/<tag>
    const QString relative = QDir(QDir(root).filePath(QStringLiteral("manifests"))).relativeFilePath(manifestPath);
    const QStringList parts = relative.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QString model = parts.size() >= 2 ? parts.at(parts.size() - 2) : QString();
    const QString tag = parts.isEmpty() ? QString() : parts.last();
    const QString space = parts.size() >= 3 ? parts.at(parts.size() - 3) : QString();
    QString name = QStringLiteral("%1:%2").arg(model, tag);
    if (!space.isEmpty() && space != QLatin1String("library"))
        name = QStringLiteral("%1/%2").arg(space, name);

    QFile file(manifestPath);
    if (!file.open(QIODevice::ReadOnly))
        return failedOllamaEntry(manifestPath, name,
                                 QCoreApplication::translate("ModelStores", "%1: cannot read the manifest (%2)")
                                     .arg(manifestPath, file.errorString()));
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return failedOllamaEntry(manifestPath, name,
                                 QCoreApplication::translate("ModelStores", "%1: the manifest is not a JSON object (%2)")
                                     .arg(manifestPath, parseError.errorString()));
    QString digest;
    for (const QJsonValue& layer : doc.object().value(QStringLiteral("layers")).toArray())
        if (layer.toObject().value(QStringLiteral("mediaType")).toString() == kOllamaModelLayer)
            digest = layer.toObject().value(QStringLiteral("digest")).toString();
    if (digest.isEmpty())
        return failedOllamaEntry(manifestPath, name,
                                 QCoreApplication::translate("ModelStores", "%1: the manifest names no model layer")
                                     .arg(manifestPath));
    // "sha256:<hex>" is stored as blobs/sha256-<hex>.
    if (!digest.startsWith(QLatin1String("sha256:")) || digest.contains(QLatin1Char('/')))
        return failedOllamaEntry(manifestPath, name,
                                 QCoreApplication::translate("ModelStores", "%1: the model layer's digest \"%2\" is not sha256:<hex>")
                                     .arg(manifestPath, digest));
    const QString blob = QDir(root).filePath(QStringLiteral("blobs/") + QString(digest).replace(0, 7, QStringLiteral("sha256-")));
    if (!QFileInfo(blob).isFile())
        return failedOllamaEntry(manifestPath, name,
                                 QCoreApplication::translate("ModelStores", "%1: the model's blob %2 is missing")
                                     .arg(manifestPath, blob));
    ModelEntry entry = readModelEntry(blob, QStringLiteral("ollama"));
    entry.name = name; // the blob's own name is a hash; Ollama users know it by model and tag
    return entry;
}

std::vector<ModelEntry> scanStores(const StoreRoots& roots)
{
    std::vector<ModelEntry> out;
    scanHuggingFace(out, roots.huggingFaceHub);
    for (const QString& folder : roots.lmStudio)
        scanFolderOf(out, folder, QStringLiteral("lmstudio"));
    if (!roots.ollama.isEmpty()) {
        QStringList manifests;
        QDirIterator it(QDir(roots.ollama).filePath(QStringLiteral("manifests")), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            manifests << it.next();
        manifests.sort();
        for (const QString& manifest : manifests)
            out.push_back(readOllamaManifest(roots.ollama, manifest));
    }
    scanFolderOf(out, roots.gpt4all, QStringLiteral("gpt4all"));
    return out;
}

QString sourceDisplayName(const QString& source)
{
    if (source == QLatin1String("ponder"))
        return QCoreApplication::translate("ModelStores", "Ponder's models folder");
    if (source == QLatin1String("folder"))
        return QCoreApplication::translate("ModelStores", "a folder you added");
    if (source == QLatin1String("huggingface"))
        return QCoreApplication::translate("ModelStores", "the Hugging Face cache");
    if (source == QLatin1String("lmstudio"))
        return QCoreApplication::translate("ModelStores", "LM Studio");
    if (source == QLatin1String("ollama"))
        return QCoreApplication::translate("ModelStores", "Ollama");
    if (source == QLatin1String("gpt4all"))
        return QCoreApplication::translate("ModelStores", "GPT4All");
    return source;
}

} // namespace ponder::library
