#include "download/download.h"

#include "download/hub_metadata.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStorageInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <system_error>

namespace ponder::download {

namespace {

constexpr int kProgressIntervalMs = 100;
constexpr int kSpeedSampleMs = 500;
constexpr int kMaxRedirects = 10;

// "bytes 100-999/1000" -> start 100, total 1000 (-1 for "*"); false when it is not that.
bool parseContentRange(const QByteArray& value, qint64* start, qint64* total) {
    QByteArray text = value.trimmed();
    if (!text.startsWith("bytes ")) return false;
    text = text.mid(6).trimmed();
    const qsizetype dash = text.indexOf('-');
    const qsizetype slash = text.indexOf('/');
    if (dash <= 0 || slash <= dash) return false;
    bool ok = false;
    *start = text.left(dash).toLongLong(&ok);
    if (!ok) return false;
    const QByteArray totalText = text.mid(slash + 1);
    if (totalText == "*") {
        *total = -1;
        return true;
    }
    *total = totalText.toLongLong(&ok);
    return ok;
}

} // namespace

// The digest of one attempt's bytes; abandoned when the attempt starts over, so queued work is skipped.
struct Download::Hash {
    QCryptographicHash sha256{QCryptographicHash::Sha256};
    std::atomic<bool> abandoned{false};
};

namespace {

// Hashes the first `bytes` of `path` (the .part's prefix on resume).
void hashPrefix(Download::Hash* hash, const QString& path, qint64 bytes) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return; // the digest then mismatches and says so
    QByteArray block;
    while (bytes > 0 && !hash->abandoned) {
        block = file.read(std::min<qint64>(bytes, 1 << 20));
        if (block.isEmpty()) return;
        hash->sha256.addData(block);
        bytes -= block.size();
    }
}

// Worth another try later: server errors, a timeout, rate limiting.
bool isTransientStatus(int status) { return status >= 500 || status == 408 || status == 429; }

} // namespace

qint64 Download::storageFreeSpace(const QString& folder) {
    const QStorageInfo info(folder);
    return info.isValid() && info.isReady() ? info.bytesAvailable() : -1;
}

Download::Download(QNetworkAccessManager* network, DownloadRequest request, QObject* parent)
    : QObject(parent), network_(network), request_(std::move(request)) {
    if (request_.name.isEmpty()) request_.name = QFileInfo(request_.destination).fileName();
    expectedSha256_ = request_.expectedSha256.trimmed().toLower();
    knownSize_ = request_.expectedSize;
    total_ = knownSize_;
    file_.setFileName(partPath());
    hashPool_.setMaxThreadCount(1);
    retryTimer_.setSingleShot(true);
    connect(&retryTimer_, &QTimer::timeout, this, &Download::begin);
}

Download::~Download() {
    abortTransfer();
    closeFile();
    hashPool_.waitForDone();
}

qint64 Download::secondsLeft() const {
    if (total_ < 0 || speed_ <= 0) return -1;
    return qint64((total_ - done_) / speed_ + 0.5);
}

void Download::start() {
    if (isActive() || state_ == State::Finished) return;
    error_.clear();
    failures_ = 0;
    setState(State::Running);
    if (!probed_ && (expectedSha256_.isEmpty() || knownSize_ < 0))
        probe();
    else
        begin();
}

void Download::pause() {
    if (state_ == State::Queued) {
        setState(State::Paused);
        return;
    }
    if (state_ != State::Running && state_ != State::Retrying) return;
    retryTimer_.stop();
    if (reply_ && headAccepted_) {
        writeChunk(reply_->readAll()); // what already arrived is kept
        if (state_ == State::Failed) return; // the disk refused it
    }
    abortTransfer();
    closeFile();
    speed_ = 0;
    setState(State::Paused);
    emit progressChanged();
}

void Download::cancel() {
    if (state_ == State::Finished || state_ == State::Canceled) return;
    retryTimer_.stop();
    abortTransfer();
    closeFile();
    ++generation_;
    if (hash_) hash_->abandoned = true;
    QFile::remove(partPath());
    speed_ = 0;
    setState(State::Canceled);
}

