#include "model_downloads.h"

#include "download/modelscope_files.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkReply>

#include <exception>

namespace ponder::desktop {

using download::Download;

namespace {

// "8.2B", "600M": how model cards write parameter counts.
QString parametersText(qint64 parameters)
{
    const QLocale locale;
    if (parameters >= 1000LL * 1000 * 1000)
        return QStringLiteral("%1B").arg(locale.toString(double(parameters) / 1e9, 'f', parameters >= 100e9 ? 0 : 1));
    return QStringLiteral("%1M").arg(locale.toString(double(parameters) / 1e6, 'f', 0));
}

} // namespace

ModelDownloads::ModelDownloads(AppSettings& settings, library::ModelLibrary& library, QObject* parent)
    : QObject(parent), settings_(settings), library_(library), queue_(&network_), list_(&queue_)
{
    try {
        catalog_ = library::builtInCatalog();
    } catch (const std::exception& e) {
        catalogError_ = QString::fromUtf8(e.what());
    }
    connect(&queue_, &download::DownloadQueue::changed, this, &ModelDownloads::onChanged);
    connect(&queue_, &download::DownloadQueue::added, this, [this] { rebuild(); Q_EMIT activeCountChanged(); });
    connect(&queue_, &download::DownloadQueue::removed, this, [this] { rebuild(); Q_EMIT activeCountChanged(); });
    connect(&library_, &library::ModelLibrary::scanned, this, &ModelDownloads::rebuild);
    connect(&settings_, &AppSettings::downloadSourceChanged, this, &ModelDownloads::rebuild);
    connect(&settings_, &AppSettings::contextLengthChanged, this, &ModelDownloads::rebuild); // the KV cache estimate
    connect(&settings_, &AppSettings::languageChanged, this, &ModelDownloads::rebuild); // number formats
    rebuild();
}

library::Endpoint ModelDownloads::endpoint() const
{
    const QString source = settings_.downloadSource();
    if (source == QLatin1String("modelscope"))
        return library::Endpoint::modelScope();
    if (source == QLatin1String("mirror"))
        return library::Endpoint::mirrorAt(QUrl(settings_.mirrorUrl()));
    return library::Endpoint::huggingFace();
}

const library::MachineMemory& ModelDownloads::memory() const
{
    return library_.entries()->machineMemory();
}

QString ModelDownloads::recommendedFile() const
{
    const auto r = library::recommend(catalog_, memory(), settings_.effectiveContextLength());
    return r ? catalog_.models[r->model].files[r->file].file : QString();
}

int ModelDownloads::activeCount() const
{
    int active = 0;
    for (int row = 0; row < queue_.count(); ++row) {
        const Download::State state = queue_.at(row)->state();
        active += queue_.at(row)->isActive() || state == Download::State::Queued;
    }
    return active;
}

QString ModelDownloads::sizeText(double bytes) const
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeSIFormat);
}

bool ModelDownloads::download(const QString& modelId, const QString& quant)
{
    const library::CatalogModel* model = catalog_.find(modelId);
    const library::CatalogFile* file = nullptr;
    if (model)
        for (const library::CatalogFile& f : model->files)
            if (f.quant == quant)
                file = &f;
    if (!file) {
        Q_EMIT errorOccurred(tr("%1 %2 is not in the catalog.").arg(modelId, quant));
        return false;
    }
    if (!file->downloadable()) {
        Q_EMIT errorOccurred(tr("%1 %2 is split into several files; Ponder cannot download it yet.").arg(modelId, quant));
        return false;
    }
    const QUrl url = library::fileUrl(endpoint(), model->ggufRepo, file->file);
    if (!url.isValid()) {
        Q_EMIT errorOccurred(tr("The mirror address \"%1\" is not a web address; set it in the settings.").arg(settings_.mirrorUrl()));
        return false;
    }
    const QString destination = QDir(library_.modelsFolder()).filePath(file->file);
    if (lookingUp_.contains(destination)) {
        Q_EMIT errorOccurred(tr("%1 is already in the downloads.").arg(file->file));
        return false;
    }
    for (int row = 0; row < queue_.count(); ++row) {
        const Download* d = queue_.at(row);
        if (d->request().destination == destination && d->state() != Download::State::Canceled
            && d->state() != Download::State::Failed && d->state() != Download::State::Finished) {
            Q_EMIT errorOccurred(tr("%1 is already in the downloads.").arg(file->file));
            return false;
        }
    }
    QDir().mkpath(library_.modelsFolder());
    download::DownloadRequest request;
    request.url = url;
    request.destination = destination;
    request.name = file->file;
    // The token is the hub's; ModelScope's differ and are not sent there.
    if (endpoint().kind == library::Endpoint::Kind::ModelScope) {
        queueWithModelScopeDigest(request, model->ggufRepo, file->file);
        return true;
    }
    request.bearerToken = settings_.accessToken();
    queue_.add(request);
    return true;
}

