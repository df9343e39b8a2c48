#pragma once
// The rows of a DownloadQueue for a Downloads view: one per download, updated as they progress.
#include <QAbstractListModel>

namespace ponder::download {

class DownloadQueue;

class DownloadListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        UrlRole,
        StateRole,       // Download::State as an int
        BytesRole,       // bytes done
        TotalRole,       // -1 when unknown
        SpeedRole,       // bytes per second, smoothed
        SecondsLeftRole, // -1 when unknown
        ErrorRole,       // why it failed (or why it is retrying); empty otherwise
    };
    Q_ENUM(Role)

    explicit DownloadListModel(DownloadQueue* queue, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    DownloadQueue* queue_;
};

} // namespace ponder::download