void Download::requeue() {
    if (state_ != State::Paused && state_ != State::Failed) return;
    error_.clear();
    setState(State::Queued);
}

// The HEAD before the first GET: the hub's digest and size, and the size for the free-space check.
void Download::probe() {
    head_ = network_->head(withAuthorization(hubMetadataRequest(request_.url)));
    QNetworkReply* reply = head_;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onProbeFinished(reply); });
}

void Download::onProbeFinished(QNetworkReply* reply) {
    reply->deleteLater();
    if (reply != head_) return; // paused or canceled meanwhile
    head_ = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 400 && status < 500 && status != 405 && status != 416) {
        fail(statusMessage(status, reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray()));
        return;
    }
    probed_ = true;
    // A HEAD that failed in transit or with a 5xx tells nothing; the GET then finds out (and retries).
    if (status >= 200 && status < 400) {
        const HubMetadata meta = hubMetadataFromReply(*reply);
        if (expectedSha256_.isEmpty()) expectedSha256_ = meta.sha256;
        if (knownSize_ < 0 && meta.size >= 0) {
            knownSize_ = meta.size;
            total_ = knownSize_;
        }
    }
    begin();
}

void Download::begin() {
    if (state_ != State::Running && state_ != State::Retrying) return;
    setState(State::Running);
    const QFileInfo part(partPath());
    if (!QDir().mkpath(part.absolutePath())) {
        fail(tr("Could not create the folder %1 for the download.").arg(part.absolutePath()));
        return;
    }
    qint64 partSize = part.exists() ? part.size() : 0;
    if (knownSize_ >= 0 && partSize > knownSize_) { // not a prefix of this file: start again
        QFile::resize(partPath(), 0);
        partSize = 0;
    }
    if (knownSize_ >= 0 && !hasRoomFor(knownSize_ - partSize)) return;
    if (!file_.open(QIODevice::WriteOnly | QIODevice::Append)) {
        fail(tr("Could not write %1: %2").arg(partPath(), file_.errorString()));
        return;
    }
    offset_ = partSize;
    done_ = partSize;
    startHash(partSize);
    if (knownSize_ > 0 && partSize == knownSize_) { // complete but not moved into place (a crash): verify it
        closeFile();
        total_ = done_;
        verify();
        return;
    }
    gotBytes_ = false;
    sampleClock_.start();
    sampleBytes_ = done_;
    emitClock_.start();
    redirects_ = 0;
    // Each attempt starts from the URL asked for: a CDN's signed redirect target may have expired meanwhile.
    sendGet(request_.url);
}

// Redirects are followed here rather than by Qt, so that the token goes only to the origin it was meant for
// (the hub), never to the CDN it redirects to.
void Download::sendGet(const QUrl& url) {
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (url.scheme() == request_.url.scheme() && url.host() == request_.url.host() &&
        url.port() == request_.url.port())
        request = withAuthorization(request);
    // Compressed transfer would make byte ranges and sizes refer to something else than the file.
    request.setRawHeader("Accept-Encoding", "identity");
    if (offset_ > 0) request.setRawHeader("Range", "bytes=" + QByteArray::number(offset_) + '-');
    headChecked_ = false;
    headAccepted_ = false;
    reply_ = network_->get(request);
    QNetworkReply* reply = reply_;
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] { onReadyRead(reply); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
    emit progressChanged();
}

// Looks at the status once, before any body byte is written: true when the body is the file from offset_.
bool Download::acceptResponseHead(QNetworkReply* reply) {
    headChecked_ = true;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 206) {
        qint64 start = -1;
        qint64 total = -1;
        if (!parseContentRange(reply->rawHeader("Content-Range"), &start, &total) || start != offset_) {
            if (offset_ > 0) {
                restartFromZero();
            } else {
                abortTransfer();
                closeFile();
                fail(tr("The server sent a part of %1 that was not asked for.").arg(displayUrl()));
            }
            return false;
        }
        if (total >= 0) total_ = total;
    } else if (status == 200) {
        if (offset_ > 0) { // the range was ignored: this answer is the whole file, so write it afresh
            file_.resize(0);
            file_.seek(0);
            offset_ = 0;
            done_ = 0;
            sampleBytes_ = 0;
            startHash(0);
        }
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (reply->header(QNetworkRequest::ContentLengthHeader).isValid()) total_ = length;
    } else if (status == 416 && offset_ > 0) { // the .part is not a prefix of what the server has now
        restartFromZero();
        return false;
    } else {
        return false; // a redirect or an error answer; onFinished deals with it
    }
    if (knownSize_ < 0 && total_ >= 0 && !hasRoomFor(total_ - offset_)) return false;
    headAccepted_ = true;
    return true;
}

