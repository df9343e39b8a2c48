// ponder-cli models pull REPO FILE [--source huggingface|mirror|modelscope] [--mirror URL] [--endpoint URL]
// ponder-cli models pull URL
//
// The same Download the app's Downloads tab runs: into <models folder>/<file>.part, resumed from a .part an
// earlier run (or the app) left, retried on network and server errors, checked for free space, verified by
// SHA-256 and then renamed into place. The digest comes from the hub's X-Linked-Etag (Hugging Face and its
// mirrors, read by the download's HEAD) or from ModelScope's file list, fetched first. The source defaults to
// the one chosen in the app's settings. Tokens come from the environment only (HF_TOKEN for the hub and its
// mirrors, MODELSCOPE_API_TOKEN for ModelScope) and are never printed; a plain URL gets one only when its host
// is huggingface.co or modelscope.cn. Ctrl-C stops with the .part kept, so the same command resumes.
#include "cmd_models_pull.h"

#include "cancel_on_interrupt.h"
#include "cli_args.h"
#include "core/error.h"
#include "download/download.h"
#include "download/modelscope_files.h"
#include "library/catalog.h"
#include "library/model_identity.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QTimer>

#include <cstdio>
#include <iostream>
#include <memory>

#include <unistd.h>

namespace ponder::cli {
namespace {

using download::Download;

constexpr int kInterruptedStatus = 130; // 128 + SIGINT, as shells report it
constexpr int kPlainLineEveryMs = 5000; // progress lines when stderr is a file or a pipe
constexpr int kTerminalUpdateMs = 200;

std::string str(const QString& s) { return s.toStdString(); }

QString sizeText(qint64 bytes) { return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat); }

QString durationText(qint64 seconds)
{
    if (seconds >= 3600)
        return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    if (seconds >= 60)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 s").arg(seconds);
}

// What to fetch, from where, with which token, and where it goes.
struct PullPlan {
    QUrl url;
    QString name;       // the file name in the models folder
    QString modelScopeRepo; // set when the digest comes from ModelScope's file list
    QString modelScopePath;
    QUrl modelScopeSite;
    QString token;
};

QUrl httpUrl(const std::string& text, const char* option)
{
    const QUrl url(QString::fromStdString(text));
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
        throw UsageError(std::string(option) + " must be an http:// or https:// address, not '" + text + "'");
    return url;
}

PullPlan planForUrl(const CliArgs& cli)
{
    if (cli.value("source") || cli.value("mirror") || cli.value("endpoint"))
        throw UsageError("--source, --mirror and --endpoint go with REPO FILE, not with a URL");
    PullPlan plan;
    plan.url = httpUrl(cli.positionals()[0], "URL");
    plan.name = plan.url.fileName();
    if (plan.name.isEmpty())
        throw UsageError("the URL must end in a file name");
    const QString host = plan.url.host().toLower();
    if (host == QLatin1String("huggingface.co"))
        plan.token = qEnvironmentVariable("HF_TOKEN").trimmed();
    else if (host == QLatin1String("modelscope.cn") || host == QLatin1String("www.modelscope.cn"))
        plan.token = qEnvironmentVariable("MODELSCOPE_API_TOKEN").trimmed();
    return plan;
}

PullPlan planForRepo(const CliArgs& cli)
{
    const QString repo = QString::fromStdString(cli.positionals()[0]);
    const QString file = QString::fromStdString(cli.positionals()[1]);
    if (repo.count(QLatin1Char('/')) != 1 || repo.startsWith(QLatin1Char('/')) || repo.endsWith(QLatin1Char('/')))
        throw UsageError("REPO must be owner/name, not '" + str(repo) + "'");
    if (file.isEmpty() || file.endsWith(QLatin1Char('/')) || file.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        throw UsageError("FILE must be a file's path in the repository, not '" + str(file) + "'");

    // The app's choice of source and mirror unless the call names them (QSettings keys of AppSettings).
    const QSettings settings;
    const std::string source = cli.value("source").value_or(
        settings.value(QStringLiteral("downloads/source"), QStringLiteral("huggingface")).toString().toStdString());
    if (source != "huggingface" && source != "mirror" && source != "modelscope")
        throw UsageError("--source must be huggingface, mirror or modelscope, not '" + source + "'");
    if (cli.value("mirror") && source != "mirror")
        throw UsageError("--mirror goes with --source mirror");
    const auto endpointOption = cli.value("endpoint");
    const QUrl override = endpointOption ? httpUrl(*endpointOption, "--endpoint") : QUrl();

    library::Endpoint endpoint;
    PullPlan plan;
    if (source == "modelscope") {
        endpoint = override.isEmpty() ? library::Endpoint::modelScope() : library::Endpoint::modelScopeAt(override);
        plan.token = qEnvironmentVariable("MODELSCOPE_API_TOKEN").trimmed();
        plan.modelScopeRepo = repo;
        plan.modelScopePath = file;
        plan.modelScopeSite = QUrl(library::siteUrl(endpoint));
    } else if (source == "mirror" || !override.isEmpty()) {
        QUrl base = override;
        if (base.isEmpty() && cli.value("mirror"))
            base = httpUrl(*cli.value("mirror"), "--mirror");
        if (base.isEmpty())
            base = QUrl(settings.value(QStringLiteral("downloads/mirrorUrl"), QStringLiteral("https://hf-mirror.com")).toString());
        endpoint = library::Endpoint::mirrorAt(base);
        plan.token = qEnvironmentVariable("HF_TOKEN").trimmed();
    } else {
        endpoint = library::Endpoint::huggingFace();
        plan.token = qEnvironmentVariable("HF_TOKEN").trimmed();
    }
    plan.url = library::fileUrl(endpoint, repo, file);
    if (!plan.url.isValid())
        throw Error("the mirror address in Ponder's settings is not an http(s) address; name one with --mirror URL");
    plan.name = QFileInfo(file).fileName();
    return plan;
}

// ModelScope's digest and size for the file, read before the download starts. Ctrl-C gives up.
download::ModelScopeLookup readModelScopeList(QNetworkAccessManager& network, const PullPlan& plan,
                                              const std::atomic<bool>& interrupted)
{
    std::unique_ptr<QNetworkReply> reply(
        network.get(download::modelScopeFilesRequest(plan.modelScopeSite, plan.modelScopeRepo, plan.token)));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (interrupted)
            loop.quit();
    });
    poll.start(100);
    loop.exec();
    if (!reply->isFinished()) {
        reply->abort();
        return {{}, QStringLiteral("interrupted")};
    }
    return download::modelScopeFileFromReply(*reply, plan.modelScopeRepo, plan.modelScopePath);
}

