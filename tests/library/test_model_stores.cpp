// Other apps' stores over fake layouts in a scratch folder, with real synthetic GGUF and Hugging Face models:
// the Hugging Face cache (snapshots whose files link to blobs, one blob reached from two snapshots), Ollama
// (manifests naming blobs; a manifest that is not JSON, one naming a missing blob, one whose blob is not a
// model), LM Studio and GPT4All folders; the roots taken from the environment; one entry per model across
// stores (the same file, and copies found by content); hidden entries remembered by ModelLibrary.
#include "library/library_scan.h"
#include "library/model_identity.h"
#include "library/model_library.h"
#include "library/model_stores.h"
#include "model/model_file.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <exception>

using namespace ponder;
using namespace ponder::library;

namespace {

void writeModel(const QString& path, const std::string& preset, std::uint64_t seed,
                SynthFormat format = SynthFormat::Gguf)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    SynthOptions o;
    o.preset = preset;
    o.format = format;
    o.type = format == SynthFormat::Gguf ? "q8_0" : "bf16"; // small files
    o.seed = seed;
    o.tokenizerDir = test::tokenizerJson().parent_path();
    o.out = path.toStdString();
    writeSyntheticModel(o);
}

QString sha256Of(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return QString::fromLatin1(hash.result().toHex());
}