void Download::restartFromZero() {
    abortTransfer();
    closeFile();
    QFile::resize(partPath(), 0);
    begin();
}

bool Download::hasRoomFor(qint64 bytes) {
    const QString folder = QFileInfo(request_.destination).absolutePath();
    const qint64 free = freeSpace_ ? freeSpace_(folder) : -1;
    if (free < 0 || bytes <= free) return true;
    abortTransfer();
    closeFile();
    const QLocale locale;
    fail(tr("Not enough free space for %1: it needs %2 more, but %3 has only %4 free.")
             .arg(request_.name, locale.formattedDataSize(bytes), folder, locale.formattedDataSize(free)));
    return false;
}

void Download::onReadyRead(QNetworkReply* reply) {
    if (reply != reply_) return;
    if (!headChecked_ && !acceptResponseHead(reply)) return;
    if (reply != reply_) return; // restarted or failed by the check
    if (!headAccepted_) {
        reply->readAll(); // an error page
        return;
    }
    writeChunk(reply->readAll());
}

void Download::writeChunk(const QByteArray& data) {
    if (data.isEmpty() || !file_.isOpen()) return;
    if (file_.write(data) != data.size()) {
        const QString why = file_.errorString();
        abortTransfer();
        closeFile();
        fail(tr("Could not write %1: %2").arg(partPath(), why));
        return;
    }
    (void)QtConcurrent::run(&hashPool_, [hash = hash_, data] {
        if (!hash->abandoned) hash->sha256.addData(data);
    });
    done_ += data.size();
    gotBytes_ = true;
    updateSpeed(false);
    if (emitClock_.elapsed() >= kProgressIntervalMs) {
        emitClock_.restart();
        emit progressChanged();
    }
}

void Download::updateSpeed(bool force) {
    const qint64 elapsed = sampleClock_.elapsed();
    if (elapsed < kSpeedSampleMs && !force) return;
    if (elapsed <= 0) return;
    const double now = double(done_ - sampleBytes_) * 1000.0 / double(elapsed);
    speed_ = speed_ <= 0 ? now : 0.3 * now + 0.7 * speed_; // smoothed over the last few seconds
    sampleBytes_ = done_;
    sampleClock_.restart();
}

