// Importing and deleting model files (app/library/model_files) over real models written by the engine's synth
// code: a copy through "<name>.part" that keeps the original, a move, in place, refusals (a name already
// there, an unfinished part, a file that is not a model, too little free space — with a free-space probe that
// says so — each leaving nothing behind), and deletes of what Ponder owns only. Then ModelLibrary doing the
// same off the GUI thread (importModel, deleteModel refusing other apps' models and the model in use) and
// remembering when a model was last loaded.
#include "library/model_files.h"
#include "library/model_identity.h"
#include "library/model_library.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ponder;
using namespace ponder::library;

namespace {

// Each seed gives other weights: models the library must not take for copies of one another.
void writeModel(const QString& path, SynthFormat format = SynthFormat::Gguf, std::uint64_t seed = 1)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    SynthOptions o;
    o.preset = "tiny-dense";
    o.format = format;
    o.seed = seed;
    o.tokenizerDir = test::tokenizerJson().parent_path();
    o.out = path.toStdString();
    writeSyntheticModel(o);
}

QByteArray contents(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every file under `folder`, relative, sorted: what a failed import must leave as it was.
QStringList filesUnder(const QString& folder)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(folder).relativeFilePath(it.next());
    files.sort();
    return files;
}

qint64 plenty(const QString&) { return qint64(1) << 50; }

ModelEntry entryAt(const QString& path, std::vector<ModelLocation> locations)
{
    ModelEntry e;
    e.path = path;
    e.id = modelId(path);
    e.name = QFileInfo(path).fileName();
    e.source = locations.front().source;
    e.locations = std::move(locations);
    return e;
}

} // namespace

