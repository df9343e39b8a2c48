#include "library/model_library.h"

#include "library/library_scan.h"
#include "library/library_settings.h"
#include "library/model_identity.h"
#include "library/model_scan.h"
#include "library/test_model.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace ponder::library {
ModelLibrary::ModelLibrary(const QString& modelsFolder, const QString& tokenizerDir, const StoreRoots& stores,
                           QObject* parent)
    : QObject(parent), modelsFolder_(QDir::cleanPath(QDir(modelsFolder).absolutePath())), tokenizerDir_(tokenizerDir),
      stores_(stores)
{
    folders_ = storedFolders();
    hidden_ = storedHiddenIds();
    connect(&scan_, &QFutureWatcher<ScanResult>::finished, this, [this] {
        ScanResult result = scan_.result();
        entries_.setMachineMemory(result.machine);
        // Hiding during the scan applies to what it found.
        for (ModelEntry& e : result.entries) {
            e.hidden = hidden_.contains(e.id);
            e.lastUsed = storedLastUsed(e.id);
        }
        entries_.setEntries(std::move(result.entries));
        Q_EMIT scanningChanged();
        Q_EMIT scanned();
        if (rescan_) {
            rescan_ = false;
            startScan();
        }
    });
    connect(&create_, &QFutureWatcher<QString>::finished, this, [this] {
        testModelError_ = create_.result();
        Q_EMIT creatingTestModelChanged();
        if (testModelError_.isEmpty()) {
            refresh();
            // Canonical, as the entries' paths are, so the loaded model and its row match.
            Q_EMIT testModelCreated(QFileInfo(testModelPath()).canonicalFilePath());
        }
    });
    connect(&import_, &QFutureWatcher<ImportResult>::finished, this, &ModelLibrary::finishImport);
    startScan();
}

ModelLibrary::~ModelLibrary()
{
    scan_.waitForFinished();
    create_.waitForFinished();
    import_.waitForFinished();
}

QString ModelLibrary::testModelPath() const
{
    return QDir(modelsFolder_).filePath(QString::fromLatin1(kTestModelFileName));
}

void ModelLibrary::refresh()
{
    if (scan_.isRunning())
        rescan_ = true;
    else
        startScan();
}

void ModelLibrary::startScan()
{
    const LibraryPlaces places{modelsFolder_, folders_, stores_, hidden_};
    scan_.setFuture(QtConcurrent::run([places] { return ScanResult{scanLibrary(places), detectMachineMemory()}; }));
    Q_EMIT scanningChanged();
}

void ModelLibrary::addFolder(const QUrl& folder)
{
    addFolderPath(folder.isLocalFile() ? folder.toLocalFile() : folder.toString());
}

void ModelLibrary::addFolderPath(const QString& path)
{
    const QString clean = QDir::cleanPath(QDir(path).absolutePath());
    if (path.isEmpty() || folders_.contains(clean))
        return;
    folders_ << clean;
    saveFolders();
    refresh();
}

void ModelLibrary::removeFolder(const QString& path)
{
    if (folders_.removeAll(path) == 0)
        return;
    saveFolders();
    refresh();
}

void ModelLibrary::saveFolders()
{
    storeFolders(folders_);
    Q_EMIT foldersChanged();
}

QStringList ModelLibrary::hiddenIds() const
{
    QStringList ids(hidden_.begin(), hidden_.end());
    ids.sort();
    return ids;
}

void ModelLibrary::hide(const QString& id)
{
    setHidden(id, true);
}

void ModelLibrary::unhide(const QString& id)
{
    setHidden(id, false);
}

void ModelLibrary::setHidden(const QString& id, bool hidden)
{
    if (id.isEmpty() || hidden_.contains(id) == hidden)
        return;
    if (hidden)
        hidden_.insert(id);
    else
        hidden_.remove(id);
    storeHiddenIds(hidden_);
    entries_.setHidden(hidden_);
    Q_EMIT hiddenChanged();
}

