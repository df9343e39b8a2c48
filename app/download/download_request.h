#pragma once
// What to download and how hard to try.
#include <QString>
#include <QUrl>

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
};

} // namespace ponder::download