// Progress on stderr: one line rewritten in place on a terminal, a plain line every few seconds otherwise.
class ProgressPrinter {
public:
    explicit ProgressPrinter(const Download& download) : download_(download), terminal_(isatty(STDERR_FILENO) == 1)
    {
        clock_.start();
    }

    void update(bool force = false)
    {
        if (!force && clock_.isValid() && clock_.elapsed() < (terminal_ ? kTerminalUpdateMs : kPlainLineEveryMs) && printed_)
            return;
        clock_.restart();
        printed_ = true;
        const std::string line = str(text());
        if (terminal_)
            std::fprintf(stderr, "\r%s\033[K", line.c_str());
        else
            std::fprintf(stderr, "%s\n", line.c_str());
        std::fflush(stderr);
        open_ = terminal_;
    }

    // Ends the updating line before anything else is printed.
    void finishLine()
    {
        if (open_)
            std::fputc('\n', stderr);
        open_ = false;
    }

private:
    QString text() const
    {
        const qint64 done = download_.bytesDone();
        const qint64 total = download_.totalBytes();
        QString line = download_.request().name + QStringLiteral(": ") + sizeText(done);
        if (total > 0)
            line += QStringLiteral(" of %1 (%2%)").arg(sizeText(total)).arg(done * 100 / total);
        if (download_.state() == Download::State::Verifying)
            return line + QStringLiteral(", checking the SHA-256");
        if (download_.bytesPerSecond() > 0)
            line += QStringLiteral(", %1/s").arg(sizeText(qint64(download_.bytesPerSecond())));
        if (download_.secondsLeft() >= 0)
            line += QStringLiteral(", %1 left").arg(durationText(download_.secondsLeft()));
        return line;
    }

