#include "library/catalog.h"

#include "core/error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>


namespace ponder::library {

namespace {

[[noreturn]] void bad(const QString& where, const QString& problem)
{
    throw Error(QStringLiteral("model catalog: %1: %2").arg(where, problem).toStdString());
}

QString requiredString(const QJsonObject& o, const char* key, const QString& where)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString() || v.toString().isEmpty())
        bad(where, QStringLiteral("\"%1\" must be a non-empty string").arg(QLatin1String(key)));
    return v.toString();
}

qint64 requiredCount(const QJsonObject& o, const char* key, const QString& where)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isDouble() || v.toDouble() <= 0)
        bad(where, QStringLiteral("\"%1\" must be a positive number").arg(QLatin1String(key)));
    return qint64(v.toDouble());
}

CatalogFile parseFile(const QJsonValue& value, const QString& where)
{
    if (!value.isObject())
        bad(where, QStringLiteral("a file entry must be an object"));
    const QJsonObject o = value.toObject();
    CatalogFile f;
    f.quant = requiredString(o, "quant", where);
    const QString at = QStringLiteral("%1 %2").arg(where, f.quant);
    f.sizeBytes = requiredCount(o, "sizeBytes", at);
    f.sizeApproximate = o.value(QLatin1String("sizeApproximate")).toBool(true);
    f.split = o.value(QLatin1String("split")).toBool(false);
    if (!f.split) {
        f.file = requiredString(o, "file", at);
        if (!f.file.endsWith(QLatin1String(".gguf")) || f.file.contains(QLatin1Char('/')))
            bad(at, QStringLiteral("\"file\" must be a .gguf file name without a folder, not \"%1\"").arg(f.file));
    }
    return f;
}

CatalogModel parseModel(const QJsonValue& value, int index)
{
    if (!value.isObject())
        bad(QStringLiteral("models[%1]").arg(index), QStringLiteral("must be an object"));
    const QJsonObject o = value.toObject();
    CatalogModel m;
    m.id = requiredString(o, "id", QStringLiteral("models[%1]").arg(index));
    m.parameters = requiredCount(o, "parameters", m.id);
    m.activeParameters = requiredCount(o, "activeParameters", m.id);
    const QString architecture = requiredString(o, "architecture", m.id);
    if (architecture != QLatin1String("dense") && architecture != QLatin1String("moe"))
        bad(m.id, QStringLiteral("\"architecture\" must be \"dense\" or \"moe\", not \"%1\"").arg(architecture));
    m.moe = architecture == QLatin1String("moe");
    if (!m.moe && m.activeParameters != m.parameters)
        bad(m.id, QStringLiteral("a dense model's active parameters must equal its parameters"));
    if (m.activeParameters > m.parameters)
        bad(m.id, QStringLiteral("more active parameters than parameters"));
    m.contextLength = int(requiredCount(o, "contextLength", m.id));
    m.extendedContextLength = o.value(QLatin1String("extendedContextLength")).toInt(0);
    m.layers = int(requiredCount(o, "layers", m.id));
    m.kvHeads = int(requiredCount(o, "kvHeads", m.id));
    m.headDim = int(requiredCount(o, "headDim", m.id));
    m.thinking = requiredString(o, "thinking", m.id);
    if (m.thinking != QLatin1String("hybrid") && m.thinking != QLatin1String("always") && m.thinking != QLatin1String("none"))
        bad(m.id, QStringLiteral("\"thinking\" must be \"hybrid\", \"always\" or \"none\", not \"%1\"").arg(m.thinking));
    m.ggufRepo = requiredString(o, "ggufRepo", m.id);
    m.safetensorsRepo = requiredString(o, "safetensorsRepo", m.id);
    for (const QString& repo : {m.ggufRepo, m.safetensorsRepo})
        if (repo.count(QLatin1Char('/')) != 1)
            bad(m.id, QStringLiteral("a repository must be \"owner/name\", not \"%1\"").arg(repo));
    const QJsonArray files = o.value(QLatin1String("files")).toArray();
    if (files.isEmpty())
        bad(m.id, QStringLiteral("\"files\" must list at least one file"));
    for (const QJsonValue& f : files)
        m.files.append(parseFile(f, m.id));
    return m;
}

QString stripSlashes(QString base)
{
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base;
}

