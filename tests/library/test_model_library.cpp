// The model library over real files written by the engine's synth code: GGUF (dense and MoE) and Hugging Face
// models in nested folders, a truncated .gguf listed with the loader's own message, one model reached through
// two folders listed once, the list model under QAbstractItemModelTester, and ModelLibrary writing the test
// model off the GUI thread and remembering the folders added.
#include "library/model_library.h"
#include "library/model_scan.h"
#include "library/test_model.h"
#include "model/model_file.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <exception>

using namespace ponder;
using namespace ponder::library;

namespace {

void writeModel(const QString& path, const std::string& preset, SynthFormat format = SynthFormat::Gguf)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    SynthOptions o;
    o.preset = preset;
    o.format = format;
    o.tokenizerDir = test::tokenizerJson().parent_path();
    o.out = path.toStdString();
    writeSyntheticModel(o);
}

const ModelEntry* find(const std::vector<ModelEntry>& entries, const QString& fileName)
{
    for (const ModelEntry& e : entries)
        if (QFileInfo(e.path).fileName() == fileName)
            return &e;
    return nullptr;
}

QString openError(const QString& path)
{
    try {
        ModelFile::open(path.toStdString());
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestModelLibrary : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString root_; // models/: dense.gguf, deeper/still/moe.gguf, hf-dense/ (HF), broken.gguf, notes.txt

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PonderTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_model_library"));
        QSettings().clear();
        root_ = dir_.filePath(QStringLiteral("models"));
        writeModel(root_ + QStringLiteral("/dense.gguf"), "tiny-dense");
        writeModel(root_ + QStringLiteral("/deeper/still/moe.gguf"), "tiny-moe");
        writeModel(root_ + QStringLiteral("/hf-dense"), "tiny-dense", SynthFormat::HuggingFace);
        // The first kilobyte of a real model: the header promises more than the file holds.
        QFile dense(root_ + QStringLiteral("/dense.gguf"));
        QVERIFY(dense.open(QIODevice::ReadOnly));
        QFile broken(root_ + QStringLiteral("/broken.gguf"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write(dense.read(1024));
        broken.close();
        QFile notes(root_ + QStringLiteral("/notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not a model");
    }

    void scanReadsEveryModelInNestedFolders()
    {
        const auto entries = scanModels({{root_, QStringLiteral("folder")}});
        QCOMPARE(entries.size(), std::size_t(4)); // notes.txt is not a model

        const ModelEntry* dense = find(entries, QStringLiteral("dense.gguf"));
        QVERIFY(dense);
        const auto denseFile = ModelFile::open(dense->path.toStdString());
        QVERIFY2(dense->ok(), qPrintable(dense->error));
        QCOMPARE(dense->source, QStringLiteral("folder"));
        QCOMPARE(dense->format, QStringLiteral("gguf"));
        QCOMPARE(dense->name, QString::fromStdString(denseFile->modelName()));
        QCOMPARE(dense->architecture, QStringLiteral("qwen3"));
        QCOMPARE(dense->parameters, denseFile->parameterCount());
        QVERIFY(dense->parameters > 0);
        QVERIFY(!dense->moe);
        QCOMPARE(dense->typeMix, QStringLiteral("F32 100%"));
        QCOMPARE(dense->fileBytes, QFileInfo(dense->path).size());
        QCOMPARE(dense->contextLength, denseFile->config().contextLength);
        QCOMPARE(dense->thinking, QStringLiteral("hybrid")); // the real Qwen3 template
        QVERIFY(!dense->testModel);

        const ModelEntry* moe = find(entries, QStringLiteral("moe.gguf"));
        QVERIFY(moe);
        QVERIFY2(moe->ok(), qPrintable(moe->error));
        QVERIFY(moe->moe);
        QCOMPARE(moe->architecture, QStringLiteral("qwen3moe"));
        QVERIFY(moe->path.endsWith(QStringLiteral("/deeper/still/moe.gguf")));

        const ModelEntry* hf = find(entries, QStringLiteral("hf-dense"));
        QVERIFY(hf);
        QVERIFY2(hf->ok(), qPrintable(hf->error));
        QCOMPARE(hf->format, QStringLiteral("huggingface"));
        QVERIFY(QFileInfo(hf->path).isDir());
        QCOMPARE(hf->parameters, dense->parameters); // the same preset in the other format

        const ModelEntry* broken = find(entries, QStringLiteral("broken.gguf"));
        QVERIFY(broken);
        QVERIFY(!broken->ok());
        QCOMPARE(broken->name, QStringLiteral("broken.gguf"));
        QCOMPARE(broken->error, openError(broken->path)); // the loader's own message
        QVERIFY(!broken->error.isEmpty());
    }

    void aModelReachedTwiceIsListedOnce()
    {
        // The nested folder added on its own, and a link to dense.gguf from elsewhere.
        const QString elsewhere = dir_.filePath(QStringLiteral("elsewhere"));
        QVERIFY(QDir().mkpath(elsewhere));
        QVERIFY(QFile::link(root_ + QStringLiteral("/dense.gguf"), elsewhere + QStringLiteral("/linked.gguf")));
        const auto entries = scanModels({{root_, QStringLiteral("ponder")},
                                         {root_ + QStringLiteral("/deeper"), QStringLiteral("folder")},
                                         {elsewhere, QStringLiteral("folder")},
                                         {root_, QStringLiteral("folder")}});
        QCOMPARE(entries.size(), std::size_t(4));
        for (const ModelEntry& e : entries)
            QCOMPARE(e.source, QStringLiteral("ponder")); // the first folder to reach each one
        QVERIFY(find(entries, QStringLiteral("dense.gguf")));
        QVERIFY(!find(entries, QStringLiteral("linked.gguf")));
        QVERIFY(scanModels({{dir_.filePath(QStringLiteral("missing")), QStringLiteral("folder")}}).empty());
    }

    void listModelServesTheEntries()
    {
        ModelLibraryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy count(&model, &ModelLibraryModel::countChanged);
        auto entries = scanModels({{root_, QStringLiteral("folder")}});
        model.setEntries(entries);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(count.size(), 1);
        const QHash<int, QByteArray> roles = model.roleNames();
        const auto role = [&roles](const char* name) { return roles.key(name, -1); };
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex index = model.index(row);
            const ModelEntry& e = entries[static_cast<std::size_t>(row)];
            QCOMPARE(model.data(index, role("path")).toString(), e.path);
            QCOMPARE(model.data(index, role("name")).toString(), e.name);
            QCOMPARE(model.data(index, role("moe")).toBool(), e.moe);
            QCOMPARE(model.data(index, role("typeMix")).toString(), e.typeMix);
            QCOMPARE(model.data(index, role("contextLength")).toLongLong(), e.contextLength);
            QCOMPARE(model.data(index, role("thinking")).toString(), e.thinking);
            QCOMPARE(model.data(index, role("error")).toString(), e.error);
            QCOMPARE(model.data(index, role("parametersText")).toString(),
                     e.ok() ? parameterCountText(e.parameters) : QString());
            QCOMPARE(model.indexOfPath(e.path), row);
        }
        QCOMPARE(model.indexOfPath(dir_.filePath(QStringLiteral("nothing.gguf"))), -1);
        model.setEntries({entries.front()});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(count.size(), 2);
        model.setEntries({});
        QCOMPARE(model.rowCount(), 0);
    }

    void parameterCountsReadShort()
    {
        QCOMPARE(parameterCountText(596'049'920), QStringLiteral("596.0 M"));
        QCOMPARE(parameterCountText(30'532'122'624), QStringLiteral("30.53 B"));
        QCOMPARE(parameterCountText(12'345), QStringLiteral("12.3 K"));
        QCOMPARE(parameterCountText(999), QStringLiteral("999"));
    }

    void libraryWritesTheTestModelAndRemembersFolders()
    {
        const QString modelsFolder = dir_.filePath(QStringLiteral("data/models"));
        {
            ModelLibrary library(modelsFolder, QString::fromStdString(test::tokenizerJson().parent_path().string()), {});
            QSignalSpy scanned(&library, &ModelLibrary::scanned);
            QVERIFY(library.scanning());
            QVERIFY(scanned.wait(30000));
            QCOMPARE(library.entries()->count(), 0); // the folder does not exist yet

            QSignalSpy created(&library, &ModelLibrary::testModelCreated);
            library.createTestModel();
            QVERIFY(library.creatingTestModel());
            QVERIFY(created.wait(60000));
            QCOMPARE(created.first().at(0).toString(), QFileInfo(library.testModelPath()).canonicalFilePath());
            QVERIFY(library.testModelError().isEmpty());
            QTRY_COMPARE_WITH_TIMEOUT(library.entries()->count(), 1, 30000);
            const ModelEntry& test = library.entries()->entries().front();
            QVERIFY2(test.ok(), qPrintable(test.error));
            QVERIFY(test.testModel);
            QCOMPARE(test.source, QStringLiteral("ponder"));
            QCOMPARE(test.typeMix.section(QLatin1Char(' '), 0, 0), QStringLiteral("Q8_0")); // mostly Q8_0

            library.addFolder(QUrl::fromLocalFile(root_));
            library.addFolderPath(root_); // again: nothing changes
            QCOMPARE(library.folders(), QStringList{root_});
            QTRY_VERIFY_WITH_TIMEOUT(!library.scanning() && library.entries()->count() == 5, 30000);
        }
        {
            ModelLibrary again(modelsFolder, QString(), {});
            QCOMPARE(again.folders(), QStringList{root_}); // remembered
            QSignalSpy scanned(&again, &ModelLibrary::scanned);
            QVERIFY(scanned.wait(30000));
            QCOMPARE(again.entries()->count(), 5);
            again.removeFolder(root_);
            QVERIFY(again.folders().isEmpty());
        }
    }

    void aMissingTokenizerIsReportedAndNothingIsWritten()
    {
        const QString modelsFolder = dir_.filePath(QStringLiteral("data2/models"));
        ModelLibrary library(modelsFolder, dir_.filePath(QStringLiteral("no-tokenizer")), {});
        QSignalSpy changed(&library, &ModelLibrary::creatingTestModelChanged);
        QSignalSpy created(&library, &ModelLibrary::testModelCreated);
        library.createTestModel();
        QTRY_VERIFY_WITH_TIMEOUT(!library.creatingTestModel(), 30000);
        QTRY_VERIFY(!library.testModelError().isEmpty());
        QVERIFY2(library.testModelError().contains(dir_.filePath(QStringLiteral("no-tokenizer"))),
                 qPrintable(library.testModelError()));
        QCOMPARE(created.size(), 0);
        QVERIFY(!QFileInfo::exists(library.testModelPath()));
    }
};

QTEST_GUILESS_MAIN(TestModelLibrary)
#include "test_model_library.moc"
