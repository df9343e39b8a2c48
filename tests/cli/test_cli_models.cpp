// ponder-cli models over a scratch home: the data folder from PONDER_DATA_DIR, the app's settings under
// XDG_CONFIG_HOME, an LM Studio folder under HOME and an Ollama store from OLLAMA_MODELS. list (--json) shows
// every store's models with ids and fit; import copies, moves or lists in place; rm deletes only from
// Ponder's folder and refuses other apps' models, naming their store. pull fetches from HttpTestServer (the
// download tests' server, answering here while ponder-cli runs) through --endpoint: verified by the hub's
// digest or ModelScope's file list, resumed from a .part, a wrong digest or a 404 leaving nothing, Ctrl-C
// keeping the .part for the next run.
#include "http_test_server.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QProcess>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <functional>

using namespace ponder::test;

namespace {

QByteArray pseudoRandom(int size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    quint32 x = seed * 2654435761u + 1u;
    for (int i = 0; i < size; ++i) {
        x = x * 1664525u + 1013904223u;
        data[i] = char(x >> 24);
    }
    return data;
}

QByteArray sha256Hex(const QByteArray& data) { return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex(); }

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCliModels : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString lmStudio_, ollamaBlob_, outside_, toMove_, inPlace_;

    QString path(const QString& relative) const { return dir_.filePath(relative); }

