#pragma once
// One file fetched over HTTP(S) into <destination>.part and moved into place when complete and verified.
//
// - Resume: a .part left by a pause, a previous run or a crash is continued with `Range: bytes=N-`; the answer
//   must be 206 with a Content-Range starting at N, a 200 means the server ignored the range and the .part is
//   truncated and written afresh from that same answer, any other start restarts from 0.
// - Retries: network errors, 5xx answers and answers cut short are retried after a back-off (doubling, capped,
//   RetryPolicy), and so are 408 and 429; a retry that got some bytes through starts the count again.
//   401/403/404 and other 4xx fail at once with a message naming the status and the URL (never the token,
//   never the query).
// - Token: the optional bearer token goes to the URL's own origin only. Redirects are followed here, not by
//   Qt, so a redirect to another host (the hub's CDN) is fetched without it.
// - Free space: the destination folder must hold the remaining bytes (known size, the HEAD's size, or the
//   GET's Content-Length); otherwise it fails before writing with a message saying how much is missing.
// - SHA-256: hashed while writing on a one-thread pool (QtConcurrent), the existing prefix re-hashed there on
//   resume, so the GUI thread never hashes and the end costs nothing extra. Compared with the expected digest
//   (given, or the hub's X-Linked-Etag read by a HEAD that does not follow redirects); a mismatch deletes the
//   .part. The finished file is renamed into place within its folder (atomic, replacing an older one).
//
// Lives on (and is driven from) the thread of its QNetworkAccessManager, normally the GUI thread.
#include "download/download_request.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace ponder::download {

class Download : public QObject {
    Q_OBJECT

public:
    enum class State { Queued, Running, Paused, Retrying, Verifying, Finished, Failed, Canceled };
    Q_ENUM(State)

    // Free bytes in a folder, or -1 when unknown (the check is then skipped). Tests inject a small number.
    using FreeSpaceProvider = std::function<qint64(const QString& folder)>;
    static qint64 storageFreeSpace(const QString& folder); // the default: QStorageInfo
    struct Hash;

    Download(QNetworkAccessManager* network, DownloadRequest request, QObject* parent = nullptr);
    ~Download() override; // aborts the transfer (the .part stays) and waits for the hashing thread

    void setRetryPolicy(const RetryPolicy& policy) { retry_ = policy; }
    void setFreeSpaceProvider(FreeSpaceProvider provider) { freeSpace_ = std::move(provider); }

    const DownloadRequest& request() const { return request_; }
    QString partPath() const { return request_.destination + QStringLiteral(".part"); }
    State state() const { return state_; }
    bool isActive() const { return state_ == State::Running || state_ == State::Retrying || state_ == State::Verifying; }
    QString errorString() const { return error_; } // why it failed, or the last error while retrying
    QString expectedSha256() const { return expectedSha256_; } // given or learnt from the hub; lower case
    qint64 bytesDone() const { return done_; }
    qint64 totalBytes() const { return total_; } // -1 until known
    double bytesPerSecond() const { return speed_; } // smoothed; 0 when not transferring
    qint64 secondsLeft() const; // -1 when unknown

    // Starts or resumes (from Queued, Paused or Failed); does nothing while active or when finished.
    void start();
    // Stops the transfer and keeps the .part; start() continues from it.
    void pause();
    // Stops and deletes the .part.
    void cancel();
    // Paused or Failed back to Queued, for a queue that starts it when a slot is free.
    void requeue();

Q_SIGNALS:
    void stateChanged();
    void progressChanged();

private:
    void probe();
    void onProbeFinished(QNetworkReply* reply);
    void begin();
    void sendGet(const QUrl& url);
    void onReadyRead(QNetworkReply* reply);
    void onFinished(QNetworkReply* reply);
    bool acceptResponseHead(QNetworkReply* reply);
    void restartFromZero();
    bool hasRoomFor(qint64 bytes);
    void writeChunk(const QByteArray& data);
    void scheduleRetry(const QString& message);
    void verify();
    void startHash(qint64 prefixBytes);
    void abortTransfer();
    void closeFile();
    void fail(const QString& message);
    void setState(State state);
    void updateSpeed(bool force);
    QNetworkRequest withAuthorization(QNetworkRequest request) const;
    QString displayUrl() const;
    QString statusMessage(int status, const QByteArray& reason) const;

    QNetworkAccessManager* network_;
    DownloadRequest request_;
    RetryPolicy retry_;
    FreeSpaceProvider freeSpace_ = &Download::storageFreeSpace;

    State state_ = State::Queued;
    QString error_;
    QString expectedSha256_;
    qint64 knownSize_ = -1; // from the request or the HEAD
    bool probed_ = false;

    QPointer<QNetworkReply> head_;
    QPointer<QNetworkReply> reply_;
    bool headChecked_ = false; // the current reply's status was looked at
    bool headAccepted_ = false; // ... and its body is the file's bytes from offset_
    bool gotBytes_ = false; // the current attempt wrote something
    int redirects_ = 0; // followed in the current attempt
    QFile file_;
    qint64 offset_ = 0; // bytes in the .part when the current request was made
    qint64 done_ = 0;
    qint64 total_ = -1;
    int failures_ = 0; // in a row
    QTimer retryTimer_;

    QElapsedTimer sampleClock_;
    qint64 sampleBytes_ = 0;
    double speed_ = 0;
    QElapsedTimer emitClock_;

    // One thread, so the prefix and the chunks are hashed in the order they were queued.
    QThreadPool hashPool_;
    std::shared_ptr<Hash> hash_;
    quint64 generation_ = 0; // bumped whenever the hash in flight is abandoned
};

} // namespace ponder::download
