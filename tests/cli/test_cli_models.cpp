// ponder-cli models over a scratch home: the data folder from PONDER_DATA_DIR, the app's settings under
// XDG_CONFIG_HOME, an LM Studio folder under HOME and an Ollama store from OLLAMA_MODELS. list (--json) shows
// every store's models with ids and fit; import copies, moves or lists in place; rm deletes only from
// Ponder's folder and refuses other apps' models, naming their store.
#include "test_support.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ponder::test;

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