// Moves `file` into `blobs` under its hash and leaves a relative link in its place, as huggingface_hub does.
void turnIntoBlobLink(const QString& file, const QString& blobs)
{
    QDir().mkpath(blobs);
    const QString blob = QDir(blobs).filePath(sha256Of(file));
    if (!QFileInfo::exists(blob))
        QVERIFY(QFile::rename(file, blob));
    else
        QVERIFY(QFile::remove(file));
    QVERIFY(QFile::link(QFileInfo(file).absoluteDir().relativeFilePath(blob), file));
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

QByteArray manifest(const QString& modelDigest)
{
    const QJsonObject config{{"mediaType", "application/vnd.docker.container.image.v1+json"}, {"digest", "sha256:00"}};
    const QJsonArray layers{
        QJsonObject{{"mediaType", "application/vnd.ollama.image.model"}, {"digest", modelDigest}, {"size", 1}},
        QJsonObject{{"mediaType", "application/vnd.ollama.image.template"}, {"digest", "sha256:11"}, {"size", 1}},
    };
    return QJsonDocument(QJsonObject{{"schemaVersion", 2}, {"config", config}, {"layers", layers}}).toJson();
}

QString loaderError(const QString& path)
{
    try {
        ModelFile::open(path.toStdString());
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

std::vector<const ModelEntry*> from(const std::vector<ModelEntry>& entries, const QString& source)
{
    std::vector<const ModelEntry*> out;
    for (const ModelEntry& e : entries)
        if (e.source == source)
            out.push_back(&e);
    return out;
}

const ModelEntry* named(const std::vector<ModelEntry>& entries, const QString& name)
{
    for (const ModelEntry& e : entries)
        if (e.name == name)
            return &e;
    return nullptr;
}

const ModelEntry* atPath(const std::vector<ModelEntry>& entries, const QString& path)
{
    const QString canonical = QFileInfo(path).canonicalFilePath();
    for (const ModelEntry& e : entries)
        for (const ModelLocation& l : e.locations)
            if (l.path == canonical)
                return &e;
    return nullptr;
}

} // namespace

class TestModelStores : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    StoreRoots roots_;
    QString hfGgufBlob_;   // the HF GGUF blob (linked from two snapshots, copied into GPT4All)
    QString hfFolder_;     // the HF safetensors snapshot folder
    QString ollamaBlob_;   // tiny:latest's blob (also copied into Ponder's folder)
    QString junkBlob_;     // junk:latest's blob: not a model
    QString lmStudioFile_;
    QString gpt4allCopy_;
    QString ponderCopy_;   // the Ollama blob imported into Ponder's folder

    QString path(const QString& relative) const { return dir_.filePath(relative); }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PonderTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_model_stores"));
        QSettings().clear();

        // Hugging Face: a GGUF repo with two revisions sharing the blob, and a safetensors repo.
        const QString hub = path("hf/hub");
        const QString ggufRepo = hub + "/models--Qwen--Tiny-GGUF";
        writeModel(ggufRepo + "/snapshots/rev1/tiny-q8_0.gguf", "tiny-dense", 1);
        QDir().mkpath(ggufRepo + "/snapshots/rev2");
        QVERIFY(QFile::copy(ggufRepo + "/snapshots/rev1/tiny-q8_0.gguf", ggufRepo + "/snapshots/rev2/tiny-q8_0.gguf"));
        turnIntoBlobLink(ggufRepo + "/snapshots/rev1/tiny-q8_0.gguf", ggufRepo + "/blobs");
        turnIntoBlobLink(ggufRepo + "/snapshots/rev2/tiny-q8_0.gguf", ggufRepo + "/blobs");
        hfGgufBlob_ = QFileInfo(ggufRepo + "/snapshots/rev1/tiny-q8_0.gguf").canonicalFilePath();
        QVERIFY(hfGgufBlob_.contains("/blobs/"));
        const QString stRepo = hub + "/models--Qwen--Tiny";
        hfFolder_ = stRepo + "/snapshots/abc123";
        writeModel(hfFolder_, "tiny-moe", 2, SynthFormat::HuggingFace);
        for (const QString& name : QDir(hfFolder_).entryList(QDir::Files))
            turnIntoBlobLink(QDir(hfFolder_).filePath(name), stRepo + "/blobs");
        // Not a repo: ignored.
        writeFile(hub + "/version.txt", "1");

        // Ollama: a model, a manifest that is not JSON, one naming a missing blob, one whose blob is junk.
        const QString ollama = path("ollama");
        const QString scratch = path("scratch/ollama-model.gguf");
        writeModel(scratch, "tiny-dense", 3);
        const QString hex = sha256Of(scratch);
        ollamaBlob_ = ollama + "/blobs/sha256-" + hex;
        QDir().mkpath(ollama + "/blobs");
        QVERIFY(QFile::rename(scratch, ollamaBlob_));
        const QString manifests = ollama + "/manifests/registry.ollama.ai";
        writeFile(manifests + "/library/tiny/latest", manifest("sha256:" + hex));
        writeFile(manifests + "/someone/custom/q8", manifest("sha256:" + hex)); // the same blob, another name
        writeFile(manifests + "/library/broken/latest", "{\"layers\": [");
        writeFile(manifests + "/library/gone/1b", manifest("sha256:" + QString(64, QLatin1Char('e'))));
        junkBlob_ = ollama + "/blobs/sha256-" + QString(64, QLatin1Char('f'));
        writeFile(junkBlob_, "not a model at all");
        writeFile(manifests + "/library/junk/latest", manifest("sha256:" + QString(64, QLatin1Char('f'))));
        writeFile(manifests + "/library/nolayer/latest", "{\"layers\": []}");

        // LM Studio (publisher/repo/file) and GPT4All (a copy of the HF blob, found again by its content).
        lmStudioFile_ = path("lmstudio/models/qwen/Tiny-GGUF/tiny-lm.gguf");
        writeModel(lmStudioFile_, "tiny-dense-untied", 4);
        gpt4allCopy_ = path("gpt4all/Tiny-Q8.gguf");
        QDir().mkpath(path("gpt4all"));
        QVERIFY(QFile::copy(hfGgufBlob_, gpt4allCopy_));

        // Ponder's own folder holds a copy of the Ollama blob (imported).
        ponderCopy_ = path("data/models/imported.gguf");
        QDir().mkpath(path("data/models"));
        QVERIFY(QFile::copy(ollamaBlob_, ponderCopy_));

        roots_.huggingFaceHub = hub;
        roots_.lmStudio = {path("lmstudio/models"), path("no-such-folder")};
        roots_.ollama = ollama;
        roots_.gpt4all = path("gpt4all");
    }

    void rootsComeFromTheEnvironment()
    {
        const QString home = QStringLiteral("/home/u");
        QProcessEnvironment env;
        StoreRoots r = storeRootsFromEnvironment(env, home);
        QCOMPARE(r.huggingFaceHub, QStringLiteral("/home/u/.cache/huggingface/hub"));
        QCOMPARE(r.lmStudio, (QStringList{"/home/u/.lmstudio/models", "/home/u/.cache/lm-studio/models"}));
        QCOMPARE(r.ollama, QStringLiteral("/home/u/.ollama/models"));
        QCOMPARE(r.gpt4all, QStringLiteral("/home/u/.local/share/nomic.ai/GPT4All"));

        env.insert("XDG_CACHE_HOME", "/c");
        env.insert("XDG_DATA_HOME", "/d");
        r = storeRootsFromEnvironment(env, home);
        QCOMPARE(r.huggingFaceHub, QStringLiteral("/c/huggingface/hub"));
        QCOMPARE(r.gpt4all, QStringLiteral("/d/nomic.ai/GPT4All"));
        env.insert("HF_HOME", "/hf");
        QCOMPARE(storeRootsFromEnvironment(env, home).huggingFaceHub, QStringLiteral("/hf/hub"));
        env.insert("HF_HUB_CACHE", "/hub");
        env.insert("OLLAMA_MODELS", "/models/ollama");
        r = storeRootsFromEnvironment(env, home);
        QCOMPARE(r.huggingFaceHub, QStringLiteral("/hub"));
        QCOMPARE(r.ollama, QStringLiteral("/models/ollama"));
        QVERIFY(!r.empty());
        QVERIFY(StoreRoots{}.empty());
        env.insert("PONDER_NO_MODEL_STORES", "1");
        QVERIFY(storeRootsFromEnvironment(env, home).empty());
    }

    void eachStoreIsReadInPlace()
    {
        const auto entries = scanStores(roots_);
        for (const ModelEntry& e : entries) {
            QVERIFY2(e.readOnly, qPrintable(e.path));
            QCOMPARE(e.id, modelId(e.path));
            QCOMPARE(e.id.size(), 12);
        }

        // Hugging Face: the blob once although two snapshots link to it, and the safetensors snapshot.
        const auto hf = from(entries, "huggingface");
        QCOMPARE(hf.size(), std::size_t(2));
        const ModelEntry* gguf = atPath(entries, hfGgufBlob_);
        QVERIFY(gguf);
        QVERIFY2(gguf->ok(), qPrintable(gguf->error));
        QCOMPARE(gguf->path, hfGgufBlob_);
        QCOMPARE(gguf->format, QStringLiteral("gguf"));
        const ModelEntry* folder = atPath(entries, hfFolder_);
        QVERIFY(folder);
        QVERIFY2(folder->ok(), qPrintable(folder->error));
        QCOMPARE(folder->format, QStringLiteral("huggingface"));
        QVERIFY(folder->moe);

        // Ollama: named model:tag (namespace/model:tag outside "library"), the blob used in place.
        const ModelEntry* tiny = named(entries, "tiny:latest");
        QVERIFY(tiny);
        QVERIFY2(tiny->ok(), qPrintable(tiny->error));
        QCOMPARE(tiny->path, QFileInfo(ollamaBlob_).canonicalFilePath());
        QCOMPARE(tiny->source, QStringLiteral("ollama"));
        QCOMPARE(tiny->parameters, ModelFile::open(ollamaBlob_.toStdString())->parameterCount());
        QVERIFY(named(entries, "someone/custom:q8"));
        const ModelEntry* broken = named(entries, "broken:latest");
        QVERIFY(broken);
        QVERIFY2(broken->error.contains("not a JSON object") && broken->error.contains("library/broken/latest"),
                 qPrintable(broken->error));
        const ModelEntry* gone = named(entries, "gone:1b");
        QVERIFY(gone);
        QVERIFY2(gone->error.contains("missing") && gone->error.contains(QString(64, QLatin1Char('e'))),
                 qPrintable(gone->error));
        const ModelEntry* junk = named(entries, "junk:latest");
        QVERIFY(junk);
        QCOMPARE(junk->error, loaderError(QFileInfo(junkBlob_).canonicalFilePath())); // the loader's own message
        QVERIFY(!junk->error.isEmpty());
        const ModelEntry* noLayer = named(entries, "nolayer:latest");
        QVERIFY(noLayer);
        QVERIFY2(noLayer->error.contains("no model layer"), qPrintable(noLayer->error));
        QCOMPARE(from(entries, "ollama").size(), std::size_t(6));

        // LM Studio and GPT4All.
        const auto lm = from(entries, "lmstudio");
        QCOMPARE(lm.size(), std::size_t(1));
        QCOMPARE(lm.front()->path, QFileInfo(lmStudioFile_).canonicalFilePath());
        QVERIFY(lm.front()->ok());
        const auto g4a = from(entries, "gpt4all");
        QCOMPARE(g4a.size(), std::size_t(1));
        QCOMPARE(g4a.front()->path, QFileInfo(gpt4allCopy_).canonicalFilePath());

        QVERIFY(scanStores({}).empty());
    }

    void oneEntryPerModelAcrossStores()
    {
        LibraryPlaces places{path("data/models"), {}, roots_, {}};
        const auto entries = scanLibrary(places);

        // The Ollama blob, its second manifest and Ponder's copy: one entry, Ponder's copy first.
        const ModelEntry* ollama = atPath(entries, ollamaBlob_);
        QVERIFY(ollama);
        QCOMPARE(ollama, atPath(entries, ponderCopy_));
        QCOMPARE(ollama->path, QFileInfo(ponderCopy_).canonicalFilePath());
        QCOMPARE(ollama->source, QStringLiteral("ponder"));
        QCOMPARE(ollama->sources(), (QStringList{"ponder", "ollama"}));
        QCOMPARE(ollama->locations.size(), std::size_t(2)); // the blob once, though two manifests name it
        QVERIFY(!ollama->readOnly); // Ponder's copy can go
        QVERIFY(!named(entries, "tiny:latest")); // Ponder's copy names it

        // The HF blob (two snapshots) and GPT4All's copy of it: one entry.
        const ModelEntry* hf = atPath(entries, hfGgufBlob_);
        QVERIFY(hf);
        QCOMPARE(hf, atPath(entries, gpt4allCopy_));
        QCOMPARE(hf->sources(), (QStringList{"huggingface", "gpt4all"}));
        QVERIFY(hf->readOnly);

        // Models with other content stay apart: the Ollama model and the HF one share a preset, not a seed.
        QVERIFY(hf != ollama);
        const ModelEntry* lm = atPath(entries, lmStudioFile_);
        QVERIFY(lm && lm != hf && lm != ollama);

        // ponder+ollama, hf+gpt4all, hf folder, lmstudio, custom:q8 joined the blob, 4 failed manifests/blobs.
        QCOMPARE(entries.size(), std::size_t(8));
        QStringList ids;
        for (const ModelEntry& e : entries)
            ids << e.id;
        ids.removeDuplicates();
        QCOMPARE(ids.size(), 8);
        QVERIFY(std::is_sorted(entries.begin(), entries.end(), [](const ModelEntry& a, const ModelEntry& b) {
            return QString::localeAwareCompare(a.name, b.name) < 0;
        }));

        // An added folder reaching the same files adds a location, not an entry.
        places.folders = {path("gpt4all"), lmStudioFile_};
        const auto again = scanLibrary(places);
        QCOMPARE(again.size(), std::size_t(8));
        QCOMPARE(atPath(again, gpt4allCopy_)->sources(), (QStringList{"folder", "huggingface", "gpt4all"}));
        QCOMPARE(atPath(again, lmStudioFile_)->sources(), (QStringList{"folder", "lmstudio"}));

        places.hidden = {hf->id};
        for (const ModelEntry& e : scanLibrary(places))
            QCOMPARE(e.hidden, e.id == hf->id);
    }

    void fingerprintsTellCopiesFromOthers()
    {
        QCOMPARE(contentFingerprint(gpt4allCopy_), contentFingerprint(hfGgufBlob_));
        QVERIFY(contentFingerprint(lmStudioFile_) != contentFingerprint(hfGgufBlob_));
        QVERIFY(!contentFingerprint(hfFolder_).isEmpty());
        QVERIFY(contentFingerprint(path("nothing-here")).isEmpty());
        // The same size and head, another tail: not a copy.
        const QString changed = path("scratch/changed.gguf");
        QVERIFY(QFile::copy(hfGgufBlob_, changed));
        QFile file(changed);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(file.size() - 1));
        const char last = file.read(1).at(0);
        QVERIFY(file.seek(file.size() - 1));
        file.write(QByteArray(1, static_cast<char>(last ^ 0x5a)));
        file.close();
        QCOMPARE(QFileInfo(changed).size(), QFileInfo(hfGgufBlob_).size());
        QVERIFY(contentFingerprint(changed) != contentFingerprint(hfGgufBlob_));
    }

    void hiddenEntriesAreRemembered()
    {
        QString id;
        {
            ModelLibrary library(path("data/models"), QString(), roots_);
            QSignalSpy scanned(&library, &ModelLibrary::scanned);
            QVERIFY(scanned.wait(60000));
            ModelLibraryModel* model = library.entries();
            QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            QCOMPARE(model->count(), 8);
            const int row = model->indexOfPath(lmStudioFile_);
            QVERIFY(row >= 0);
            const QHash<int, QByteArray> roles = model->roleNames();
            const auto role = [&roles](const char* name) { return roles.key(name, -1); };
            const QModelIndex index = model->index(row);
            id = model->data(index, role("id")).toString();
            QCOMPARE(id, modelId(QFileInfo(lmStudioFile_).canonicalFilePath()));
            QVERIFY(model->data(index, role("readOnly")).toBool());
            QCOMPARE(model->data(index, role("sources")).toStringList(), QStringList{"lmstudio"});
            QCOMPARE(model->data(index, role("locations")).toList().size(), 1);
            QVERIFY(!model->data(index, role("hidden")).toBool());

            QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
            QSignalSpy hiddenChanged(&library, &ModelLibrary::hiddenChanged);
            library.hide(id);
            library.hide(id); // again: nothing changes
            QCOMPARE(hiddenChanged.size(), 1);
            QCOMPARE(changed.size(), 1);
            QVERIFY(model->data(index, role("hidden")).toBool());
            QCOMPARE(library.hiddenIds(), QStringList{id});
            // Only the hidden flag moved; every other row is as it was.
            for (int r = 0; r < model->rowCount(); ++r)
                QCOMPARE(model->data(model->index(r), role("hidden")).toBool(), r == row);
        }
        {
            ModelLibrary again(path("data/models"), QString(), roots_);
            QCOMPARE(again.hiddenIds(), QStringList{id}); // remembered
            QSignalSpy scanned(&again, &ModelLibrary::scanned);
            QVERIFY(scanned.wait(60000));
            const int row = again.entries()->indexOfPath(lmStudioFile_);
            QVERIFY(again.entries()->entries().at(static_cast<std::size_t>(row)).hidden);
            again.unhide(id);
            QVERIFY(!again.entries()->entries().at(static_cast<std::size_t>(row)).hidden);
            QVERIFY(again.hiddenIds().isEmpty());
        }
        QVERIFY(QFileInfo::exists(lmStudioFile_)); // hiding never touches the file
    }
};

QTEST_GUILESS_MAIN(TestModelStores)
#include "test_model_stores.moc"
