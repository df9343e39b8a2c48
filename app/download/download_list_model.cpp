#include "download/download_list_model.h"

#include "download/download_queue.h"

namespace ponder::download {

DownloadListModel::DownloadListModel(DownloadQueue* queue, QObject* parent)
    : QAbstractListModel(parent), queue_(queue) {
    // The queue announces each row it adds or removes before and after the change.
    connect(queue_, &DownloadQueue::aboutToAdd, this, [this](int row) { beginInsertRows({}, row, row); });
    connect(queue_, &DownloadQueue::added, this, [this] { endInsertRows(); });
    connect(queue_, &DownloadQueue::aboutToRemove, this, [this](int row) { beginRemoveRows({}, row, row); });
    connect(queue_, &DownloadQueue::removed, this, [this] { endRemoveRows(); });
    connect(queue_, &DownloadQueue::changed, this, [this](int row) {
        const QModelIndex changed = index(row);
        emit dataChanged(changed, changed);
    });
}

int DownloadListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : queue_->count();
}

QVariant DownloadListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Download* item = queue_->at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return item->request().name;
    case UrlRole: return item->request().url;
    case StateRole: return int(item->state());
    case BytesRole: return item->bytesDone();
    case TotalRole: return item->totalBytes();
    case SpeedRole: return item->bytesPerSecond();
    case SecondsLeftRole: return item->secondsLeft();
    case ErrorRole: return item->errorString();
    default: return {};
    }
}

QHash<int, QByteArray> DownloadListModel::roleNames() const {
    return {{NameRole, "name"},   {UrlRole, "url"},     {StateRole, "state"},           {BytesRole, "bytes"},
            {TotalRole, "total"}, {SpeedRole, "speed"}, {SecondsLeftRole, "secondsLeft"}, {ErrorRole, "error"}};
}

} // namespace ponder::download
