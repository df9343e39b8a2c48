// The downloader (app/download) against HttpTestServer on 127.0.0.1: whole downloads verified by SHA-256,
// pause and resume with Range, resuming after a dropped line and after a restart, status errors, retries,
// checksum mismatch, the free-space check, servers that ignore Range, the hub's metadata headers, and the
// queue with its list model; ModelScope's file list (parsed from JSON, and fetched from the server to give
// a download its digest).
#include "download/download.h"
#include "download/download_list_model.h"
#include "download/download_queue.h"
#include "download/hub_metadata.h"
#include "download/modelscope_files.h"
#include "http_test_server.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace ponder::download;
using ponder::test::HttpTestServer;

namespace {

QByteArray testContent(int size, quint32 seed = 1) {
    QByteArray data(size, Qt::Uninitialized);
    quint32 x = seed * 2654435761u + 12345u;
    for (int i = 0; i < size; ++i) {
        x = x * 1664525u + 1013904223u;
        data[i] = char(x >> 24);
    }
    return data;
}

QString sha256Hex(const QByteArray& data) {
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& data) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(data), data.size());
}

// Waits for a download to stop in one of the end states (or Paused), failing the test after `ms`.
bool waitSettled(Download& download, int ms = 20000) {
    auto settled = [&] {
        const auto s = download.state();
        return s == Download::State::Finished || s == Download::State::Failed || s == Download::State::Canceled;
    };
    QElapsedTimer clock;
    clock.start();
    while (!settled() && clock.elapsed() < ms) QTest::qWait(10);
    return settled();
}

constexpr RetryPolicy kFastRetries{4, 5, 20};

