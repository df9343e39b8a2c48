#include "download/download_queue.h"

namespace ponder::download {

DownloadQueue::DownloadQueue(QNetworkAccessManager* network, QObject* parent)
    : QObject(parent), network_(network) {}

void DownloadQueue::setMaxActive(int count) {
    maxActive_ = std::max(1, count);
    schedule();
}

int DownloadQueue::add(const DownloadRequest& request) {
    auto* item = new Download(network_, request, this);
    item->setRetryPolicy(retry_);
    item->setFreeSpaceProvider(freeSpace_);
    connect(item, &Download::stateChanged, this, [this, item] {
        onItemChanged(item);
        schedule();
    });
    connect(item, &Download::progressChanged, this, [this, item] { onItemChanged(item); });
    const int row = int(items_.size());
    emit aboutToAdd(row);
    items_.append(item);
    emit added(row);
    schedule();
    return row;
}

void DownloadQueue::pause(int row) {
    if (Download* item = at(row)) item->pause();
}

void DownloadQueue::resume(int row) {
    if (Download* item = at(row)) item->requeue();
}

void DownloadQueue::cancel(int row) {
    if (Download* item = at(row)) item->cancel();
}

void DownloadQueue::remove(int row) {
    Download* item = at(row);
    if (!item) return;
    item->disconnect(this);
    if (item->state() != Download::State::Finished) item->cancel();
    emit aboutToRemove(row);
    items_.removeAt(row);
    item->deleteLater();
    emit removed(row);
    schedule();
}

void DownloadQueue::onItemChanged(Download* item) {
    const qsizetype row = items_.indexOf(item);
    if (row >= 0) emit changed(int(row));
}

// Starts queued items, first come first served, while fewer than maxActive_ are active.
void DownloadQueue::schedule() {
    if (scheduling_) return; // start() changes states, which calls back here
    scheduling_ = true;
    int active = 0;
    for (const Download* item : std::as_const(items_))
        if (item->isActive()) ++active;
    for (Download* item : std::as_const(items_)) {
        if (active >= maxActive_) break;
        if (item->state() != Download::State::Queued) continue;
        item->start();
        if (item->isActive()) ++active;
    }
    scheduling_ = false;
}

} // namespace ponder::download
