#pragma once
// The Models page's Discover and Downloads tabs: the built-in catalog (library/catalog.h) as rows for QML —
// each model with its files, their approximate sizes, how they fit this machine's memory and which one is
// recommended — and the download queue that fetches them into the models folder from the endpoint the
// settings name (with the access token for the hub; for ModelScope the digest and size are read from its file
// list before the file is queued). A finished download rescans the library.
#include "app_settings.h"
#include "download/download_list_model.h"
#include "download/download_queue.h"
#include "library/catalog.h"
#include "library/model_library.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QSet>
#include <QVariantList>

namespace ponder::desktop {

class ModelDownloads : public QObject {
    Q_OBJECT
    // One map per model: id, parameters, activeParameters (numbers), parametersText, activeParametersText,
    // moe, contextLength, extendedContextLength, thinking, repoUrl, safetensorsUrl, files; each file: quant,
    // file, sizeBytes, sizeText, approximate, fit ("gpu", "partial", "cpu", "none": library::fitName at the chosen context length), recommended,
    // downloadable (false for split files), installed, inQueue.
    Q_PROPERTY(QVariantList models READ models NOTIFY modelsChanged)
    Q_PROPERTY(QString recommendedFile READ recommendedFile NOTIFY modelsChanged) // empty when nothing fits
    // The machine's memory as the library's last scan found it.
    Q_PROPERTY(QString ramText READ ramText NOTIFY modelsChanged)
    Q_PROPERTY(QString gpuText READ gpuText NOTIFY modelsChanged) // empty without a GPU
    Q_PROPERTY(QString catalogError READ catalogError CONSTANT)
    Q_PROPERTY(ponder::download::DownloadListModel* downloads READ downloads CONSTANT)
    Q_PROPERTY(int activeCount READ activeCount NOTIFY activeCountChanged) // queued or transferring

public:
    ModelDownloads(AppSettings& settings, library::ModelLibrary& library, QObject* parent = nullptr);

    QVariantList models() const { return models_; }
    QString recommendedFile() const;
    QString ramText() const { return sizeText(double(memory().ramBytes)); }
    QString gpuText() const { return memory().gpuBytes > 0 ? sizeText(double(memory().gpuBytes)) : QString(); }
    QString catalogError() const { return catalogError_; }
    download::DownloadListModel* downloads() { return &list_; }
    download::DownloadQueue& queue() { return queue_; }
    int activeCount() const;

    // Queues one catalog file for the models folder; false (with errorOccurred) when it cannot be.
    Q_INVOKABLE bool download(const QString& modelId, const QString& quant);
    Q_INVOKABLE void pause(int row) { queue_.pause(row); }
    Q_INVOKABLE void resume(int row) { queue_.resume(row); }
    Q_INVOKABLE void cancel(int row) { queue_.cancel(row); }
    Q_INVOKABLE void remove(int row) { queue_.remove(row); }
    // "5.0 GB" in the current locale (decimal units, as the hubs show them).
    Q_INVOKABLE QString sizeText(double bytes) const;

Q_SIGNALS:
    void modelsChanged();
    void activeCountChanged();
    void errorOccurred(const QString& message);

private:
    library::Endpoint endpoint() const;
    const library::MachineMemory& memory() const;
    void rebuild();
    void onChanged(int row);
    void queueWithModelScopeDigest(download::DownloadRequest request, const QString& repo, const QString& path);

    AppSettings& settings_;
    library::ModelLibrary& library_;
    library::Catalog catalog_;
    QString catalogError_;
    QNetworkAccessManager network_;
    download::DownloadQueue queue_;
    download::DownloadListModel list_;
    QSet<const download::Download*> finished_; // already announced to the library
    QSet<QString> lookingUp_; // destinations whose ModelScope file list is being read
    QVariantList models_;
};

} // namespace ponder::desktop
