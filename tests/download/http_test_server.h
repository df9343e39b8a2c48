#pragma once
// A small HTTP/1.1 file server on 127.0.0.1 for the download tests, with the faults the downloader must cope
// with: it serves `content` for any path (GET and HEAD), answers a Range with 206 and Content-Range (or
// ignores it), answers the hub's way for /resolve/... and /<owner>/<repo>/resolve/... (a 302 to /cdn/... carrying X-Linked-Etag and
// X-Linked-Size), answers ModelScope's file list API (/api/v1/models/...) with `filesJson`, and can fail the first requests with 500, answer every request with one status, cut
// bodies short or trickle them. Each request is recorded. One connection per request (Connection: close).
#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

namespace ponder::test {

struct ServedRequest {
    QByteArray method;
    QByteArray path;
    QByteArray range;         // the Range header, empty when none
    QByteArray authorization; // the Authorization header, empty when none
};

class HttpTestServer : public QObject {
    Q_OBJECT

public:
    HttpTestServer();
    QUrl url(const QString& path) const;

    QByteArray content;
    QByteArray linkedEtag;  // sent quoted as X-Linked-Etag on /resolve/ redirects
    QByteArray redirectBase; // where /resolve/ redirects to ("http://host:port"); this server when empty
    QByteArray filesJson;   // the body of 200 answers to /api/v1/models/... (ModelScope's file list)
    bool honorRange = true;
    int failFirst = 0;      // answer 500 to this many requests first
    int status = 0;         // when set, every request gets this status and a short error page
    qint64 dropAfter = -1;  // cut the body of the next `dropTimes` GETs after this many bytes
    int dropTimes = 0;
    int trickleBytes = 0;   // when set, the body goes out this many bytes every trickleMs
    int trickleMs = 0;

    QList<ServedRequest> requests;
    QList<ServedRequest> gets() const;

private:
    void onConnection();
    void onReadable(QTcpSocket* socket);
    void answer(QTcpSocket* socket, const ServedRequest& request);
    void sendBody(QTcpSocket* socket, QByteArray body, qint64 limit);

    QTcpServer server_;
};

} // namespace ponder::test
