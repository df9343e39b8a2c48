#pragma once
// The models Ponder knows about: its own models folder (<data dir>/models), the folders the user added
// (kept in QSettings, "library/folders") and the other apps' stores (read-only; StoreRoots), scanned off the
// GUI thread (QtConcurrent, scanLibrary() and the machine's memory) with the results landing in `entries` on
// the GUI thread. Entries can be hidden (their ids kept in QSettings, "library/hidden").
// Also writes the built-in test model into the models folder, off the GUI
// thread, and says when it is there (AppServices then loads it). Imports models (model_files: a copy or move
// into the models folder off the GUI thread, or in place), deletes what lies in its models folder (never the
// model in use), and remembers when each model was last loaded ("library/lastUsed/<id>").
#include "library/memory_fit.h"
#include "library/model_files.h"
#include "library/model_library_model.h"
#include "library/model_stores.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QUrl>

namespace ponder::library {

class ModelLibrary : public QObject {
    Q_OBJECT
    Q_PROPERTY(ponder::library::ModelLibraryModel* entries READ entries CONSTANT)
    Q_PROPERTY(QString modelsFolder READ modelsFolder CONSTANT)
    Q_PROPERTY(QStringList folders READ folders NOTIFY foldersChanged)
    Q_PROPERTY(QStringList hiddenIds READ hiddenIds NOTIFY hiddenChanged)
    Q_PROPERTY(bool scanning READ scanning NOTIFY scanningChanged)
    Q_PROPERTY(bool creatingTestModel READ creatingTestModel NOTIFY creatingTestModelChanged)
    // Why the last attempt to write the test model failed; empty when it did not.
    Q_PROPERTY(QString testModelError READ testModelError NOTIFY creatingTestModelChanged)
    // An import is running or waiting (importModel queues them, one at a time).
    Q_PROPERTY(bool importing READ importing NOTIFY importingChanged)

public:
    // Starts the first scan. `tokenizerDir`: where the test model's tokenizer is (testModelTokenizerDir()).
    // `stores`: the other apps' stores to list (storeRootsFromEnvironment(); empty for none).
    ModelLibrary(const QString& modelsFolder, const QString& tokenizerDir, const StoreRoots& stores,
                 QObject* parent = nullptr);
    ~ModelLibrary() override; // waits for a scan or a write in flight

    ModelLibraryModel* entries() { return &entries_; }
    QString modelsFolder() const { return modelsFolder_; }
    QStringList folders() const { return folders_; }
    QStringList hiddenIds() const;
    bool scanning() const { return scan_.isRunning(); }
    bool creatingTestModel() const { return create_.isRunning(); }
    QString testModelError() const { return testModelError_; }
    QString testModelPath() const;

    // Scans again (after the scan in flight, if any).
    Q_INVOKABLE void refresh();
    // Adds a folder to scan (a local path or a file:// URL, as FolderDialog gives), remembers it and rescans.
    // Adding one already there changes nothing.
    Q_INVOKABLE void addFolder(const QUrl& folder);
    Q_INVOKABLE void addFolderPath(const QString& path);
    Q_INVOKABLE void removeFolder(const QString& path);
    // Hides the entry with id `id` (or shows it again): its row stays, with `hidden` set, and the choice is
    // remembered. Other apps' models are never deleted by Ponder; hiding is how they leave the lists.
    Q_INVOKABLE void hide(const QString& id);
    Q_INVOKABLE void unhide(const QString& id);
    // Writes the test model into the models folder (replacing one there) and rescans; testModelCreated follows.
    Q_INVOKABLE void createTestModel();

    bool importing() const { return import_.isRunning() || !pendingImports_.isEmpty(); }
    // Imports the model at `source` (a file:// URL, as the file dialogs and drops give, or a local path) with
    // `mode` "copy", "move" or "inPlace" (importModelFiles()), off the GUI thread, after any import in
    // flight; then rescans (in place: adds it to the folders) and says how it went with importFinished.
    Q_INVOKABLE void importModel(const QUrl& source, const QString& mode);
    Q_INVOKABLE void importModelPath(const QString& path, const QString& mode);
    // Deletes the files of the entry `id` that lie in the models folder (deleteOwnedModel()) and rescans.
    // Refused, with the reason, for a read-only entry (another app's or the user's own: hide it instead) and
    // for the model in use (setModelInUse). deleteFinished says how it went; the return value too.
    Q_INVOKABLE bool deleteModel(const QString& id);
    // The folder to show in the file manager (Qt.openUrlExternally) for entry `id`: the folder holding its
    // file, or a Hugging Face model's own folder; empty for an unknown id.
    Q_INVOKABLE QUrl revealUrl(const QString& id) const;
    // The model the app has loaded or is loading (empty: none), which deleteModel refuses to delete.
    void setModelInUse(const QString& path) { modelInUse_ = path; }
    QString modelInUse() const { return modelInUse_; }
    // The model at `path` was just loaded: its "last used" becomes now (kept by id, so it survives rescans
    // and restarts; a model not in the library yet shows it once it is).
    void recordUse(const QString& path);

Q_SIGNALS:
    void foldersChanged();
    void hiddenChanged();
    void scanningChanged();
    void scanned(); // entries hold the latest scan
    void creatingTestModelChanged();
    void testModelCreated(const QString& path);
    void importingChanged();
    // `message` says what was imported where, or why it failed (naming the file and the problem).
    void importFinished(bool ok, const QString& message);
    void deleteFinished(bool ok, const QString& message);

private:
    void startScan();
    void saveFolders();
    void setHidden(const QString& id, bool hidden);
    void startNextImport();
    void finishImport();
    const ModelEntry* entryById(const QString& id) const;

    struct ScanResult {
        std::vector<ModelEntry> entries;
        MachineMemory machine;
    };

    QString modelsFolder_;
    QString tokenizerDir_;
    StoreRoots stores_;
    QStringList folders_;
    QSet<QString> hidden_;
    ModelLibraryModel entries_;
    QFutureWatcher<ScanResult> scan_;
    bool rescan_ = false; // refresh() came during a scan
    QFutureWatcher<QString> create_; // the error message, empty on success
    QString testModelError_;
    struct PendingImport {
        QString path;
        ImportMode mode;
    };
    QList<PendingImport> pendingImports_;
    ImportMode runningMode_ = ImportMode::Copy;
    QFutureWatcher<ImportResult> import_;
    QString modelInUse_;
};

} // namespace ponder::library
