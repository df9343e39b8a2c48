#include "library/model_library.h"

#include "library/library_scan.h"
#include "library/library_settings.h"
#include "library/model_scan.h"
#include "library/test_model.h"

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
        for (ModelEntry& e : result.entries)
            e.hidden = hidden_.contains(e.id);
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
    startScan();
}

ModelLibrary::~ModelLibrary()
{
    scan_.waitForFinished();
    create_.waitForFinished();
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

} // namespace ponder::library
