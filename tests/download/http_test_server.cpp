#include "http_test_server.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace ponder::test {

namespace {

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 302: return "Found";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 416: return "Range Not Satisfiable";
    case 500: return "Internal Server Error";
    default: return "Status";
    }
}

QByteArray statusLine(int status) {
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
}

} // namespace

HttpTestServer::HttpTestServer() {
    connect(&server_, &QTcpServer::newConnection, this, &HttpTestServer::onConnection);
    server_.listen(QHostAddress::LocalHost);
}

QUrl HttpTestServer::url(const QString& path) const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(server_.serverPort()).arg(path));
}

QList<ServedRequest> HttpTestServer::gets() const {
    QList<ServedRequest> result;
    for (const ServedRequest& request : requests)
        if (request.method == "GET") result.append(request);
    return result;
}

void HttpTestServer::onConnection() {
    while (QTcpSocket* socket = server_.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void HttpTestServer::onReadable(QTcpSocket* socket) {
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    socket->setProperty("buffer", buffer);
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0 || socket->property("answered").toBool()) return;
    socket->setProperty("answered", true);
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    ServedRequest request{first.value(0), first.value(1), {}, {}};
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon < 0) continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "range") request.range = value;
        if (name == "authorization") request.authorization = value;
    }
    requests.append(request);
    answer(socket, request);
}

void HttpTestServer::answer(QTcpSocket* socket, const ServedRequest& request) {
    const bool head = request.method == "HEAD";
    const qint64 size = content.size();
    auto error = [&](int code) {
        const QByteArray body = "error " + QByteArray::number(code) + "\n";
        socket->write(statusLine(code) + "Content-Length: " + QByteArray::number(head ? 0 : body.size()) +
                      "\r\nConnection: close\r\n\r\n" + (head ? QByteArray() : body));
        socket->disconnectFromHost();
    };
    if (failFirst > 0) {
        --failFirst;
        error(500);
        return;
    }
    if (status != 0) {
        error(status);
        return;
    }
    // ModelScope's file list: JSON, never ranged.
    if (request.path.startsWith("/api/v1/models/")) {
        socket->write(statusLine(200) + "Content-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(head ? 0 : filesJson.size()) + "\r\nConnection: close\r\n\r\n" +
                      (head ? QByteArray() : filesJson));
        socket->disconnectFromHost();
        return;
    }
    // The hub: a redirect to the CDN with the LFS metadata, for /resolve/... and <owner>/<repo>/resolve/...
    if (const qsizetype at = request.path.indexOf("/resolve/"); at >= 0) {
        QByteArray headers = statusLine(302) + "Location: " + redirectBase + "/cdn/" + request.path.mid(at + 9) + "\r\n";
        if (!linkedEtag.isEmpty()) headers += "X-Linked-Etag: \"" + linkedEtag + "\"\r\n";
        headers += "X-Linked-Size: " + QByteArray::number(size) + "\r\n";
        socket->write(headers + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
        return;
    }
    int code = 200;
    qint64 from = 0;
    QByteArray extra;
    if (honorRange && request.range.startsWith("bytes=")) {
        from = request.range.mid(6, request.range.indexOf('-') - 6).toLongLong();
        if (from >= size) {
            socket->write(statusLine(416) + "Content-Range: bytes */" + QByteArray::number(size) +
                          "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        code = 206;
        extra = "Content-Range: bytes " + QByteArray::number(from) + '-' + QByteArray::number(size - 1) + '/' +
                QByteArray::number(size) + "\r\n";
    }
    const QByteArray body = content.mid(from);
    socket->write(statusLine(code) + extra + "Content-Length: " + QByteArray::number(body.size()) +
                  "\r\nAccept-Ranges: bytes\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n");
    if (head) {
        socket->disconnectFromHost();
        return;
    }
    qint64 limit = body.size();
    if (dropTimes > 0 && dropAfter >= 0) {
        --dropTimes;
        limit = std::min(limit, dropAfter);
    }
    sendBody(socket, body, limit);
}

// Writes body[0, limit) (all at once or trickled) and closes; a limit short of the body is a dropped line.
void HttpTestServer::sendBody(QTcpSocket* socket, QByteArray body, qint64 limit) {
    if (trickleBytes <= 0) {
        socket->write(body.left(limit));
        socket->disconnectFromHost();
        return;
    }
    auto* timer = new QTimer(socket);
    auto sent = std::make_shared<qint64>(0);
    QPointer<QTcpSocket> guard(socket);
    connect(timer, &QTimer::timeout, socket, [this, guard, timer, body, limit, sent] {
        if (!guard || guard->state() != QAbstractSocket::ConnectedState) {
            timer->stop();
            return;
        }
        const qint64 piece = std::min<qint64>(trickleBytes, limit - *sent);
        guard->write(body.mid(*sent, piece));
        *sent += piece;
        if (*sent >= limit) {
            timer->stop();
            guard->disconnectFromHost();
        }
    });
    timer->start(trickleMs);
}

} // namespace ponder::test
