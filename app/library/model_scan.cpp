#include "library/model_scan.h"

#include "library/model_identity.h"

#include "formats/tensor_type.h"
#include "model/model_file.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <exception>

namespace ponder::library {
namespace {

QString thinkingName(ThinkingSupport support)
{
    switch (support) {
    case ThinkingSupport::Hybrid: return QStringLiteral("hybrid");
    case ThinkingSupport::ThinkingOnly: return QStringLiteral("always");
    case ThinkingSupport::None: return QStringLiteral("never");
    }
    return QStringLiteral("never");
}

QString describeTypeMix(const std::map<TensorType, TensorTypeStats>& mix)
{
    std::vector<std::pair<TensorType, TensorTypeStats>> types(mix.begin(), mix.end());
    std::sort(types.begin(), types.end(), [](const auto& a, const auto& b) { return a.second.bytes > b.second.bytes; });
    std::uint64_t total = 0;
    for (const auto& [type, stats] : types)
        total += stats.bytes;
    QStringList parts;
    for (const auto& [type, stats] : types) {
        const double share = total ? 100.0 * static_cast<double>(stats.bytes) / static_cast<double>(total) : 0.0;
        // Below 1% still shows, as "<1%": a type that is there is never hidden.
        const QString percent = share < 1.0 ? QStringLiteral("<1%") : QStringLiteral("%1%").arg(qRound(share));
        parts << QStringLiteral("%1 %2").arg(QString::fromStdString(tensorTypeName(type)), percent);
    }
    return parts.join(QStringLiteral(" · "));
}

bool isHuggingFaceFolder(const QDir& dir)
{
    return dir.exists(QStringLiteral("config.json")) &&
           !dir.entryList({QStringLiteral("*.safetensors")}, QDir::Files).isEmpty();
}

class Scanner {
public:
    std::vector<ModelEntry> entries;

    void scanFolder(const QString& path, const QString& source)
    {
        const QFileInfo info(path);
        const QString canonical = info.canonicalFilePath();
        if (info.isFile() && !canonical.isEmpty()) {
            add(canonical, source); // one model added on its own (ponder-cli models import --in-place)
            return;
        }
        if (canonical.isEmpty() || !info.isDir() || visitedFolders_.contains(canonical))
            return; // missing, or reached before (a folder inside another one added, a link loop)
        visitedFolders_.insert(canonical);
        const QDir dir(canonical);
        if (isHuggingFaceFolder(dir)) {
            add(canonical, source);
            return; // its files are the model's, not models of their own
        }
        const QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo& file : files)
            if (file.suffix().compare(QLatin1String("gguf"), Qt::CaseInsensitive) == 0)
                add(file.canonicalFilePath(), source);
        const QFileInfoList folders = dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Readable, QDir::Name);
        for (const QFileInfo& folder : folders)
            scanFolder(folder.filePath(), source);
    }

private:
    void add(const QString& canonical, const QString& source)
    {
        if (canonical.isEmpty() || seenModels_.contains(canonical))
            return;
        seenModels_.insert(canonical);
        entries.push_back(readModelEntry(canonical, source));
    }

    QSet<QString> visitedFolders_;
    QSet<QString> seenModels_;
};

} // namespace

ModelEntry readModelEntry(const QString& path, const QString& source)
{
    ModelEntry entry;
    const QFileInfo info(path);
    entry.path = info.canonicalFilePath().isEmpty() ? info.absoluteFilePath() : info.canonicalFilePath();
    entry.source = source;
    entry.id = modelId(entry.path);
    entry.locations = {{source, entry.path}};
    entry.readOnly = source != QLatin1String("ponder");
    entry.name = info.fileName();
    entry.format = info.isDir() ? QStringLiteral("huggingface") : QStringLiteral("gguf");
    entry.testModel = source == QLatin1String("ponder") && info.fileName() == QLatin1String(kTestModelFileName);
    if (!info.isDir())
        entry.fileBytes = info.size();
    try {
        const auto model = ModelFile::open(entry.path.toStdString());
        const ModelConfig& config = model->config();
        entry.name = QString::fromStdString(model->modelName());
        entry.architecture = QString::fromStdString(config.architectureName());
        entry.parameters = model->parameterCount();
        entry.moe = config.isMoe();
        entry.typeMix = describeTypeMix(model->typeMix());
        entry.fileBytes = static_cast<qint64>(model->fileBytes());
        entry.contextLength = config.contextLength;
        entry.layerCount = config.layerCount;
        entry.kvHeadCount = config.kvHeadCount;
        entry.headDim = config.headDim;
        for (const auto& [type, stats] : model->typeMix())
            entry.weightsBytes += static_cast<qint64>(stats.bytes);
        entry.thinking = thinkingName(model->thinking());
    } catch (const std::exception& e) {
        entry.error = QString::fromUtf8(e.what());
    }
    return entry;
}

std::vector<ModelEntry> scanModels(const std::vector<ScanFolder>& folders)
{
    Scanner scanner;
    for (const ScanFolder& folder : folders)
        scanner.scanFolder(folder.path, folder.source);
    std::stable_sort(scanner.entries.begin(), scanner.entries.end(), [](const ModelEntry& a, const ModelEntry& b) {
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    return std::move(scanner.entries);
}

} // namespace ponder::library