// ModelScope's downloads carry no digest headers: its file list gives the SHA-256 and size, asked for first.
void ModelDownloads::queueWithModelScopeDigest(download::DownloadRequest request, const QString& repo, const QString& path)
{
    lookingUp_.insert(request.destination);
    rebuild(); // shown as in the queue meanwhile
    QNetworkReply* reply = network_.get(download::modelScopeFilesRequest(QUrl(library::siteUrl(endpoint())), repo));
    connect(reply, &QNetworkReply::finished, this, [this, reply, request, repo, path]() mutable {
        reply->deleteLater();
        lookingUp_.remove(request.destination);
        const download::ModelScopeLookup lookup = download::modelScopeFileFromReply(*reply, repo, path);
        if (!lookup.ok()) {
            Q_EMIT errorOccurred(lookup.error);
            rebuild();
            return;
        }
        request.expectedSha256 = lookup.meta.sha256;
        request.expectedSize = lookup.meta.size;
        queue_.add(request); // rebuilds
    });
}

void ModelDownloads::onChanged(int row)
{
    const Download* d = queue_.at(row);
    if (d && d->state() == Download::State::Finished && !finished_.contains(d)) {
        finished_.insert(d);
        library_.refresh(); // rebuild() follows the scan
    }
    Q_EMIT activeCountChanged();
}

void ModelDownloads::rebuild()
{
    const std::int64_t context = settings_.effectiveContextLength();
    const auto recommendation = library::recommend(catalog_, memory(), context);
    QSet<QString> inQueue;
    for (int row = 0; row < queue_.count(); ++row) {
        const Download* d = queue_.at(row);
        if (d->state() != Download::State::Canceled && d->state() != Download::State::Finished)
            inQueue.insert(QFileInfo(d->request().destination).fileName());
    }
    for (const QString& destination : lookingUp_)
        inQueue.insert(QFileInfo(destination).fileName());
    const library::Endpoint where = endpoint();
    const QDir folder(library_.modelsFolder());
    QVariantList models;
    for (int m = 0; m < catalog_.models.size(); ++m) {
        const library::CatalogModel& model = catalog_.models[m];
        QVariantList files;
        for (int f = 0; f < model.files.size(); ++f) {
            const library::CatalogFile& file = model.files[f];
            files.append(QVariantMap{
                {QStringLiteral("quant"), file.quant},
                {QStringLiteral("file"), file.file},
                {QStringLiteral("sizeBytes"), double(file.sizeBytes)},
                {QStringLiteral("sizeText"), sizeText(double(file.sizeBytes))},
                {QStringLiteral("approximate"), file.sizeApproximate},
                {QStringLiteral("fit"), library::fitName(library::classifyFit(library::estimateMemory(model, file, context), memory()))},
                {QStringLiteral("recommended"), recommendation && recommendation->model == m && recommendation->file == f},
                {QStringLiteral("downloadable"), file.downloadable()},
                {QStringLiteral("installed"), file.downloadable() && folder.exists(file.file)},
                {QStringLiteral("inQueue"), inQueue.contains(file.file)},
            });
        }
        models.append(QVariantMap{
            {QStringLiteral("id"), model.id},
            {QStringLiteral("parameters"), double(model.parameters)},
            {QStringLiteral("activeParameters"), double(model.activeParameters)},
            {QStringLiteral("parametersText"), parametersText(model.parameters)},
            {QStringLiteral("activeParametersText"), parametersText(model.activeParameters)},
            {QStringLiteral("moe"), model.moe},
            {QStringLiteral("contextLength"), model.contextLength},
            {QStringLiteral("extendedContextLength"), model.extendedContextLength},
            {QStringLiteral("thinking"), model.thinking},
            {QStringLiteral("repoUrl"), library::repoUrl(where, model.ggufRepo)},
            {QStringLiteral("safetensorsUrl"), library::repoUrl(where, model.safetensorsRepo)},
            {QStringLiteral("files"), files},
        });
    }
    models_ = models;
    Q_EMIT modelsChanged();
}

} // namespace ponder::desktop