    static void synth(const QString& out, const QString& seed)
    {
        QDir().mkpath(QFileInfo(out).absolutePath());
        const auto r = runCli({"synth", "--preset", "tiny-dense", "--format", "gguf", "--type", "q8_0", "--seed", seed,
                               // Named: the default follows HOME, which points into the scratch folder.
                               "--tokenizer", QString::fromStdString(tokenizerJson().parent_path().string()), "--out", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    static QJsonArray listed()
    {
        const auto r = runCli({"models", "list", "--json"});
        if (r.exitCode != 0)
            qFatal("models list failed: %s", r.err.constData());
        return QJsonDocument::fromJson(r.out).object()["models"].toArray();
    }

    static QJsonObject entryAt(const QJsonArray& models, const QString& file)
    {
        const QString canonical = QFileInfo(file).canonicalFilePath();
        for (const auto& m : models)
            for (const auto& l : m.toObject()["locations"].toArray())
                if (l.toObject()["path"].toString() == canonical)
                    return m.toObject();
        return {};
    }

    static void expectOneLineError(const ProcessResult& r, int status, const QStringList& mentions)
    {
        QCOMPARE(r.exitCode, status);
        const QString err = QString::fromUtf8(r.err).trimmed();
        QVERIFY2(!err.contains('\n'), qPrintable(err));
        for (const QString& m : mentions)
            QVERIFY2(err.contains(m), qPrintable(err));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        // Everything the CLI reads points into the scratch folder.
        qputenv("HOME", path("home").toUtf8());
        qputenv("XDG_CONFIG_HOME", path("home/.config").toUtf8());
        qputenv("XDG_CACHE_HOME", path("home/.cache").toUtf8());
        qputenv("XDG_DATA_HOME", path("home/.local/share").toUtf8());
        qputenv("PONDER_DATA_DIR", path("data").toUtf8());
        qputenv("OLLAMA_MODELS", path("ollama").toUtf8());
        qunsetenv("PONDER_NO_MODEL_STORES"); // the suites' default; here the stores are the scratch ones
        qunsetenv("HF_HOME");
        qunsetenv("HF_HUB_CACHE");

        lmStudio_ = path("home/.lmstudio/models/qwen/Tiny-GGUF/tiny.gguf");
        synth(lmStudio_, "1");
        const QString scratch = path("scratch/blob.gguf");
        synth(scratch, "2");
        QFile blob(scratch);
        QVERIFY(blob.open(QIODevice::ReadOnly));
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(&blob);
        blob.close();
        const QString hex = QString::fromLatin1(hash.result().toHex());
        QDir().mkpath(path("ollama/blobs"));
        ollamaBlob_ = path("ollama/blobs/sha256-") + hex;
        QVERIFY(QFile::rename(scratch, ollamaBlob_));
        QDir().mkpath(path("ollama/manifests/registry.ollama.ai/library/tiny"));
        QFile manifest(path("ollama/manifests/registry.ollama.ai/library/tiny/latest"));
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write(QJsonDocument(QJsonObject{{"layers", QJsonArray{QJsonObject{
                                                     {"mediaType", "application/vnd.ollama.image.model"},
                                                     {"digest", "sha256:" + hex}}}}})
                           .toJson());
        manifest.close();
        outside_ = path("downloads/outside.gguf");
        synth(outside_, "3");
        toMove_ = path("downloads/to-move.gguf");
        synth(toMove_, "4");
        inPlace_ = path("elsewhere/kept.gguf");
        synth(inPlace_, "5");
    }

    void listShowsOtherStoresReadOnly()
    {
        const QJsonArray models = listed();
        QCOMPARE(models.size(), 2);
        const QJsonObject lm = entryAt(models, lmStudio_);
        QCOMPARE(lm["source"].toString(), "lmstudio");
        QCOMPARE(lm["read_only"].toBool(), true);
        QCOMPARE(lm["id"].toString().size(), 12);
        QCOMPARE(lm["id"].toString(),
                 QString::fromLatin1(QCryptographicHash::hash(QFileInfo(lmStudio_).canonicalFilePath().toUtf8(),
                                                              QCryptographicHash::Sha256)
                                         .toHex()
                                         .left(12)));
        const QJsonObject memory = lm["memory"].toObject();
        QVERIFY(memory["weights_bytes"].toInteger() > 0);
        // tiny-dense: 2 layers, 2 KV heads of 32, fp16 K and V at the default 4096 positions.
        QCOMPARE(memory["kv_cache_bytes"].toInteger(), 2ll * 2 * 32 * 2 * 2 * 4096);
        QCOMPARE(memory["total_bytes"].toInteger(), memory["weights_bytes"].toInteger() +
                                                        memory["kv_cache_bytes"].toInteger() +
                                                        memory["overhead_bytes"].toInteger());
        QVERIFY(QStringList({"gpu", "partial", "cpu", "none"}).contains(lm["fit"].toString()));
        const QJsonObject ollama = entryAt(models, ollamaBlob_);
        QCOMPARE(ollama["name"].toString(), "tiny:latest");
        QCOMPARE(ollama["source"].toString(), "ollama");

        const auto longer = runCli({"models", "list", "--json", "--context", "8192"});
        QCOMPARE(longer.exitCode, 0);
        const QJsonObject again = entryAt(QJsonDocument::fromJson(longer.out).object()["models"].toArray(), lmStudio_);
        QCOMPARE(again["memory"].toObject()["kv_cache_bytes"].toInteger(), 2 * memory["kv_cache_bytes"].toInteger());

        const auto text = runCli({"models", "list"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(lm["id"].toString().toUtf8()) && text.out.contains("tiny:latest") &&
                     text.out.contains("read-only"),
                 text.out.constData());
        const auto scan = runCli({"models", "scan"});
        QCOMPARE(scan.exitCode, 0);
        QVERIFY2(scan.out.startsWith("2 models, 0 that cannot be read"), scan.out.constData());
    }

    void importCopiesMovesOrListsInPlace()
    {
        auto r = runCli({"models", "import", outside_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString copied = path("data/models/outside.gguf");
        QVERIFY(QFileInfo::exists(copied));
        QVERIFY(QFileInfo::exists(outside_)); // a copy by default
        r = runCli({"models", "import", toMove_, "--move"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFileInfo::exists(path("data/models/to-move.gguf")));
        QVERIFY(!QFileInfo::exists(toMove_));
        r = runCli({"models", "import", inPlace_, "--in-place"});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        const QJsonArray models = listed();
        QCOMPARE(models.size(), 5);
        const QJsonObject own = entryAt(models, copied);
        QCOMPARE(own["source"].toString(), "ponder");
        QCOMPARE(own["read_only"].toBool(), false);
        const QJsonObject kept = entryAt(models, inPlace_);
        QCOMPARE(kept["source"].toString(), "folder");
        QCOMPARE(kept["read_only"].toBool(), true);
        QVERIFY2(r.out.contains(kept["id"].toString().toUtf8()), r.out.constData());

        // The same name again, a file that is not a model, two modes, a missing path.
        expectOneLineError(runCli({"models", "import", outside_, "--copy"}), 1, {"already exists"});
        QFile notes(path("downloads/notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not a model");
        notes.close();
        expectOneLineError(runCli({"models", "import", path("downloads/notes.txt")}), 1, {"notes.txt"});
        QVERIFY(!QFileInfo::exists(path("data/models/notes.txt")));
        expectOneLineError(runCli({"models", "import", outside_, "--copy", "--move"}), 2, {"one of"});
        expectOneLineError(runCli({"models", "import", path("nothing.gguf")}), 1, {"nothing.gguf"});
    }

    void rmDeletesOnlyFromPondersFolder()
    {
        const QJsonArray models = listed();
        const QString lmId = entryAt(models, lmStudio_)["id"].toString();
        expectOneLineError(runCli({"models", "rm", lmId}), 1, {"LM Studio", "hide", lmId});
        QVERIFY(QFileInfo::exists(lmStudio_));
        const QString ollamaId = entryAt(models, ollamaBlob_)["id"].toString();
        expectOneLineError(runCli({"models", "rm", ollamaId}), 1, {"Ollama"});
        QVERIFY(QFileInfo::exists(ollamaBlob_));
        const QString keptId = entryAt(models, inPlace_)["id"].toString();
        expectOneLineError(runCli({"models", "rm", keptId}), 1, {"a folder you added"});
        QVERIFY(QFileInfo::exists(inPlace_));

        const QString copied = path("data/models/outside.gguf");
        const QString ownId = entryAt(models, copied)["id"].toString();
        const auto r = runCli({"models", "rm", ownId});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QFileInfo::exists(copied));
        QVERIFY(QFileInfo::exists(outside_)); // the original it was copied from is not Ponder's
        QCOMPARE(listed().size(), 4);
        expectOneLineError(runCli({"models", "rm", ownId}), 1, {ownId, "no model"});
    }

    // ---- models pull: its own data folder, so the library above is not changed by it.

    QString pullModels() const { return path("pulldata/models"); }

    // ponder-cli with the event loop turning, so the server in this process answers; `whileRunning` is
    // called as it runs (to interrupt it).
    ProcessResult runServing(const QStringList& args, const std::function<void(QProcess&)>& whileRunning = {})
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PONDER_DATA_DIR", path("pulldata"));
        env.insert("HF_TOKEN", "hf_pull_test_secret");
        env.insert("MODELSCOPE_API_TOKEN", "ms_pull_test_secret");
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(PONDER_CLI_PATH), args);
        ProcessResult result;
        if (!process.waitForStarted(30000))
            return result;
        QElapsedTimer clock;
        clock.start();
        while (process.state() != QProcess::NotRunning && clock.elapsed() < 120000) {
            QTest::qWait(5);
            if (whileRunning && process.state() == QProcess::Running)
                whileRunning(process);
        }
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
            return result;
        }
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        return result;
    }

    QStringList pullFiles() const { return QDir(pullModels()).entryList(QDir::Files | QDir::Hidden); }

    static void expectNoSecret(const ProcessResult& r)
    {
        for (const QByteArray& text : {r.out, r.err})
            QVERIFY2(!text.contains("pull_test_secret"), text.constData());
    }

    void pullFromTheHubIsVerified()
    {
        HttpTestServer server;
        server.content = pseudoRandom(300 * 1024, 11);
        server.linkedEtag = sha256Hex(server.content);
        const auto r = runServing({"models", "pull", "owner/Tiny-GGUF", "tiny-Q8_0.gguf", "--endpoint", server.url("").toString()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(readAll(pullModels() + "/tiny-Q8_0.gguf"), server.content);
        QCOMPARE(pullFiles(), QStringList{"tiny-Q8_0.gguf"}); // no .part left
        QVERIFY2(r.err.contains("SHA-256 verified: " + server.linkedEtag), r.err.constData());
        QVERIFY2(r.err.contains("tiny-Q8_0.gguf: ") && r.err.contains("(100%)"), r.err.constData()); // progress
        QVERIFY2(r.out.startsWith("downloaded tiny-Q8_0.gguf as "), r.out.constData());
        // The hub's HEAD and GET carry the token, the CDN's GET (same test server, so same origin) too.
        QVERIFY(server.requests.size() >= 2);
        QCOMPARE(server.requests[0].method, QByteArray("HEAD"));
        QCOMPARE(server.requests[0].path, QByteArray("/owner/Tiny-GGUF/resolve/main/tiny-Q8_0.gguf"));
        QCOMPARE(server.requests[0].authorization, QByteArray("Bearer hf_pull_test_secret"));
        expectNoSecret(r);
        // Pulled again: refused, the file kept.
        const auto again = runServing({"models", "pull", "owner/Tiny-GGUF", "tiny-Q8_0.gguf", "--endpoint", server.url("").toString()});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("already exists"), again.err.constData());
        QVERIFY(QFile::remove(pullModels() + "/tiny-Q8_0.gguf"));
    }

    void pullResumesFromAPart()
    {
        HttpTestServer server;
        server.content = pseudoRandom(256 * 1024, 12);
        server.linkedEtag = sha256Hex(server.content);
        QDir().mkpath(pullModels());
        QFile part(pullModels() + "/resumed.gguf.part");
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(server.content.left(70000));
        part.close();
        const auto r = runServing({"models", "pull", "owner/repo", "resumed.gguf", "--endpoint", server.url("").toString()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("resuming"), r.err.constData());
        QCOMPARE(readAll(pullModels() + "/resumed.gguf"), server.content);
        const auto gets = server.gets();
        QVERIFY(!gets.isEmpty());
        QCOMPARE(gets.last().range, QByteArray("bytes=70000-"));
        QCOMPARE(pullFiles(), QStringList{"resumed.gguf"});
        QVERIFY(QFile::remove(pullModels() + "/resumed.gguf"));
    }

    void pullWithAWrongDigestLeavesNothing()
    {
        HttpTestServer server;
        server.content = pseudoRandom(100 * 1024, 13);
        server.linkedEtag = sha256Hex("not these bytes");
        const auto r = runServing({"models", "pull", "owner/repo", "bad.gguf", "--endpoint", server.url("").toString()});
        QCOMPARE(r.exitCode, 1);
        const QByteArray last = r.err.trimmed().split('\n').last();
        QVERIFY2(last.startsWith("ponder-cli: ") && last.contains(server.linkedEtag) && last.contains(sha256Hex(server.content)),
                 r.err.constData());
        QCOMPARE(pullFiles(), QStringList{});
    }

    void pullOfAMissingFileSaysSo()
    {
        HttpTestServer server;
        server.status = 404;
        const auto r = runServing({"models", "pull", "owner/repo", "missing.gguf", "--endpoint", server.url("").toString()});
        QCOMPARE(r.exitCode, 1);
        const QByteArray last = r.err.trimmed().split('\n').last();
        QVERIFY2(last.contains("404") && last.contains("/owner/repo/resolve/main/missing.gguf") && last.contains("no file"),
                 r.err.constData());
        QCOMPARE(pullFiles(), QStringList{});
        // From ModelScope: its file list says there is no such repository.
        const auto ms = runServing({"models", "pull", "owner/none", "x.gguf", "--source", "modelscope", "--endpoint",
                                    server.url("").toString()});
        QCOMPARE(ms.exitCode, 1);
        QVERIFY2(ms.err.contains("owner/none") && ms.err.contains("404"), ms.err.constData());
        QCOMPARE(pullFiles(), QStringList{});
    }

    void pullFromModelScopeUsesItsFileList()
    {
        HttpTestServer server;
        server.content = pseudoRandom(200 * 1024, 14);
        const QByteArray sha = sha256Hex(server.content);
        const auto list = [&](const QByteArray& digest) {
            return QJsonDocument(QJsonObject{{"Code", 200},
                                             {"Data", QJsonObject{{"Files", QJsonArray{QJsonObject{
                                                                     {"Name", "ms.gguf"},
                                                                     {"Path", "Q8_0/ms.gguf"},
                                                                     {"Type", "blob"},
                                                                     {"Size", server.content.size()},
                                                                     {"Sha256", QString::fromLatin1(digest)}}}}}}})
                .toJson();
        };
        server.filesJson = list(sha256Hex("something else"));
        auto r = runServing({"models", "pull", "owner/repo", "Q8_0/ms.gguf", "--source", "modelscope", "--endpoint",
                             server.url("").toString()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(sha256Hex("something else")), r.err.constData());
        QCOMPARE(pullFiles(), QStringList{});

        server.requests.clear();
        server.filesJson = list(sha);
        r = runServing({"models", "pull", "owner/repo", "Q8_0/ms.gguf", "--source", "modelscope", "--endpoint",
                        server.url("").toString()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("SHA-256 verified: " + sha), r.err.constData());
        QCOMPARE(readAll(pullModels() + "/ms.gguf"), server.content);
        QCOMPARE(server.requests[0].path, QByteArray("/api/v1/models/owner/repo/repo/files?Revision=master&Recursive=true"));
        QCOMPARE(server.requests[0].authorization, QByteArray("Bearer ms_pull_test_secret"));
        QCOMPARE(server.requests[1].path, QByteArray("/models/owner/repo/resolve/master/Q8_0/ms.gguf"));
        expectNoSecret(r);
        QVERIFY(QFile::remove(pullModels() + "/ms.gguf"));
    }

    void pullInterruptedKeepsThePartForTheNextRun()
    {
        HttpTestServer server;
        server.content = pseudoRandom(512 * 1024, 15);
        server.linkedEtag = sha256Hex(server.content);
        server.trickleBytes = 8 * 1024;
        server.trickleMs = 20;
        const QString partPath = pullModels() + "/slow.gguf.part";
        bool sent = false;
        const QStringList args{"models", "pull", "owner/repo", "slow.gguf", "--endpoint", server.url("").toString()};
        auto r = runServing(args, [&](QProcess& process) {
            if (!sent && QFileInfo(partPath).size() > 32 * 1024) {
                sent = true;
                ::kill(pid_t(process.processId()), SIGINT);
            }
        });
        QVERIFY(sent);
        QCOMPARE(r.exitCode, 130);
        QVERIFY2(r.err.contains("interrupted") && r.err.contains("slow.gguf.part"), r.err.constData());
        const qint64 kept = QFileInfo(partPath).size();
        QVERIFY(kept > 0 && kept < server.content.size());
        QVERIFY(!QFileInfo::exists(pullModels() + "/slow.gguf"));

        server.trickleBytes = 0;
        server.requests.clear();
        r = runServing(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(readAll(pullModels() + "/slow.gguf"), server.content);
        QCOMPARE(server.gets().last().range, "bytes=" + QByteArray::number(kept) + '-');
        QVERIFY(QFile::remove(pullModels() + "/slow.gguf"));
    }

    void pullBadCallsAreUsageErrors()
    {
        expectOneLineError(runCli({"models", "pull"}), 2, {"REPO FILE"});
        expectOneLineError(runCli({"models", "pull", "owner/repo", "f.gguf", "--source", "nowhere"}), 2, {"--source", "nowhere"});
        expectOneLineError(runCli({"models", "pull", "norepo", "f.gguf"}), 2, {"owner/name"});
        expectOneLineError(runCli({"models", "pull", "https://example.com/f.gguf", "--endpoint", "http://127.0.0.1:1"}), 2,
                           {"--endpoint"});
        expectOneLineError(runCli({"models", "pull", "owner/repo", "f.gguf", "--endpoint", "ftp://example.com"}), 2,
                           {"--endpoint"});
        expectOneLineError(runCli({"models", "pull", "owner/repo", "f.gguf", "--mirror", "https://m.example"}), 2, {"--mirror"});
    }

    void badCallsAreUsageErrors()
    {
        expectOneLineError(runCli({"models"}), 2, {"subcommand"});
        expectOneLineError(runCli({"models", "frobnicate"}), 2, {"frobnicate"});
        expectOneLineError(runCli({"models", "rm"}), 2, {"ID"});
        expectOneLineError(runCli({"models", "scan", "--json"}), 2, {"list"});
        expectOneLineError(runCli({"models", "list", "--context", "0"}), 2, {"--context"});
    }
};

QTEST_GUILESS_MAIN(TestCliModels)
#include "test_cli_models.moc"
