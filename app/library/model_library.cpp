#include "library/model_library.h"

#include "library/model_scan.h"
#include "library/test_model.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace ponder::library {
namespace {
const QString kFoldersKey = QStringLiteral("library/folders");
}

ModelLibrary::ModelLibrary(const QString& modelsFolder, const QString& tokenizerDir, QObject* parent)
    : QObject(parent), modelsFolder_(QDir::cleanPath(QDir(modelsFolder).absolutePath())), tokenizerDir_(tokenizerDir)
{
    folders_ = QSettings().value(kFoldersKey).toStringList();
    connect(&scan_, &QFutureWatcher<std::vector<ModelEntry>>::finished, this, [this] {
        entries_.setEntries(scan_.result());
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
    std::vector<ScanFolder> folders{{modelsFolder_, QStringLiteral("ponder")}};
    for (const QString& folder : folders_)
        folders.push_back({folder, QStringLiteral("folder")});
    scan_.setFuture(QtConcurrent::run([folders] { return scanModels(folders); }));
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
    QSettings().setValue(kFoldersKey, folders_);
    Q_EMIT foldersChanged();
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
