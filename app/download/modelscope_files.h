#pragma once
// What ModelScope says about a file before it is fetched. Its downloads carry no digest headers (unlike the
// Hugging Face hub's, hub_metadata.h), but its file list does: GET <site>/api/v1/models/<repo>/repo/files
// ?Revision=master&Recursive=true answers {"Code":200,"Data":{"Files":[{"Path":"x.gguf","Name":"x.gguf",
// "Type":"blob","Size":N,"Sha256":"<hex>",...},...]}}. Recursive, because GGUF repositories often keep each
// quantisation in a folder of its own.
#include "download/hub_metadata.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

class QNetworkReply;

namespace ponder::download {

// A file's digest and size from the list, or why they could not be had.
struct ModelScopeLookup {
    HubMetadata meta; // sha256 empty when the list gives none for the file (it is then not verified)
    QString error;    // empty on success
    bool ok() const { return error.isEmpty(); }
};

// The file list request for `repo` ("owner/name") at `revision` on the site `site` (https://modelscope.cn),
// with the optional access token as a bearer token.
QNetworkRequest modelScopeFilesRequest(const QUrl& site, const QString& repo, const QString& token = {},
                                       const QString& revision = QStringLiteral("master"));

// Finds `path` (relative to the repository, e.g. "Qwen3-8B-Q4_K_M.gguf" or "Q4_K_M/x.gguf") in a file list
// answer. Malformed JSON, an answer whose Code is not 200, and a missing file fail with a message naming the
// repository and the file.
ModelScopeLookup modelScopeFileFromJson(const QByteArray& json, const QString& repo, const QString& path);

// The finished reply to modelScopeFilesRequest: its status first (404: no such repository, 401/403: refused),
// then its body as modelScopeFileFromJson reads it.
ModelScopeLookup modelScopeFileFromReply(QNetworkReply& reply, const QString& repo, const QString& path);

} // namespace ponder::download
