#pragma once
// What the Hugging Face hub says about a file before it is fetched. A `resolve` URL answers with a redirect
// to its CDN whose headers carry the LFS object's SHA-256 (X-Linked-Etag, quoted) and size (X-Linked-Size);
// the HEAD that reads them must not follow the redirect, or those headers are lost.
// ModelScope's downloads carry no such headers; its file list gives the digest (modelscope_files.h).
#include <QByteArray>
#include <QList>
#include <QNetworkRequest>
#include <QPair>
#include <QString>

class QNetworkReply;

namespace ponder::download {

struct HubMetadata {
    QString sha256; // lower-case hex; empty when the headers do not give one
    qint64 size = -1; // -1 when unknown
};

// Reads the hub's X-Linked-Etag (quotes stripped, when it is a 64-digit hex SHA-256) and X-Linked-Size, the
// size falling back to Content-Length for a 200 answer (a redirect's Content-Length is its own body's).
HubMetadata hubMetadataFromHeaders(int httpStatus, const QList<QPair<QByteArray, QByteArray>>& headers);
HubMetadata hubMetadataFromReply(const QNetworkReply& reply);

// A HEAD request for `url` that does not follow redirects, so the hub's headers are seen.
QNetworkRequest hubMetadataRequest(const QUrl& url);

// True for a 64-digit hex string (any case).
bool isSha256Hex(const QString& text);

} // namespace ponder::download