// A ModelScope file list answer, as its API writes one: a folder entry, then the files.
QByteArray modelScopeList(const QList<QJsonObject>& files) {
    QJsonArray list{QJsonObject{{"Name", "Q4_K_M"}, {"Path", "Q4_K_M"}, {"Type", "tree"}, {"Size", 0}}};
    for (const QJsonObject& file : files) list.append(file);
    return QJsonDocument(QJsonObject{{"Code", 200},
                                     {"Data", QJsonObject{{"Files", list}}},
                                     {"Message", "success"},
                                     {"Success", true}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject modelScopeFile(const QString& path, qint64 size, const QString& sha) {
    return {{"Name", path.section('/', -1)}, {"Path", path}, {"Type", "blob"}, {"Size", size}, {"Sha256", sha},
            {"Revision", "abc123"}};
}

} // namespace

class TestDownload : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<QNetworkAccessManager> network_;
    std::unique_ptr<HttpTestServer> server_;

    QString dest(const QString& name = QStringLiteral("model.bin")) const { return dir_->filePath(name); }

    std::unique_ptr<Download> makeDownload(DownloadRequest request) {
        auto download = std::make_unique<Download>(network_.get(), std::move(request));
        download->setRetryPolicy(kFastRetries);
        return download;
    }

    DownloadRequest requestFor(const QString& path, bool withDigest = true) {
        DownloadRequest request;
        request.url = server_->url(path);
        request.destination = dest();
        if (withDigest) request.expectedSha256 = sha256Hex(server_->content);
        return request;
    }

    void expectDone(const Download& download) {
        QCOMPARE(download.state(), Download::State::Finished);
        QVERIFY2(download.errorString().isEmpty(), qPrintable(download.errorString()));
        QCOMPARE(readAll(dest()), server_->content);
        QVERIFY(!QFile::exists(download.partPath()));
        QCOMPARE(download.bytesDone(), qint64(server_->content.size()));
        QCOMPARE(download.totalBytes(), qint64(server_->content.size()));
    }

private Q_SLOTS:
    void init() {
        dir_ = std::make_unique<QTemporaryDir>();
        QVERIFY(dir_->isValid());
        network_ = std::make_unique<QNetworkAccessManager>();
        network_->setProxy(QNetworkProxy::NoProxy);
        server_ = std::make_unique<HttpTestServer>();
        server_->content = testContent(300 * 1024);
    }

    void cleanup() {
        network_.reset();
        server_.reset();
        dir_.reset();
    }

    void fullDownloadIsVerifiedAndMovedIntoPlace() {
        auto download = makeDownload(requestFor("/files/model.bin"));
        QSignalSpy states(download.get(), &Download::stateChanged);
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
        QCOMPARE(server_->gets().size(), 1);
        QVERIFY(server_->gets()[0].range.isEmpty());
        QVERIFY(states.count() >= 3); // running, verifying, finished
    }

    void pauseAndResumeContinuesWithRange() {
        server_->content = testContent(512 * 1024, 2);
        server_->trickleBytes = 8 * 1024;
        server_->trickleMs = 15;
        auto download = makeDownload(requestFor("/files/model.bin"));
        download->start();
        // Long enough for a speed sample and an estimate of the time left.
        QTRY_VERIFY_WITH_TIMEOUT(download->bytesPerSecond() > 0, 10000);
        QVERIFY(download->secondsLeft() >= 0);
        QVERIFY(download->bytesDone() < server_->content.size());
        download->pause();
        QCOMPARE(download->state(), Download::State::Paused);
        QCOMPARE(download->bytesPerSecond(), 0.0);
        const qint64 kept = QFileInfo(download->partPath()).size();
        QVERIFY(kept > 0);
        QCOMPARE(kept, download->bytesDone());
        QTest::qWait(100); // nothing more is written while paused
        QCOMPARE(QFileInfo(download->partPath()).size(), kept);

        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
        const auto gets = server_->gets();
        QCOMPARE(gets.size(), 2);
        QCOMPARE(gets[1].range, "bytes=" + QByteArray::number(kept) + '-');
    }

    void droppedConnectionResumesFromTheRightOffset() {
        server_->dropAfter = 100000;
        server_->dropTimes = 2;
        auto download = makeDownload(requestFor("/files/model.bin"));
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
        const auto gets = server_->gets();
        QCOMPARE(gets.size(), 3);
        QVERIFY(gets[0].range.isEmpty());
        QCOMPARE(gets[1].range, QByteArray("bytes=100000-"));
        QCOMPARE(gets[2].range, QByteArray("bytes=200000-"));
    }

    void freshDownloadResumesFromAnExistingPart() {
        // What a crash leaves behind: the first bytes in the .part, no object that knew about them.
        const qint64 kept = 70000;
        writeAll(dest() + ".part", server_->content.left(kept));
        auto download = makeDownload(requestFor("/files/model.bin"));
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download); // the digest covers the prefix hashed from the .part
        const auto gets = server_->gets();
        QCOMPARE(gets.size(), 1);
        QCOMPARE(gets[0].range, "bytes=" + QByteArray::number(kept) + '-');
    }

    void completePartIsVerifiedWithoutFetching() {
        writeAll(dest() + ".part", server_->content);
        DownloadRequest request = requestFor("/files/model.bin");
        request.expectedSize = server_->content.size();
        auto download = makeDownload(request);
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
        QCOMPARE(server_->requests.size(), 0);
    }

    void backOffDoublesUpToTheCap() {
        const RetryPolicy policy; // 1, 2, 4, 8 s, then 8 s
        QCOMPARE(policy.delayMs(1), 1000);
        QCOMPARE(policy.delayMs(2), 2000);
        QCOMPARE(policy.delayMs(3), 4000);
        QCOMPARE(policy.delayMs(4), 8000);
        QCOMPARE(policy.delayMs(5), 8000);
        QCOMPARE(policy.delayMs(60), 8000);
    }

    void notFoundFailsAtOnceWithoutTheToken() {
        server_->status = 404;
        DownloadRequest request = requestFor("/files/missing.bin?token=query-secret");
        request.bearerToken = QStringLiteral("hf_secret_token");
        auto download = makeDownload(request);
        download->start();
        QVERIFY(waitSettled(*download));
        QCOMPARE(download->state(), Download::State::Failed);
        const QString error = download->errorString();
        QVERIFY2(error.contains("404") && error.contains("/files/missing.bin"), qPrintable(error));
        QVERIFY2(!error.contains("hf_secret_token") && !error.contains("query-secret"), qPrintable(error));
        QCOMPARE(server_->requests.size(), 1); // the HEAD already says so: no retries, no GET
        QCOMPARE(server_->requests[0].authorization, QByteArray("Bearer hf_secret_token"));
        QVERIFY(!QFile::exists(dest()));
    }

    void forbiddenGetFailsAtOnce() {
        server_->status = 403;
        DownloadRequest request = requestFor("/files/gated.bin");
        request.expectedSize = server_->content.size(); // digest and size known: no HEAD
        auto download = makeDownload(request);
        download->start();
        QVERIFY(waitSettled(*download));
        QCOMPARE(download->state(), Download::State::Failed);
        QVERIFY2(download->errorString().contains("403"), qPrintable(download->errorString()));
        QCOMPARE(server_->requests.size(), 1);
        QCOMPARE(server_->requests[0].method, QByteArray("GET"));
    }

    void serverErrorsAreRetriedThenSucceed() {
        server_->failFirst = 2;
        DownloadRequest request = requestFor("/files/model.bin");
        request.expectedSize = server_->content.size();
        auto download = makeDownload(request);
        QList<Download::State> seen;
        connect(download.get(), &Download::stateChanged, this, [&] { seen.append(download->state()); });
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
        QCOMPARE(server_->gets().size(), 3); // no HEAD: digest and size were known
        QCOMPARE(seen.count(Download::State::Retrying), 2);
    }

    void serverErrorsFailOnceTheAttemptsAreUsedUp() {
        server_->failFirst = 1000;
        DownloadRequest request = requestFor("/files/model.bin");
        request.expectedSize = server_->content.size();
        auto download = makeDownload(request);
        QList<Download::State> seen;
        connect(download.get(), &Download::stateChanged, this, [&] { seen.append(download->state()); });
        download->start();
        QVERIFY(waitSettled(*download));
        QCOMPARE(download->state(), Download::State::Failed);
        QCOMPARE(server_->gets().size(), kFastRetries.maxAttempts);
        QVERIFY(seen.contains(Download::State::Retrying));
        const QString error = download->errorString();
        QVERIFY2(error.contains("500") && error.contains(QString::number(kFastRetries.maxAttempts)), qPrintable(error));
    }

    void wrongChecksumLeavesNoFile() {
        DownloadRequest request = requestFor("/files/model.bin", false);
        const QString wrong = sha256Hex("something else");
        request.expectedSha256 = wrong;
        auto download = makeDownload(request);
        download->start();
        QVERIFY(waitSettled(*download));
        QCOMPARE(download->state(), Download::State::Failed);
        const QString error = download->errorString();
        QVERIFY2(error.contains(wrong) && error.contains(sha256Hex(server_->content)), qPrintable(error));
        QVERIFY(!QFile::exists(dest()));
        QVERIFY(!QFile::exists(download->partPath()));
    }

    void notEnoughFreeSpaceIsRefusedUpFront() {
        auto download = makeDownload(requestFor("/files/model.bin")); // the size comes from the HEAD
        QString askedFolder;
        download->setFreeSpaceProvider([&](const QString& folder) {
            askedFolder = folder;
            return qint64(1000);
        });
        download->start();
        QVERIFY(waitSettled(*download));
        QCOMPARE(download->state(), Download::State::Failed);
        QVERIFY2(download->errorString().contains("free space"), qPrintable(download->errorString()));
        QCOMPARE(QFileInfo(askedFolder).canonicalFilePath(), QFileInfo(dir_->path()).canonicalFilePath());
        QCOMPARE(server_->gets().size(), 0);
        QVERIFY(!QFile::exists(download->partPath()));
    }

    void freeSpaceCountsOnlyTheRemainingBytes() {
        const qint64 kept = server_->content.size() - 1000;
        writeAll(dest() + ".part", server_->content.left(kept));
        DownloadRequest request = requestFor("/files/model.bin");
        request.expectedSize = server_->content.size();
        auto download = makeDownload(request);
        download->setFreeSpaceProvider([](const QString&) { return qint64(1000); });
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
    }

    void freeSpaceIsCheckedFromTheGetWhenNothingElseSaysTheSize() {
        server_->status = 0;
        DownloadRequest request = requestFor("/files/model.bin");
        auto download = makeDownload(request);
        download->setFreeSpaceProvider([](const QString&) { return qint64(1000); });
        server_->failFirst = 1; // the HEAD tells nothing
        download->start();
        QVERIFY(waitSettled(*download));
        QCOMPARE(download->state(), Download::State::Failed);
        QVERIFY2(download->errorString().contains("free space"), qPrintable(download->errorString()));
        QCOMPARE(server_->gets().size(), 1);
        QVERIFY(QFileInfo(download->partPath()).size() == 0);
    }

    void serverIgnoringRangeRestartsCleanly() {
        server_->honorRange = false;
        writeAll(dest() + ".part", testContent(5000, 9)); // not even a prefix: it must all go
        auto download = makeDownload(requestFor("/files/model.bin"));
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
        const auto gets = server_->gets();
        QCOMPARE(gets.size(), 1);
        QCOMPARE(gets[0].range, QByteArray("bytes=5000-"));
    }

    void partLargerThanTheFileStartsOver() {
        // A .part longer than what the server has now (416 for its range): thrown away, fetched afresh.
        writeAll(dest() + ".part", testContent(server_->content.size() + 10, 4));
        DownloadRequest request = requestFor("/files/model.bin");
        auto download = makeDownload(request);
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
    }

    void hubHeadersGiveTheDigest() {
        server_->linkedEtag = sha256Hex(server_->content).toLatin1();
        auto download = makeDownload(requestFor("/resolve/main/model.bin", false));
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
        QCOMPARE(download->expectedSha256(), sha256Hex(server_->content));
        const auto requests = server_->requests;
        QCOMPARE(requests.size(), 3); // HEAD (redirect not followed), GET /resolve, GET /cdn
        QCOMPARE(requests[0].method, QByteArray("HEAD"));
        QCOMPARE(requests[0].path, QByteArray("/resolve/main/model.bin"));
        QCOMPARE(requests[2].path, QByteArray("/cdn/main/model.bin"));
    }

    void tokenIsNotSentToAnotherHost() {
        HttpTestServer cdn; // another origin (port), like the hub's CDN
        cdn.content = server_->content;
        server_->linkedEtag = sha256Hex(server_->content).toLatin1();
        server_->redirectBase = cdn.url(QString()).toString().toLatin1();
        DownloadRequest request = requestFor("/resolve/main/model.bin", false);
        request.bearerToken = QStringLiteral("hf_secret_token");
        auto download = makeDownload(request);
        download->start();
        QVERIFY(waitSettled(*download));
        expectDone(*download);
        QCOMPARE(server_->requests.size(), 2); // HEAD and GET, both with the token
        for (const auto& served : server_->requests)
            QCOMPARE(served.authorization, QByteArray("Bearer hf_secret_token"));
        QCOMPARE(cdn.requests.size(), 1);
        QCOMPARE(cdn.requests[0].path, QByteArray("/cdn/main/model.bin"));
        QVERIFY(cdn.requests[0].authorization.isEmpty());
    }

    void hubDigestMismatchIsRejected() {
        server_->linkedEtag = sha256Hex("another file").toLatin1();
        auto download = makeDownload(requestFor("/resolve/main/model.bin", false));
        download->start();
        QVERIFY(waitSettled(*download));
        QCOMPARE(download->state(), Download::State::Failed);
        QVERIFY2(download->errorString().contains(sha256Hex("another file")), qPrintable(download->errorString()));
        QVERIFY(!QFile::exists(dest()));
        QVERIFY(!QFile::exists(download->partPath()));
    }

    void hubMetadataFromHeaders_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("sha");
        QTest::addColumn<qint64>("size");
        const QByteArray oid = "A3F5C6D7E8F90123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123";
        QTest::newRow("linked etag, quoted") << 302 << QByteArray("X-Linked-Etag") << ('"' + oid + '"')
                                             << QString::fromLatin1(oid).toLower() << qint64(-1);
        QTest::newRow("weak linked etag") << 302 << QByteArray("X-Linked-ETag") << ("W/\"" + oid + '"')
                                          << QString::fromLatin1(oid).toLower() << qint64(-1);
        QTest::newRow("plain etag is not trusted") << 200 << QByteArray("ETag") << ('"' + oid + '"') << QString()
                                                   << qint64(-1);
        QTest::newRow("linked etag that is no sha-256") << 302 << QByteArray("X-Linked-Etag")
                                                        << QByteArray("\"abc\"") << QString() << qint64(-1);
        QTest::newRow("git etag is not a sha-256") << 200 << QByteArray("ETag")
                                                   << QByteArray("\"3f786850e387550fdab836ed7e6dc881de23001b\"")
                                                   << QString() << qint64(-1);
        QTest::newRow("linked size") << 302 << QByteArray("x-linked-size") << QByteArray("123456") << QString()
                                     << qint64(123456);
        QTest::newRow("content length of a 200") << 200 << QByteArray("Content-Length") << QByteArray("77")
                                                 << QString() << qint64(77);
        QTest::newRow("content length of a redirect") << 302 << QByteArray("Content-Length") << QByteArray("77")
                                                      << QString() << qint64(-1);
    }

    void hubMetadataFromHeaders() {
        QFETCH(int, status);
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QFETCH(QString, sha);
        QFETCH(qint64, size);
        const HubMetadata meta = ponder::download::hubMetadataFromHeaders(status, {{name, value}});
        QCOMPARE(meta.sha256, sha);
        QCOMPARE(meta.size, size);
    }

    void modelScopeListGivesDigestAndSize() {
        const QString sha = sha256Hex("model bytes");
        const QByteArray json = modelScopeList({modelScopeFile("README.md", 10, QString()),
                                                modelScopeFile("Qwen3-8B-Q4_K_M.gguf", 5027783488, sha.toUpper()),
                                                modelScopeFile("Q4_K_M/Qwen3-8B-Q4_K_M.gguf", 77, sha256Hex("x"))});
        ModelScopeLookup found = modelScopeFileFromJson(json, "Qwen/Qwen3-8B-GGUF", "Qwen3-8B-Q4_K_M.gguf");
        QVERIFY2(found.ok(), qPrintable(found.error));
        QCOMPARE(found.meta.sha256, sha); // lower case
        QCOMPARE(found.meta.size, qint64(5027783488));
        found = modelScopeFileFromJson(json, "Qwen/Qwen3-8B-GGUF", "Q4_K_M/Qwen3-8B-Q4_K_M.gguf"); // by path
        QCOMPARE(found.meta.sha256, sha256Hex("x"));
        QCOMPARE(found.meta.size, qint64(77));
        found = modelScopeFileFromJson(json, "Qwen/Qwen3-8B-GGUF", "README.md"); // listed without a digest
        QVERIFY(found.ok());
        QVERIFY(found.meta.sha256.isEmpty());
        QCOMPARE(found.meta.size, qint64(10));
    }

    void modelScopeListProblemsAreNamed_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("mentions");
        const QByteArray list = modelScopeList({modelScopeFile("a.gguf", 1, sha256Hex("a"))});
        QTest::newRow("missing file") << list << "b.gguf" << QStringList{"owner/repo", "b.gguf"};
        QTest::newRow("a folder is no file") << list << "Q4_K_M" << QStringList{"no file", "Q4_K_M"};
        QTest::newRow("malformed json") << QByteArray("{\"Code\":200,\"Data\":{\"Files\":[") << "a.gguf"
                                        << QStringList{"owner/repo", "not valid JSON"};
        QTest::newRow("not an object") << QByteArray("[1,2]") << "a.gguf" << QStringList{"not a JSON object"};
        QTest::newRow("error code") << QByteArray(R"({"Code":10010205001,"Message":"repo not exists"})")
                                    << "a.gguf" << QStringList{"10010205001", "repo not exists"};
        QTest::newRow("no file list") << QByteArray(R"({"Code":200,"Data":{}})") << "a.gguf"
                                      << QStringList{"Data.Files"};
        QTest::newRow("digest that is none")
            << modelScopeList({modelScopeFile("a.gguf", 1, "d41d8cd98f00b204e9800998ecf8427e")}) << "a.gguf"
            << QStringList{"d41d8cd98f00b204e9800998ecf8427e", "a.gguf"};
    }

    void modelScopeListProblemsAreNamed() {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QFETCH(QStringList, mentions);
        const ModelScopeLookup lookup = modelScopeFileFromJson(json, "owner/repo", path);
        QVERIFY(!lookup.ok());
        for (const QString& m : mentions) QVERIFY2(lookup.error.contains(m), qPrintable(lookup.error));
    }

    void modelScopeRequestAsksForTheRecursiveList() {
        const QNetworkRequest request = modelScopeFilesRequest(QUrl("https://modelscope.cn/"), "Qwen/Qwen3-8B-GGUF", "ms-token");
        QCOMPARE(request.url(),
                 QUrl("https://modelscope.cn/api/v1/models/Qwen/Qwen3-8B-GGUF/repo/files?Revision=master&Recursive=true"));
        QCOMPARE(request.rawHeader("Authorization"), QByteArray("Bearer ms-token"));
        QVERIFY(!modelScopeFilesRequest(QUrl("https://modelscope.cn"), "a/b").hasRawHeader("Authorization"));
    }

    // The app's way for ModelScope: the file list first, then the download with its digest and size.
    void modelScopeDigestFromTheServerVerifiesTheDownload() {
        for (const bool right : {true, false}) {
            server_->requests.clear();
            QFile::remove(dest());
            const QString sha = right ? sha256Hex(server_->content) : sha256Hex("another file");
            server_->filesJson = modelScopeList({modelScopeFile("model.bin", server_->content.size(), sha)});
            std::unique_ptr<QNetworkReply> reply(network_->get(modelScopeFilesRequest(server_->url(""), "owner/repo")));
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
            const ModelScopeLookup lookup = modelScopeFileFromReply(*reply, "owner/repo", "model.bin");
            QVERIFY2(lookup.ok(), qPrintable(lookup.error));
            QCOMPARE(server_->requests[0].path, QByteArray("/api/v1/models/owner/repo/repo/files?Revision=master&Recursive=true"));
            DownloadRequest request = requestFor("/models/owner/repo/resolve/master/model.bin", false);
            request.expectedSha256 = lookup.meta.sha256;
            request.expectedSize = lookup.meta.size;
            auto download = makeDownload(request);
            download->start();
            QVERIFY(waitSettled(*download));
            if (right) {
                expectDone(*download);
                QCOMPARE(server_->requests.size(), 3); // the list, then GET /resolve and GET /cdn: no HEAD needed
            } else {
                QCOMPARE(download->state(), Download::State::Failed);
                QVERIFY2(download->errorString().contains(sha), qPrintable(download->errorString()));
                QVERIFY(!QFile::exists(dest()));
                QVERIFY(!QFile::exists(download->partPath()));
            }
        }
    }

    void modelScopeStatusErrorsAreNamed() {
        server_->status = 404;
        std::unique_ptr<QNetworkReply> reply(network_->get(modelScopeFilesRequest(server_->url(""), "owner/none")));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        const ModelScopeLookup lookup = modelScopeFileFromReply(*reply, "owner/none", "a.gguf");
        QVERIFY(!lookup.ok());
        QVERIFY2(lookup.error.contains("owner/none") && lookup.error.contains("404"), qPrintable(lookup.error));
    }

    void cancelDeletesThePart() {
        server_->trickleBytes = 4096;
        server_->trickleMs = 10;
        auto download = makeDownload(requestFor("/files/model.bin"));
        download->start();
        QTRY_VERIFY_WITH_TIMEOUT(download->bytesDone() > 0, 10000);
        download->cancel();
        QCOMPARE(download->state(), Download::State::Canceled);
        QVERIFY(!QFile::exists(download->partPath()));
        QTest::qWait(50);
        QVERIFY(!QFile::exists(download->partPath()));
        QVERIFY(!QFile::exists(dest()));
    }

    void queueRunsItemsInOrderAndTheModelFollows() {
        server_->content = testContent(128 * 1024, 5);
        server_->trickleBytes = 32 * 1024;
        server_->trickleMs = 10;
        DownloadQueue queue(network_.get());
        queue.setRetryPolicy(kFastRetries);
        DownloadListModel model(&queue);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        const QStringList names{"a.bin", "b.bin", "c.bin", "d.bin"};
        for (const QString& name : names) {
            DownloadRequest request;
            request.url = server_->url("/files/" + name);
            request.destination = dest(name);
            request.expectedSha256 = sha256Hex(server_->content);
            request.expectedSize = server_->content.size();
            queue.add(request);
        }
        QCOMPARE(inserted.count(), 4);
        QCOMPARE(model.rowCount(), 4);
        auto stateOf = [&](int row) {
            return Download::State(model.data(model.index(row), DownloadListModel::StateRole).toInt());
        };
        QCOMPARE(stateOf(0), Download::State::Running);
        QCOMPARE(stateOf(1), Download::State::Queued);
        QCOMPARE(model.data(model.index(1), DownloadListModel::NameRole).toString(), QString("b.bin"));
        QCOMPARE(model.data(model.index(1), DownloadListModel::UrlRole).toUrl(), server_->url("/files/b.bin"));
        QCOMPARE(model.roleNames().value(DownloadListModel::SecondsLeftRole), QByteArray("secondsLeft"));

        queue.cancel(2); // canceled while waiting: never fetched
        QCOMPARE(stateOf(2), Download::State::Canceled);
        queue.pause(3);
        QCOMPARE(stateOf(3), Download::State::Paused);

        QTRY_COMPARE_WITH_TIMEOUT(stateOf(1), Download::State::Finished, 20000);
        QCOMPARE(stateOf(0), Download::State::Finished);
        QCOMPARE(stateOf(3), Download::State::Paused); // a paused item stays out of line
        queue.resume(3);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(3), Download::State::Finished, 20000);

        const auto gets = server_->gets();
        QCOMPARE(gets.size(), 3);
        QCOMPARE(gets[0].path, QByteArray("/files/a.bin"));
        QCOMPARE(gets[1].path, QByteArray("/files/b.bin"));
        QCOMPARE(gets[2].path, QByteArray("/files/d.bin"));
        for (int row : {0, 1, 3}) {
            const QModelIndex index = model.index(row);
            QCOMPARE(model.data(index, DownloadListModel::BytesRole).toLongLong(), server_->content.size());
            QCOMPARE(model.data(index, DownloadListModel::TotalRole).toLongLong(), server_->content.size());
            QVERIFY(model.data(index, DownloadListModel::ErrorRole).toString().isEmpty());
            QCOMPARE(readAll(dest(names[row])), server_->content);
        }
        QVERIFY(changed.count() >= 6);

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        queue.remove(2);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.data(model.index(2), DownloadListModel::NameRole).toString(), QString("d.bin"));
    }

    void queueRunsTwoAtOnceWhenAsked() {
        server_->trickleBytes = 16 * 1024;
        server_->trickleMs = 10;
        DownloadQueue queue(network_.get());
        queue.setMaxActive(2);
        for (const QString name : {"a.bin", "b.bin", "c.bin"}) {
            DownloadRequest request;
            request.url = server_->url("/files/" + name);
            request.destination = dest(name);
            request.expectedSha256 = sha256Hex(server_->content);
            request.expectedSize = server_->content.size();
            queue.add(request);
        }
        QCOMPARE(queue.at(0)->state(), Download::State::Running);
        QCOMPARE(queue.at(1)->state(), Download::State::Running);
        QCOMPARE(queue.at(2)->state(), Download::State::Queued);
        QTRY_COMPARE_WITH_TIMEOUT(queue.at(2)->state(), Download::State::Finished, 20000);
    }
};

QTEST_GUILESS_MAIN(TestDownload)
#include "test_download.moc"