    const Download& download_;
    const bool terminal_;
    QElapsedTimer clock_;
    bool printed_ = false;
    bool open_ = false;
};

} // namespace

int pullModel(const Args& args, const QString& modelsFolder)
{
    const CliArgs cli(args, {"source", "mirror", "endpoint"}, {});
    const std::size_t count = cli.positionals().size();
    if (count != 1 && count != 2)
        throw UsageError("models pull takes REPO FILE or a URL");
    const PullPlan plan = count == 1 ? planForUrl(cli) : planForRepo(cli);

    if (!QDir().mkpath(modelsFolder))
        throw Error(str(modelsFolder) + ": cannot create the models folder");
    download::DownloadRequest request;
    request.url = plan.url;
    request.destination = QDir(modelsFolder).filePath(plan.name);
    request.name = plan.name;
    request.bearerToken = plan.token;
    if (QFileInfo::exists(request.destination))
        throw Error(str(request.destination) + ": already exists in Ponder's models folder (ponder-cli models rm "
                                               "removes it)");

    const CancelOnInterrupt interrupt;
    QNetworkAccessManager network;
    const QString shown = plan.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    if (!plan.modelScopeRepo.isEmpty()) {
        const download::ModelScopeLookup lookup = readModelScopeList(network, plan, *interrupt.flag());
        if (*interrupt.flag()) {
            std::fprintf(stderr, "ponder-cli: interrupted before the download started\n");
            return kInterruptedStatus;
        }
        if (!lookup.ok())
            throw Error(str(lookup.error));
        request.expectedSha256 = lookup.meta.sha256;
        request.expectedSize = lookup.meta.size;
    }

    Download download(&network, request);
    const qint64 resumeFrom = QFileInfo(download.partPath()).size();
    std::fprintf(stderr, "%s %s\n  into %s\n", resumeFrom > 0 ? "resuming" : "downloading", str(shown).c_str(),
                 str(request.destination).c_str());
    if (resumeFrom > 0)
        std::fprintf(stderr, "  from the %s already in %s\n", str(sizeText(resumeFrom)).c_str(),
                     str(download.partPath()).c_str());

    ProgressPrinter progress(download);
    QEventLoop loop;
    bool interrupted = false;
    QObject::connect(&download, &Download::progressChanged, &loop, [&] { progress.update(); });
    QObject::connect(&download, &Download::stateChanged, &loop, [&] {
        switch (download.state()) {
        case Download::State::Retrying:
            progress.finishLine();
            std::fprintf(stderr, "  %s; trying again\n", str(download.errorString()).c_str());
            break;
        case Download::State::Finished:
        case Download::State::Failed:
        case Download::State::Canceled:
        case Download::State::Paused:
            loop.quit();
            break;
        default:
            break;
        }
    });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (*interrupt.flag() && !interrupted) {
            interrupted = true;
            download.pause(); // keeps the .part; Paused quits the loop
        }
    });
    poll.start(100);
    download.start();
    if (download.state() == Download::State::Running || download.state() == Download::State::Retrying
        || download.state() == Download::State::Verifying)
        loop.exec();
    poll.stop();

    if (download.state() == Download::State::Finished) {
        progress.update(true);
        progress.finishLine();
        if (download.expectedSha256().isEmpty())
            std::fprintf(stderr, "  the source publishes no SHA-256 for this file, so it was not verified\n");
        else
            std::fprintf(stderr, "  SHA-256 verified: %s\n", str(download.expectedSha256()).c_str());
        const QString canonical = QFileInfo(request.destination).canonicalFilePath();
        std::cout << "downloaded " << str(plan.name) << " as " << str(library::modelId(canonical)) << ": "
                  << str(canonical) << "\n";
        return 0;
    }
    progress.finishLine();
    if (download.state() == Download::State::Paused) {
        std::fprintf(stderr, "ponder-cli: interrupted; %s kept in %s, run the same command again to resume\n",
                     str(sizeText(QFileInfo(download.partPath()).size())).c_str(), str(download.partPath()).c_str());
        return kInterruptedStatus;
    }
    throw Error(str(download.errorString()));
}

} // namespace ponder::cli