class TestModelFiles : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString path(const QString& relative) const { return dir_.filePath(relative); }
    QString models() const { return path(QStringLiteral("data/models")); }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PonderTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_model_files"));
        QSettings().clear();
        writeModel(path(QStringLiteral("outside/copy-me.gguf")));
        writeModel(path(QStringLiteral("outside/move-me.gguf")));
        writeModel(path(QStringLiteral("outside/stay.gguf")));
        writeModel(path(QStringLiteral("outside/too-big.gguf")));
        writeModel(path(QStringLiteral("outside/hf-model")), SynthFormat::HuggingFace);
        QFile notes(path(QStringLiteral("outside/notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not a model");
    }

    void modesHaveNames()
    {
        QCOMPARE(importModeFromName(QStringLiteral("copy")), ImportMode::Copy);
        QCOMPARE(importModeFromName(QStringLiteral("move")), ImportMode::Move);
        QCOMPARE(importModeFromName(QStringLiteral("inPlace")), ImportMode::InPlace);
        QVERIFY(!importModeFromName(QStringLiteral("link")));
    }

    void copyKeepsTheOriginal()
    {
        const QString from = path(QStringLiteral("outside/copy-me.gguf"));
        const ImportResult r = importModelFiles(from, models(), ImportMode::Copy, plenty);
        QVERIFY2(r.ok, qPrintable(r.error));
        const QString target = QDir(models()).filePath(QStringLiteral("copy-me.gguf"));
        QCOMPARE(r.path, QFileInfo(target).canonicalFilePath());
        QCOMPARE(r.id, modelId(r.path));
        QVERIFY(!r.name.isEmpty());
        QVERIFY(r.warning.isEmpty());
        QVERIFY(QFileInfo::exists(from));
        QCOMPARE(contents(target), contents(from));
        QCOMPARE(filesUnder(models()), QStringList{QStringLiteral("copy-me.gguf")}); // no .part left
    }

    void aFolderIsCopiedWhole()
    {
        const QString from = path(QStringLiteral("outside/hf-model"));
        const ImportResult r = importModelFiles(from, models(), ImportMode::Copy, plenty);
        QVERIFY2(r.ok, qPrintable(r.error));
        const QString target = QDir(models()).filePath(QStringLiteral("hf-model"));
        QVERIFY(QFileInfo(target).isDir());
        QCOMPARE(filesUnder(target), filesUnder(from));
        for (const QString& file : filesUnder(from))
            QCOMPARE(contents(QDir(target).filePath(file)), contents(QDir(from).filePath(file)));
        QCOMPARE(bytesToCopy(target), bytesToCopy(from));
        QVERIFY(bytesToCopy(from) > QFileInfo(QDir(from).filePath(QStringLiteral("config.json"))).size());
    }

    void moveTakesTheOriginal()
    {
        const QString from = path(QStringLiteral("outside/move-me.gguf"));
        const QByteArray before = contents(from);
        const ImportResult r = importModelFiles(from, models(), ImportMode::Move, plenty);
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(!QFileInfo::exists(from));
        QCOMPARE(contents(QDir(models()).filePath(QStringLiteral("move-me.gguf"))), before);
    }

    void inPlaceTouchesNothing()
    {
        const QStringList before = filesUnder(models());
        const QString from = path(QStringLiteral("outside/stay.gguf"));
        const ImportResult r = importModelFiles(from, models(), ImportMode::InPlace, plenty);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.path, QDir::cleanPath(from));
        QCOMPARE(r.id, modelId(QFileInfo(from).canonicalFilePath()));
        QVERIFY(QFileInfo::exists(from));
        QCOMPARE(filesUnder(models()), before);
    }

    void refusalsLeaveNothingBehind()
    {
        const QStringList before = filesUnder(models());
        // The same name again.
        ImportResult r = importModelFiles(path(QStringLiteral("outside/copy-me.gguf")), models(), ImportMode::Copy, plenty);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("already exists")), qPrintable(r.error));
        // Not a model: the loader's message, naming the file.
        r = importModelFiles(path(QStringLiteral("outside/notes.txt")), models(), ImportMode::Copy, plenty);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("notes.txt")), qPrintable(r.error));
        r = importModelFiles(path(QStringLiteral("outside/nothing.gguf")), models(), ImportMode::Move, plenty);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("nothing.gguf")) && r.error.contains(QStringLiteral("no such")), qPrintable(r.error));
        QCOMPARE(filesUnder(models()), before);

        // A download's unfinished part of the same name is never written over.
        QFile part(QDir(models()).filePath(QStringLiteral("stay.gguf.part")));
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write("half a download");
        part.close();
        r = importModelFiles(path(QStringLiteral("outside/stay.gguf")), models(), ImportMode::Copy, plenty);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("stay.gguf.part")), qPrintable(r.error));
        QCOMPARE(contents(part.fileName()), QByteArray("half a download"));
        QVERIFY(!QFileInfo::exists(QDir(models()).filePath(QStringLiteral("stay.gguf"))));
        QVERIFY(part.remove());
    }

    void tooLittleFreeSpaceIsRefusedBeforeCopying()
    {
        QCOMPARE(freeSpaceShortage(100, 100, QStringLiteral("/m")), QString());
        const QString shortage = freeSpaceShortage(1'234'567, 1'000, QStringLiteral("/m"));
        QVERIFY2(shortage.contains(QStringLiteral("1234567 bytes")) && shortage.contains(QStringLiteral("1000 bytes")) &&
                     shortage.contains(QStringLiteral("/m")),
                 qPrintable(shortage));

        const QStringList before = filesUnder(models());
        const QString from = path(QStringLiteral("outside/too-big.gguf"));
        const qint64 size = QFileInfo(from).size();
        QString probed;
        const ImportResult r = importModelFiles(from, models(), ImportMode::Copy, [&](const QString& folder) {
            probed = folder;
            return size - 1;
        });
        QVERIFY(!r.ok);
        QCOMPARE(probed, models());
        QVERIFY2(r.error.contains(QStringLiteral("%1 bytes").arg(size)) && r.error.contains(QStringLiteral("%1 bytes").arg(size - 1)),
                 qPrintable(r.error));
        QCOMPARE(filesUnder(models()), before);
        QVERIFY(QFileInfo::exists(from));
        // Exactly enough is enough.
        const ImportResult fits = importModelFiles(from, models(), ImportMode::Copy, [size](const QString&) { return size; });
        QVERIFY2(fits.ok, qPrintable(fits.error));
    }

    void deleteRemovesOnlyPondersFiles()
    {
        const QString own = QFileInfo(QDir(models()).filePath(QStringLiteral("too-big.gguf"))).canonicalFilePath();
        const QString lmStudio = path(QStringLiteral("outside/stay.gguf"));

        // Another app's model: refused, naming the app and the way out.
        DeleteResult r = deleteOwnedModel(entryAt(lmStudio, {{QStringLiteral("lmstudio"), lmStudio}}), models());
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("LM Studio")) && r.error.contains(QStringLiteral("hide")), qPrintable(r.error));
        QVERIFY(r.removed.isEmpty());
        QVERIFY(QFileInfo::exists(lmStudio));
        // A "ponder" location outside the models folder is not Ponder's either.
        r = deleteOwnedModel(entryAt(lmStudio, {{QStringLiteral("ponder"), lmStudio}}), models());
        QVERIFY(!r.ok);
        QVERIFY(QFileInfo::exists(lmStudio));

        // The model in use: refused.
        const ModelEntry both = entryAt(own, {{QStringLiteral("ponder"), own}, {QStringLiteral("ollama"), lmStudio}});
        r = deleteOwnedModel(both, models(), own);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("loaded")), qPrintable(r.error));
        QVERIFY(QFileInfo::exists(own));

        // Ponder's copy goes; the other store's stays, and is named.
        r = deleteOwnedModel(both, models(), lmStudio);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.removed, QStringList{own});
        QCOMPARE(r.keptIn, QStringList{QStringLiteral("Ollama")});
        QVERIFY(!QFileInfo::exists(own));
        QVERIFY(QFileInfo::exists(lmStudio));

        // A folder model goes whole.
        const QString folder = QFileInfo(QDir(models()).filePath(QStringLiteral("hf-model"))).canonicalFilePath();
        r = deleteOwnedModel(entryAt(folder, {{QStringLiteral("ponder"), folder}}), models());
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(!QFileInfo::exists(folder));
        QVERIFY(r.keptIn.isEmpty());
    }

    // The library imports off the GUI thread, one at a time, and rescans; it deletes its own models only, and
    // never the one in use; it remembers when a model was last loaded.
    void libraryImportsDeletesAndRemembersUse()
    {
        const QString modelsFolder = path(QStringLiteral("lib/models"));
        writeModel(path(QStringLiteral("lib/incoming/first.gguf")), SynthFormat::Gguf, 11);
        writeModel(path(QStringLiteral("lib/incoming/second.gguf")), SynthFormat::Gguf, 12);
        writeModel(path(QStringLiteral("lib/theirs/kept.gguf")), SynthFormat::Gguf, 13);
        const QString theirs = QFileInfo(path(QStringLiteral("lib/theirs/kept.gguf"))).canonicalFilePath();
        {
            ModelLibrary library(modelsFolder, QString(), {});
            QSignalSpy scanned(&library, &ModelLibrary::scanned);
            QVERIFY(scanned.wait(30000));
            QCOMPARE(library.entries()->count(), 0);

            QSignalSpy finished(&library, &ModelLibrary::importFinished);
            QSignalSpy importing(&library, &ModelLibrary::importingChanged);
            library.importModel(QUrl::fromLocalFile(path(QStringLiteral("lib/incoming/first.gguf"))), QStringLiteral("copy"));
            library.importModelPath(path(QStringLiteral("lib/incoming/second.gguf")), QStringLiteral("move"));
            library.importModelPath(theirs, QStringLiteral("inPlace"));
            QVERIFY(library.importing());
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 30000);
            QVERIFY(!library.importing());
            QCOMPARE(importing.size(), 2); // on, then off once the queue ran dry
            for (const auto& f : finished)
                QVERIFY2(f.at(0).toBool(), qPrintable(f.at(1).toString()));
            QVERIFY2(finished.at(0).at(1).toString().startsWith(QStringLiteral("Copied ")), qPrintable(finished.at(0).at(1).toString()));
            QVERIFY2(finished.at(1).at(1).toString().startsWith(QStringLiteral("Moved ")), qPrintable(finished.at(1).at(1).toString()));
            QVERIFY(QFileInfo::exists(path(QStringLiteral("lib/incoming/first.gguf"))));
            QVERIFY(!QFileInfo::exists(path(QStringLiteral("lib/incoming/second.gguf"))));
            QCOMPARE(library.folders(), QStringList{theirs});
            QTRY_VERIFY_WITH_TIMEOUT(!library.scanning() && library.entries()->count() == 3, 30000);

            // A refusal reports why; a mode that does not exist too.
            library.importModelPath(path(QStringLiteral("lib/incoming/first.gguf")), QStringLiteral("copy"));
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, 30000);
            QVERIFY(!finished.last().at(0).toBool());
            QVERIFY(finished.last().at(1).toString().contains(QStringLiteral("already exists")));
            library.importModelPath(path(QStringLiteral("lib/incoming/first.gguf")), QStringLiteral("link"));
            QCOMPARE(finished.size(), 5);
            QVERIFY(!finished.last().at(0).toBool());

            const auto idOf = [&library](const QString& fileName) {
                for (const ModelEntry& e : library.entries()->entries())
                    if (QFileInfo(e.path).fileName() == fileName)
                        return e.id;
                return QString();
            };
            const auto pathOf = [&library](const QString& fileName) {
                for (const ModelEntry& e : library.entries()->entries())
                    if (QFileInfo(e.path).fileName() == fileName)
                        return e.path;
                return QString();
            };
            QSignalSpy deleted(&library, &ModelLibrary::deleteFinished);
            // The model added in place is the user's own file: refused, kept.
            QVERIFY(!library.deleteModel(idOf(QStringLiteral("kept.gguf"))));
            QVERIFY2(deleted.last().at(1).toString().contains(QStringLiteral("a folder you added")), qPrintable(deleted.last().at(1).toString()));
            QVERIFY(QFileInfo::exists(theirs));
            QVERIFY(!library.deleteModel(QStringLiteral("000000000000")));
            QCOMPARE(deleted.size(), 2);

            // The model in use: refused until it is not.
            const QString first = pathOf(QStringLiteral("first.gguf"));
            const QString firstId = idOf(QStringLiteral("first.gguf"));
            library.setModelInUse(first);
            QVERIFY(!library.deleteModel(firstId));
            QVERIFY(deleted.last().at(1).toString().contains(QStringLiteral("loaded")));
            QVERIFY(QFileInfo::exists(first));
            library.setModelInUse(QString());
            QVERIFY(library.deleteModel(firstId));
            QVERIFY(deleted.last().at(0).toBool());
            QVERIFY(!QFileInfo::exists(first));
            QCOMPARE(library.entries()->count(), 2); // at once, before the rescan
            QTRY_VERIFY_WITH_TIMEOUT(!library.scanning(), 30000);
            QCOMPARE(library.entries()->count(), 2);

            // Reveal: the folder holding the file.
            QCOMPARE(library.revealUrl(idOf(QStringLiteral("kept.gguf"))), QUrl::fromLocalFile(QFileInfo(theirs).absolutePath()));
            QCOMPARE(library.revealUrl(QStringLiteral("000000000000")), QUrl());

            // Last used: stamped on the row and kept by id.
            const QString secondId = idOf(QStringLiteral("second.gguf"));
            const int row = library.entries()->indexOfPath(pathOf(QStringLiteral("second.gguf")));
            const QModelIndex index = library.entries()->index(row);
            QVERIFY(!index.data(ModelLibraryModel::LastUsedRole).isValid());
            QCOMPARE(index.data(ModelLibraryModel::LastUsedTextRole).toString(), QString());
            QSignalSpy changed(library.entries(), &QAbstractItemModel::dataChanged);
            const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
            library.recordUse(pathOf(QStringLiteral("second.gguf")));
            QCOMPARE(changed.size(), 1);
            const QDateTime used = index.data(ModelLibraryModel::LastUsedRole).toDateTime();
            QVERIFY(used.isValid() && used >= before);
            QVERIFY(!index.data(ModelLibraryModel::LastUsedTextRole).toString().isEmpty());
            QVERIFY(QSettings().value(QStringLiteral("library/lastUsed/") + secondId).toDateTime().isValid());
        }
        {
            ModelLibrary again(modelsFolder, QString(), {});
            QSignalSpy scanned(&again, &ModelLibrary::scanned);
            QVERIFY(scanned.wait(30000));
            int used = 0;
            for (const ModelEntry& e : again.entries()->entries())
                used += e.lastUsed.isValid() ? 1 : 0;
            QCOMPARE(used, 1); // second.gguf, remembered
        }
    }
};

QTEST_GUILESS_MAIN(TestModelFiles)
#include "test_model_files.moc"