void ModelLibrary::createTestModel()
{
    if (create_.isRunning())
        return;
    testModelError_.clear();
    create_.setFuture(QtConcurrent::run([path = testModelPath(), tokenizerDir = tokenizerDir_]() -> QString {
        try {
            writeTestModel(path, tokenizerDir);
            return {};
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    }));
    Q_EMIT creatingTestModelChanged();
}

void ModelLibrary::importModel(const QUrl& source, const QString& mode)
{
    importModelPath(source.isLocalFile() ? source.toLocalFile() : source.toString(), mode);
}

void ModelLibrary::importModelPath(const QString& path, const QString& mode)
{
    const std::optional<ImportMode> parsed = importModeFromName(mode);
    if (!parsed) {
        Q_EMIT importFinished(false, tr("Unknown way to import \"%1\" (copy, move or inPlace)").arg(mode));
        return;
    }
    const bool before = importing();
    pendingImports_.append({path, *parsed});
    if (!import_.isRunning())
        startNextImport();
    if (!before)
        Q_EMIT importingChanged();
}

void ModelLibrary::startNextImport()
{
    const PendingImport next = pendingImports_.takeFirst();
    runningMode_ = next.mode;
    import_.setFuture(QtConcurrent::run([next, folder = modelsFolder_] {
        return importModelFiles(next.path, folder, next.mode);
    }));
}

void ModelLibrary::finishImport()
{
    const ImportResult result = import_.result();
    QString message;
    if (!result.ok) {
        message = result.error;
    } else if (runningMode_ == ImportMode::InPlace) {
        addFolderPath(result.path); // rescans (nothing changes when it is there already)
        message = tr("Added %1 where it is: %2").arg(result.name, result.path);
    } else {
        refresh();
        message = (runningMode_ == ImportMode::Move ? tr("Moved %1 into Ponder's models folder: %2")
                                                    : tr("Copied %1 into Ponder's models folder: %2"))
                      .arg(result.name, result.path);
    }
    if (result.ok && !result.warning.isEmpty())
        message += QStringLiteral(" (%1)").arg(result.warning);
    if (!pendingImports_.isEmpty())
        startNextImport();
    else
        Q_EMIT importingChanged();
    Q_EMIT importFinished(result.ok, message);
}

const ModelEntry* ModelLibrary::entryById(const QString& id) const
{
    for (const ModelEntry& e : entries_.entries())
        if (e.id == id)
            return &e;
    return nullptr;
}

bool ModelLibrary::deleteModel(const QString& id)
{
    const ModelEntry* entry = entryById(id);
    if (!entry) {
        Q_EMIT deleteFinished(false, tr("No model in the library has the id %1").arg(id));
        return false;
    }
    const DeleteResult result = deleteOwnedModel(*entry, modelsFolder_, modelInUse_);
    if (!result.ok) {
        if (!result.removed.isEmpty())
            refresh(); // some of it went
        Q_EMIT deleteFinished(false, result.error);
        return false;
    }
    QString message = tr("Deleted %1 from Ponder's models folder").arg(entry->name);
    if (!result.keptIn.isEmpty())
        message += QLatin1String("; ") + tr("it stays in %1").arg(result.keptIn.join(QStringLiteral(", ")));
    else
        entries_.removeEntry(id); // gone at once, before the rescan confirms it
    refresh();
    Q_EMIT deleteFinished(true, message);
    return true;
}

QUrl ModelLibrary::revealUrl(const QString& id) const
{
    const ModelEntry* entry = entryById(id);
    if (!entry)
        return {};
    const QFileInfo info(entry->path);
    return QUrl::fromLocalFile(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

void ModelLibrary::recordUse(const QString& path)
{
    if (path.isEmpty())
        return;
    QString canonical = QFileInfo(path).canonicalFilePath();
    if (canonical.isEmpty())
        canonical = QDir::cleanPath(QDir(path).absolutePath());
    QString id = modelId(canonical);
    for (const ModelEntry& e : entries_.entries())
        for (const ModelLocation& l : e.locations)
            if (l.path == canonical)
                id = e.id;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    storeLastUsed(id, now);
    entries_.setLastUsed(id, now);
}

} // namespace ponder::library