QString httpBase(const QUrl& base)
{
    const QString scheme = base.scheme();
    if (!base.isValid() || base.host().isEmpty() || (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return {};
    return stripSlashes(base.toString(QUrl::RemoveQuery | QUrl::RemoveFragment));
}

// Where <repo>/resolve/... lives: the site itself for the hub and its mirrors, <site>/models on ModelScope.
QString baseOf(const Endpoint& endpoint)
{
    const QString site = siteUrl(endpoint);
    if (endpoint.kind == Endpoint::Kind::ModelScope && !site.isEmpty())
        return site + QStringLiteral("/models");
    return site;
}

} // namespace

const CatalogModel* Catalog::find(const QString& id) const
{
    for (const CatalogModel& m : models)
        if (m.id == id)
            return &m;
    return nullptr;
}

Catalog parseCatalog(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (doc.isNull())
        bad(QStringLiteral("offset %1").arg(error.offset), error.errorString());
    if (!doc.isObject())
        bad(QStringLiteral("document"), QStringLiteral("must be an object"));
    const QJsonObject root = doc.object();
    Catalog catalog;
    catalog.family = root.value(QLatin1String("family")).toString();
    const QJsonArray models = root.value(QLatin1String("models")).toArray();
    if (models.isEmpty())
        bad(QStringLiteral("document"), QStringLiteral("\"models\" must list at least one model"));
    for (int i = 0; i < models.size(); ++i) {
        CatalogModel m = parseModel(models[i], i);
        if (catalog.find(m.id))
            bad(m.id, QStringLiteral("listed twice"));
        catalog.models.append(std::move(m));
    }
    return catalog;
}

Catalog builtInCatalog()
{
    QFile file(QStringLiteral(":/catalog/qwen3.json"));
    if (!file.open(QIODevice::ReadOnly))
        throw Error("model catalog: the built-in :/catalog/qwen3.json is missing from the program");
    return parseCatalog(file.readAll());
}

QString siteUrl(const Endpoint& endpoint)
{
    switch (endpoint.kind) {
    case Endpoint::Kind::HuggingFace: return QStringLiteral("https://huggingface.co");
    case Endpoint::Kind::ModelScope:
        return endpoint.base.isEmpty() ? QStringLiteral("https://modelscope.cn") : httpBase(endpoint.base);
    case Endpoint::Kind::Mirror: break;
    }
    return httpBase(endpoint.base);
}

QUrl fileUrl(const Endpoint& endpoint, const QString& repo, const QString& file)
{
    const QString base = baseOf(endpoint);
    if (base.isEmpty())
        return {};
    const QString revision = endpoint.kind == Endpoint::Kind::ModelScope ? QStringLiteral("master") : QStringLiteral("main");
    return QUrl(QStringLiteral("%1/%2/resolve/%3/%4").arg(base, repo, revision, file));
}

QUrl repoUrl(const Endpoint& endpoint, const QString& repo)
{
    const QString base = baseOf(endpoint);
    return base.isEmpty() ? QUrl() : QUrl(QStringLiteral("%1/%2").arg(base, repo));
}

MemoryEstimate estimateMemory(const CatalogModel& model, const CatalogFile& file, std::int64_t contextLength)
{
    return estimateMemory(ModelShape{file.sizeBytes, model.layers, model.kvHeads, model.headDim}, contextLength);
}

std::optional<Recommendation> recommend(const Catalog& catalog, const MachineMemory& memory, std::int64_t contextLength)
{
    const auto best = [&](auto fits) -> std::optional<Recommendation> {
        std::optional<Recommendation> found;
        qint64 size = 0;
        for (int m = 0; m < catalog.models.size(); ++m)
            for (int f = 0; f < catalog.models[m].files.size(); ++f) {
                const CatalogFile& file = catalog.models[m].files[f];
                const std::int64_t need = estimateMemory(catalog.models[m], file, contextLength).totalBytes();
                if (file.downloadable() && fits(need) && file.sizeBytes > size) {
                    found = Recommendation{m, f};
                    size = file.sizeBytes;
                }
            }
        return found;
    };
    if (memory.gpuBytes > 0)
        if (auto onGpu = best([&](std::int64_t need) { return need <= memory.gpuBytes; }))
            return onGpu;
    return best([&](std::int64_t need) { return need <= memory.ramBytes; });
}

} // namespace ponder::library
