#include "library/model_library_model.h"

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

int ModelLibraryModel::indexOfPath(const QString& path) const
{
    const QString canonical = QFileInfo(path).canonicalFilePath();
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].path == path || (!canonical.isEmpty() && entries_[i].path == canonical))
            return static_cast<int>(i);
    return -1;
}

} // namespace ponder::library
