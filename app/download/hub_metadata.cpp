#include "download/hub_metadata.h"

#include <QNetworkReply>

namespace ponder::download {

namespace {

QByteArray header(const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& name) {
    for (const auto& [key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0) return value.trimmed();
    return {};
}

// ETags come quoted and sometimes weak (W/"..."); the hub's linked ETag is the bare oid inside the quotes.
QString unquotedEtag(QByteArray etag) {
    if (etag.startsWith("W/")) etag = etag.mid(2);
    if (etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"')) etag = etag.mid(1, etag.size() - 2);
    return QString::fromLatin1(etag);
}

qint64 sizeValue(const QByteArray& text) {
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok && value >= 0 ? value : -1;
}

} // namespace

bool isSha256Hex(const QString& text) {
    if (text.size() != 64) return false;
    for (const QChar c : text)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F'))) return false;
    return true;
}

HubMetadata hubMetadataFromHeaders(int httpStatus, const QList<QPair<QByteArray, QByteArray>>& headers) {
    HubMetadata meta;
    // Only the hub's linked ETag is known to be the content's SHA-256; a plain ETag is whatever the server
    // likes (a git blob id on the hub, an MD5 on S3), and trusting a look-alike would delete a good file.
    const QString linked = unquotedEtag(header(headers, "X-Linked-Etag"));
    if (isSha256Hex(linked)) meta.sha256 = linked.toLower();
    meta.size = sizeValue(header(headers, "X-Linked-Size"));
    if (meta.size < 0 && httpStatus == 200) meta.size = sizeValue(header(headers, "Content-Length"));
    return meta;
}

HubMetadata hubMetadataFromReply(const QNetworkReply& reply) {
    const int status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return hubMetadataFromHeaders(status, reply.rawHeaderPairs());
}

QNetworkRequest hubMetadataRequest(const QUrl& url) {
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    return request;
}

} // namespace ponder::download
