#include "download/modelscope_files.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QUrlQuery>

namespace ponder::download {

namespace {

ModelScopeLookup failure(const QString& message) {
    ModelScopeLookup result;
    result.error = message;
    return result;
}

} // namespace

QNetworkRequest modelScopeFilesRequest(const QUrl& site, const QString& repo, const QString& token,
                                       const QString& revision) {
    QString base = site.toString(QUrl::RemoveQuery | QUrl::RemoveFragment);
    while (base.endsWith(QLatin1Char('/'))) base.chop(1);
    QUrl url(base + QStringLiteral("/api/v1/models/") + repo + QStringLiteral("/repo/files"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("Revision"), revision);
    query.addQueryItem(QStringLiteral("Recursive"), QStringLiteral("true"));
    url.setQuery(query);
    QNetworkRequest request(url);
    // The API refuses some clients that do not name themselves.
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Ponder"));
    request.setRawHeader("Accept", "application/json");
    if (!token.isEmpty()) request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    return request;
}

ModelScopeLookup modelScopeFileFromJson(const QByteArray& json, const QString& repo, const QString& path) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (document.isNull())
        return failure(QCoreApplication::translate("ModelScope", "ModelScope's file list for %1 is not valid JSON (%2 at offset %3).")
                           .arg(repo, parseError.errorString())
                           .arg(parseError.offset));
    if (!document.isObject()) return failure(QCoreApplication::translate("ModelScope", "ModelScope's file list for %1 is not a JSON object.").arg(repo));
    const QJsonObject root = document.object();
    const QJsonValue code = root.value(QLatin1String("Code"));
    if (!code.isUndefined() && code.toInt(-1) != 200)
        return failure(QCoreApplication::translate("ModelScope", "ModelScope answered code %1 for %2: %3")
                           .arg(code.toVariant().toString(), repo, root.value(QLatin1String("Message")).toString()));
    const QJsonValue files = root.value(QLatin1String("Data")).toObject().value(QLatin1String("Files"));
    if (!files.isArray()) return failure(QCoreApplication::translate("ModelScope", "ModelScope's file list for %1 has no Data.Files list.").arg(repo));
    for (const QJsonValue& value : files.toArray()) {
        const QJsonObject file = value.toObject();
        if (file.value(QLatin1String("Type")).toString() == QLatin1String("tree")) continue; // a folder
        if (file.value(QLatin1String("Path")).toString() != path) continue;
        ModelScopeLookup result;
        const QString sha = file.value(QLatin1String("Sha256")).toString();
        if (isSha256Hex(sha))
            result.meta.sha256 = sha.toLower();
        else if (!sha.isEmpty())
            return failure(QCoreApplication::translate("ModelScope", "ModelScope lists %1 in %2 with \"%3\" as its SHA-256, which is not one.")
                               .arg(path, repo, sha));
        const QJsonValue size = file.value(QLatin1String("Size"));
        if (size.isDouble() && size.toDouble() >= 0) result.meta.size = qint64(size.toDouble());
        return result;
    }
    return failure(QCoreApplication::translate("ModelScope", "ModelScope's repository %1 has no file %2.").arg(repo, path));
}

ModelScopeLookup modelScopeFileFromReply(QNetworkReply& reply, const QString& repo, const QString& path) {
    const int status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 404) return failure(QCoreApplication::translate("ModelScope", "ModelScope has no repository %1 (HTTP 404).").arg(repo));
    if (status == 401 || status == 403)
        return failure(QCoreApplication::translate("ModelScope", "ModelScope refused the file list of %1 with HTTP %2; the repository may need an access "
                          "token.")
                           .arg(repo)
                           .arg(status));
    if (status != 200) {
        if (reply.error() != QNetworkReply::NoError && status == 0)
            return failure(QCoreApplication::translate("ModelScope", "Could not read ModelScope's file list for %1: %2").arg(repo, reply.errorString()));
        return failure(QCoreApplication::translate("ModelScope", "ModelScope answered HTTP %1 for the file list of %2.").arg(status).arg(repo));
    }
    return modelScopeFileFromJson(reply.readAll(), repo, path);
}

} // namespace ponder::download
