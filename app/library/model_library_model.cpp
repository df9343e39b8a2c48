#include "library/model_library_model.h"

#include "library/model_stores.h"

#include <QFileInfo>
#include <QLocale>

namespace ponder::library {

QString parameterCountText(qint64 parameters)
{
    const double n = static_cast<double>(parameters);
    if (parameters >= 1'000'000'000)
        return QStringLiteral("%1 B").arg(n / 1e9, 0, 'f', 2);
    if (parameters >= 1'000'000)
        return QStringLiteral("%1 M").arg(n / 1e6, 0, 'f', 1);
    if (parameters >= 1'000)
        return QStringLiteral("%1 K").arg(n / 1e3, 0, 'f', 1);
    return QString::number(parameters);
}

ModelLibraryModel::ModelLibraryModel(QObject* parent) : QAbstractListModel(parent) {}

int ModelLibraryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ModelLibraryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelEntry& e = entries_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return e.name;
    case PathRole: return e.path;
    case SourceRole: return e.source;
    case FormatRole: return e.format;
    case ArchitectureRole: return e.architecture;
    case ParametersRole: return e.parameters;
    case ParametersTextRole: return e.ok() ? parameterCountText(e.parameters) : QString();
    case MoeRole: return e.moe;
    case TypeMixRole: return e.typeMix;
    case FileBytesRole: return e.fileBytes;
    case FileSizeTextRole: return QLocale().formattedDataSize(e.fileBytes);
    case ContextLengthRole: return e.contextLength;
    case ThinkingRole: return e.thinking;
    case TestModelRole: return e.testModel;
    case ErrorRole: return e.error;
    case IdRole: return e.id;
    case SourcesRole: return e.sources();
    case LocationsRole: {
        QVariantList list;
        for (const ModelLocation& l : e.locations)
            list.append(QVariantMap{{QStringLiteral("source"), l.source}, {QStringLiteral("path"), l.path}});
        return list;
    }
    case ReadOnlyRole: return e.readOnly;
    case HiddenRole: return e.hidden;
    case WeightsBytesRole: return e.weightsBytes;
    case MemoryBytesRole: return e.ok() ? estimateOf(e).totalBytes() : qint64(0);
    case MemoryTextRole: return e.ok() ? QLocale().formattedDataSize(estimateOf(e).totalBytes()) : QString();
    case FitRole: return e.ok() ? fitName(classifyFit(estimateOf(e), machine_)) : QString();
    case FitTextRole: return e.ok() ? fitText(classifyFit(estimateOf(e), machine_)) : QString();
    case LastUsedRole: return e.lastUsed.isValid() ? QVariant(e.lastUsed.toLocalTime()) : QVariant();
    case LastUsedTextRole:
        return e.lastUsed.isValid() ? QLocale().toString(e.lastUsed.toLocalTime(), QLocale::ShortFormat) : QString();
    case SourceNamesRole: {
        QStringList names;
        for (const QString& s : e.sources())
            names << sourceDisplayName(s);
        return names;
    }
    default: return {};
    }
}

QHash<int, QByteArray> ModelLibraryModel::roleNames() const
{
    return {
        {PathRole, "path"},
        {SourceRole, "source"},
        {NameRole, "name"},
        {FormatRole, "format"},
        {ArchitectureRole, "architecture"},
        {ParametersRole, "parameters"},
        {ParametersTextRole, "parametersText"},
        {MoeRole, "moe"},
        {TypeMixRole, "typeMix"},
        {FileBytesRole, "fileBytes"},
        {FileSizeTextRole, "fileSizeText"},
        {ContextLengthRole, "contextLength"},
        {ThinkingRole, "thinking"},
        {TestModelRole, "testModel"},
        {ErrorRole, "error"},
        {IdRole, "id"},
        {SourcesRole, "sources"},
        {LocationsRole, "locations"},
        {ReadOnlyRole, "readOnly"},
        {HiddenRole, "hidden"},
        {WeightsBytesRole, "weightsBytes"},
        {MemoryBytesRole, "memoryBytes"},
        {MemoryTextRole, "memoryText"},
        {FitRole, "fit"},
        {FitTextRole, "fitText"},
        {LastUsedRole, "lastUsed"},
        {LastUsedTextRole, "lastUsedText"},
        {SourceNamesRole, "sourceNames"},
    };
}

void ModelLibraryModel::setEntries(std::vector<ModelEntry> entries)
{
    const int before = count();
    beginResetModel();
    entries_ = std::move(entries);
    endResetModel();
    if (count() != before)
        Q_EMIT countChanged();
}

void ModelLibraryModel::setHidden(const QSet<QString>& ids)
{
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const bool hidden = ids.contains(entries_[i].id);
        if (entries_[i].hidden == hidden)
            continue;
        entries_[i].hidden = hidden;
        const QModelIndex row = index(static_cast<int>(i));
        Q_EMIT dataChanged(row, row, {HiddenRole});
    }
}

void ModelLibraryModel::removeEntry(const QString& id)
{
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].id != id)
            continue;
        const int row = static_cast<int>(i);
        beginRemoveRows({}, row, row);
        entries_.erase(entries_.begin() + row);
        endRemoveRows();
        Q_EMIT countChanged();
        return;
    }
}

void ModelLibraryModel::setLastUsed(const QString& id, const QDateTime& when)
{
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].id != id)
            continue;
        entries_[i].lastUsed = when;
        const QModelIndex row = index(static_cast<int>(i));
        Q_EMIT dataChanged(row, row, {LastUsedRole, LastUsedTextRole});
    }
}

void ModelLibraryModel::setMachineMemory(const MachineMemory& machine)
{
    if (machine.gpuBytes == machine_.gpuBytes && machine.ramBytes == machine_.ramBytes && machine.gpuName == machine_.gpuName)
        return;
    machine_ = machine;
    estimatesChanged();
}

void ModelLibraryModel::setEstimateContext(int positions)
{
    if (positions == estimateContext_ || positions <= 0)
        return;
    estimateContext_ = positions;
    Q_EMIT estimateContextChanged();
    estimatesChanged();
}

MemoryEstimate ModelLibraryModel::estimateOf(const ModelEntry& entry) const
{
    return estimateMemory({entry.weightsBytes, entry.layerCount, entry.kvHeadCount, entry.headDim}, estimateContext_);
}

void ModelLibraryModel::estimatesChanged()
{
    if (entries_.empty())
        return;
    Q_EMIT dataChanged(index(0), index(count() - 1), {MemoryBytesRole, MemoryTextRole, FitRole, FitTextRole});
}

int ModelLibraryModel::indexOfPath(const QString& path) const
{
    const QString canonical = QFileInfo(path).canonicalFilePath();
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].path == path || (!canonical.isEmpty() && entries_[i].path == canonical))
            return static_cast<int>(i);
    return -1;
}

void ModelLibraryModel::retranslate()
{
    if (!entries_.empty())
        Q_EMIT dataChanged(index(0), index(count() - 1));
}

} // namespace ponder::library
