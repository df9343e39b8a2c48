#include "library/model_library_sort_model.h"

#include "library/model_library_model.h"

#include <QDateTime>

namespace ponder::library {

ModelLibrarySortModel::ModelLibrarySortModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    // Hiding a row (a change to this role) filters it out.
    setFilterRole(ModelLibraryModel::HiddenRole);
    applySortRole();
    // The direction is applied in lessThan, so that ties stay in name order both ways.
    sort(0, Qt::AscendingOrder);
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, signal, this, &ModelLibrarySortModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &ModelLibrarySortModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &ModelLibrarySortModel::countChanged);
}

void ModelLibrarySortModel::setSortKey(SortKey key)
{
    if (key == key_)
        return;
    key_ = key;
    applySortRole();
    invalidate();
    Q_EMIT sortKeyChanged();
}

void ModelLibrarySortModel::setAscending(bool ascending)
{
    if (ascending == ascending_)
        return;
    ascending_ = ascending;
    invalidate();
    Q_EMIT ascendingChanged();
}

void ModelLibrarySortModel::setShowHidden(bool show)
{
    if (show == showHidden_)
        return;
    showHidden_ = show;
    invalidateRowsFilter();
    Q_EMIT showHiddenChanged();
}

void ModelLibrarySortModel::applySortRole()
{
    switch (key_) {
    case SortKey::Name: setSortRole(ModelLibraryModel::NameRole); break;
    case SortKey::Size: setSortRole(ModelLibraryModel::FileBytesRole); break;
    case SortKey::Parameters: setSortRole(ModelLibraryModel::ParametersRole); break;
    case SortKey::LastUsed: setSortRole(ModelLibraryModel::LastUsedRole); break;
    case SortKey::Memory: setSortRole(ModelLibraryModel::MemoryBytesRole); break;
    }
}

bool ModelLibrarySortModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    return showHidden_ ||
           !sourceModel()->index(sourceRow, 0, sourceParent).data(ModelLibraryModel::HiddenRole).toBool();
}

bool ModelLibrarySortModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const bool leftFailed = !left.data(ModelLibraryModel::ErrorRole).toString().isEmpty();
    const bool rightFailed = !right.data(ModelLibraryModel::ErrorRole).toString().isEmpty();
    if (leftFailed != rightFailed)
        return rightFailed;
    const int byName = QString::localeAwareCompare(left.data(ModelLibraryModel::NameRole).toString(),
                                                   right.data(ModelLibraryModel::NameRole).toString());
    int order = 0; // <0: left first when ascending
    if (!leftFailed && key_ != SortKey::Name) {
        if (key_ == SortKey::LastUsed) {
            // Never used sorts as the oldest.
            const QDateTime a = left.data(ModelLibraryModel::LastUsedRole).toDateTime();
            const QDateTime b = right.data(ModelLibraryModel::LastUsedRole).toDateTime();
            order = a == b ? 0 : !a.isValid() ? -1 : !b.isValid() ? 1 : a < b ? -1 : 1;
        } else {
            const qint64 a = left.data(sortRole()).toLongLong();
            const qint64 b = right.data(sortRole()).toLongLong();
            order = a < b ? -1 : a > b ? 1 : 0;
        }
    } else {
        order = byName;
    }
    if (order != 0)
        return ascending_ ? order < 0 : order > 0;
    if (byName != 0)
        return byName < 0;
    // The same name: keep the source's order (a stable sort), by path to be certain.
    return left.data(ModelLibraryModel::PathRole).toString() < right.data(ModelLibraryModel::PathRole).toString();
}

} // namespace ponder::library