void Download::onFinished(QNetworkReply* reply) {
    reply->deleteLater();
    if (reply != reply_) return; // aborted by pause, cancel or a restart
    if (!headChecked_ && reply->error() == QNetworkReply::NoError && !acceptResponseHead(reply)) {
        // an empty ranged answer that was not right: restarted or failed above
    }
    if (reply != reply_) return;
    if (headAccepted_) writeChunk(reply->readAll());
    if (reply != reply_) return;
    reply_ = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    if (status >= 300 && status < 400 && reply->hasRawHeader("Location")) {
        if (++redirects_ > kMaxRedirects) {
            closeFile();
            fail(tr("Too many redirects for %1.").arg(displayUrl()));
            return;
        }
        sendGet(reply->url().resolved(QUrl::fromEncoded(reply->rawHeader("Location"))));
        return;
    }
    closeFile();
    if (status >= 400 && !isTransientStatus(status)) {
        fail(statusMessage(status, reason));
        return;
    }
    if (isTransientStatus(status)) {
        scheduleRetry(statusMessage(status, reason));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        // Qt's message may quote the URL, query and all; the query may hold a signature.
        QString why = reply->errorString();
        why.replace(reply->url().toString(), reply->url().toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
        scheduleRetry(tr("The transfer of %1 was interrupted: %2").arg(displayUrl(), why));
        return;
    }
    if (!headAccepted_) {
        fail(tr("The server answered %1 for %2, which is not a file.").arg(status).arg(displayUrl()));
        return;
    }
    if (total_ >= 0 && done_ < total_) {
        scheduleRetry(tr("The transfer of %1 ended after %2 of %3 bytes.").arg(displayUrl()).arg(done_).arg(total_));
        return;
    }
    total_ = done_;
    verify();
}

void Download::scheduleRetry(const QString& message) {
    if (gotBytes_) failures_ = 0; // it was making progress: a flaky line, not a dead one
    ++failures_;
    error_ = message;
    if (failures_ >= retry_.maxAttempts) {
        fail(tr("Gave up on %1 after %2 attempts. %3").arg(request_.name).arg(failures_).arg(message));
        return;
    }
    speed_ = 0;
    setState(State::Retrying);
    retryTimer_.start(retry_.delayMs(failures_));
}

void Download::verify() {
    setState(State::Verifying);
    speed_ = 0;
    emit progressChanged();
    const quint64 generation = generation_;
    QtConcurrent::run(&hashPool_, [hash = hash_] { return QString::fromLatin1(hash->sha256.result().toHex()); })
        .then(this, [this, generation](const QString& digest) {
            if (generation != generation_ || state_ != State::Verifying) return;
            if (!expectedSha256_.isEmpty() && digest != expectedSha256_) {
                QFile::remove(partPath());
                fail(tr("The SHA-256 of %1 is %2, but %3 was expected; the partial download was deleted.")
                         .arg(request_.name, digest, expectedSha256_));
                return;
            }
            // rename(2): atomic, and it replaces an older file of that name.
            std::error_code error;
            std::filesystem::rename(QFile::encodeName(partPath()).toStdString(),
                                    QFile::encodeName(request_.destination).toStdString(), error);
            if (error) {
                fail(tr("Could not move %1 into place: %2")
                         .arg(request_.destination, QString::fromStdString(error.message())));
                return;
            }
            error_.clear(); // a retry's reason no longer applies
            setState(State::Finished);
            emit progressChanged();
        });
}

void Download::startHash(qint64 prefixBytes) {
    ++generation_;
    if (hash_) hash_->abandoned = true;
    hash_ = std::make_shared<Hash>();
    if (prefixBytes > 0)
        (void)QtConcurrent::run(&hashPool_, [hash = hash_, path = partPath(), prefixBytes] {
            hashPrefix(hash.get(), path, prefixBytes);
        });
}

void Download::abortTransfer() {
    // Cleared first, so the finished() that abort() emits is seen as stale.
    if (QNetworkReply* head = head_) {
        head_ = nullptr;
        head->abort();
    }
    if (QNetworkReply* reply = reply_) {
        reply_ = nullptr;
        reply->abort();
    }
}

void Download::closeFile() {
    if (!file_.isOpen()) return;
    file_.flush();
    file_.close();
}

void Download::fail(const QString& message) {
    error_ = message;
    speed_ = 0;
    setState(State::Failed);
}

void Download::setState(State state) {
    if (state == state_) return;
    state_ = state;
    emit stateChanged();
}

QNetworkRequest Download::withAuthorization(QNetworkRequest request) const {
    if (!request_.bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + request_.bearerToken.toUtf8());
    return request;
}

// The URL without user info or query, either of which may carry a secret.
QString Download::displayUrl() const {
    return request_.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

QString Download::statusMessage(int status, const QByteArray& reason) const {
    const QString phrase = QString::fromLatin1(reason);
    if (status == 401 || status == 403)
        return tr("The server refused %1 with HTTP %2 %3; the repository may be gated and need an access token.")
            .arg(displayUrl())
            .arg(status)
            .arg(phrase);
    if (status == 404)
        return tr("The server has no file at %1 (HTTP %2 %3).").arg(displayUrl()).arg(status).arg(phrase);
    return tr("The server answered HTTP %1 %2 for %3.").arg(status).arg(phrase).arg(displayUrl());
}

} // namespace ponder::download
