#pragma once
// Downloads waiting their turn: at most maxActive() transfer at once (one by default), the others start in
// the order they were added as slots free up. Each can be paused, resumed (back in line) or canceled, and
// removed from the list. DownloadListModel shows it.
#include "download/download.h"

#include <QList>
#include <QObject>

class QNetworkAccessManager;

namespace ponder::download {

class DownloadQueue : public QObject {
    Q_OBJECT

public:
    explicit DownloadQueue(QNetworkAccessManager* network, QObject* parent = nullptr);

    void setMaxActive(int count); // 1 or 2 make sense for big files on one line
    int maxActive() const { return maxActive_; }
    // Applied to the downloads added afterwards.
    void setRetryPolicy(const RetryPolicy& policy) { retry_ = policy; }
    void setFreeSpaceProvider(Download::FreeSpaceProvider provider) { freeSpace_ = std::move(provider); }

    int count() const { return int(items_.size()); }
    Download* at(int row) const { return items_.value(row); }

    // Adds at the end and starts it if a slot is free; returns its row.
    int add(const DownloadRequest& request);
    void pause(int row);
    void resume(int row); // back in line (it starts at once when a slot is free)
    void cancel(int row);
    void remove(int row); // cancels it first when not finished; the .part goes with it

Q_SIGNALS:
    void aboutToAdd(int row);
    void added(int row);
    void changed(int row);
    void aboutToRemove(int row);
    void removed(int row);

private:
    void schedule();
    void onItemChanged(Download* item);

    QNetworkAccessManager* network_;
    QList<Download*> items_; // children of the queue
    int maxActive_ = 1;
    RetryPolicy retry_;
    Download::FreeSpaceProvider freeSpace_ = &Download::storageFreeSpace;
    bool scheduling_ = false;
};

} // namespace ponder::download
