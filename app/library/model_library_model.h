#pragma once
// The library's entries as the Models page and the header's model picker list them, one row per model
// (failed ones included, with their reason). Replaced whole after each scan. GUI thread only.
#include "library/model_entry.h"

#include <QAbstractListModel>

#include <vector>

namespace ponder::library {

class ModelLibraryModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        PathRole = Qt::UserRole + 1,
        SourceRole,
        NameRole,
        FormatRole,
        ArchitectureRole,
        ParametersRole,
        ParametersTextRole, // "0.60 B", "12.3 M"
        MoeRole,
        TypeMixRole,
        FileBytesRole,
        FileSizeTextRole,   // "1.2 GB" in the user's locale
        ContextLengthRole,
        ThinkingRole,
        TestModelRole,
        ErrorRole,
    };

    explicit ModelLibraryModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(entries_.size()); }
    const std::vector<ModelEntry>& entries() const { return entries_; }
    void setEntries(std::vector<ModelEntry> entries);
    // The row of the model at `path` (canonical), or -1.
    Q_INVOKABLE int indexOfPath(const QString& path) const;

Q_SIGNALS:
    void countChanged();

private:
    std::vector<ModelEntry> entries_;
};

// "0.60 B", "751.6 M", "12.3 K" parameters (the number and its unit; no words to translate).
QString parameterCountText(qint64 parameters);

} // namespace ponder::library
