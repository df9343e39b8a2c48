#pragma once
// What to download and how hard to try.
#include <QString>
#include <QUrl>

#include <algorithm>

namespace ponder::download {

struct DownloadRequest {
    QUrl url;
    QString destination;    // the final file; the transfer writes <destination>.part next to it
    QString name;           // shown in the Downloads list; the file name when empty
    QString expectedSha256; // hex; when empty the hub's X-Linked-Etag is used if the server gives one
    qint64 expectedSize = -1; // bytes, when known beforehand (for the free-space check)
    QString bearerToken;    // sent as "Authorization: Bearer ..." for gated repositories; never shown or logged
};

struct RetryPolicy {
    int maxAttempts = 6;      // tries of one transfer that gets nothing through, the first included
    int firstDelayMs = 1000;  // 1, 2, 4, 8, 8 ... s
    int maxDelayMs = 8000;

    // The wait before the next try after `failures` failed ones in a row (1 or more): doubling, capped.
    int delayMs(int failures) const {
        const qint64 delay = qint64(firstDelayMs) << std::clamp(failures - 1, 0, 20);
        return int(std::min<qint64>(delay, maxDelayMs));
    }
};

} // namespace ponder::download
