#pragma once
// The Installed tab's view of the library: ModelLibraryModel's rows sorted by a key the user picks (name,
// file size, parameters, last used, memory needed), either way round, with hidden rows left out unless asked
// for. Rows that could not be read always come after the readable ones (they have no size or memory to sort
// by), and rows that tie on the key are in name order. Re-sorts and re-filters as the rows change (a hide, a
// load stamping "last used", a new memory estimate). GUI thread only; QML makes it over library.entries.
#include <QSortFilterProxyModel>

namespace ponder::library {

class ModelLibrarySortModel : public QSortFilterProxyModel {
    Q_OBJECT
    Q_PROPERTY(SortKey sortKey READ sortKey WRITE setSortKey NOTIFY sortKeyChanged)
    Q_PROPERTY(bool ascending READ ascending WRITE setAscending NOTIFY ascendingChanged)
    Q_PROPERTY(bool showHidden READ showHidden WRITE setShowHidden NOTIFY showHiddenChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum class SortKey { Name, Size, Parameters, LastUsed, Memory };
    Q_ENUM(SortKey)

    explicit ModelLibrarySortModel(QObject* parent = nullptr);

    SortKey sortKey() const { return key_; }
    void setSortKey(SortKey key);
    bool ascending() const { return ascending_; }
    void setAscending(bool ascending);
    bool showHidden() const { return showHidden_; }
    void setShowHidden(bool show);
    int count() const { return rowCount(); }

Q_SIGNALS:
    void sortKeyChanged();
    void ascendingChanged();
    void showHiddenChanged();
    void countChanged();

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    // The role the key sorts by, so that a change to it re-sorts (the proxy skips changes to other roles).
    void applySortRole();

    SortKey key_ = SortKey::Name;
    bool ascending_ = true;
    bool showHidden_ = false;
};

} // namespace ponder::library
