#pragma once
// The library's entries as the Models page and the header's model picker list them, one row per model
// (failed ones included, with their reason; hidden ones too, flagged). Replaced whole after each scan. Each
// row also says how much memory the model needs at `estimateContext` positions and whether that fits this
// machine (setMachineMemory). GUI thread only.
#include "library/memory_fit.h"
#include "library/model_entry.h"

#include <QAbstractListModel>
#include <QSet>

#include <vector>

namespace ponder::library {

class ModelLibraryModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int estimateContext READ estimateContext WRITE setEstimateContext NOTIFY estimateContextChanged)

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
        IdRole,
        SourcesRole,        // every store it was found in: ["ollama", "ponder"]
        LocationsRole,      // [{source, path}, ...], the entry's own path first
        ReadOnlyRole,       // not in Ponder's models folder: never deleted by Ponder
        HiddenRole,
        WeightsBytesRole,
        MemoryBytesRole,    // weights + KV cache at estimateContext + overhead (0 for a failed read)
        MemoryTextRole,     // MemoryBytes in the user's locale
        FitRole,            // "gpu", "partial", "cpu", "none" ("" for a failed read)
        FitTextRole,        // fitText(): a short sentence
        LastUsedRole,       // QDateTime (local time) of the last load; invalid: never
        LastUsedTextRole,   // LastUsed in the user's locale, short; "" when never
        SourceNamesRole,    // the sources as messages name them: ["Ollama", "Ponder's models folder"]
    };

    explicit ModelLibraryModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(entries_.size()); }
    const std::vector<ModelEntry>& entries() const { return entries_; }
    void setEntries(std::vector<ModelEntry> entries);
    // Flags the rows whose id is in `ids` hidden (and the others not).
    void setHidden(const QSet<QString>& ids);
    // Takes the row with id `id` out (its files were deleted; the next scan agrees).
    void removeEntry(const QString& id);
    // Stamps the row with id `id` as last loaded at `when`.
    void setLastUsed(const QString& id, const QDateTime& when);
    void setMachineMemory(const MachineMemory& machine);
    const MachineMemory& machineMemory() const { return machine_; }
    int estimateContext() const { return estimateContext_; }
    void setEstimateContext(int positions);
    // The estimate and its fit for an entry, as the roles say them.
    MemoryEstimate estimateOf(const ModelEntry& entry) const;
    // The language changed: the rows' texts (sizes, dates, store names) are said again.
    void retranslate();
    // The row of the model at `path` (canonical), or -1.
    Q_INVOKABLE int indexOfPath(const QString& path) const;

Q_SIGNALS:
    void countChanged();
    void estimateContextChanged();

private:
    void estimatesChanged();

    std::vector<ModelEntry> entries_;
    MachineMemory machine_;
    int estimateContext_ = 4096; // the app's default context length
};

// "0.60 B", "751.6 M", "12.3 K" parameters (the number and its unit; no words to translate).
QString parameterCountText(qint64 parameters);

} // namespace ponder::library
