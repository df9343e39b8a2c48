#include "token_store.h"

#include <qt6keychain/keychain.h>

#include <QtGlobal>

namespace ponder::desktop {

TokenStore::TokenStore(const QString& service, const QString& key, QObject* parent)
    : QObject(parent), service_(service), key_(key)
{
    auto* read = new QKeychain::ReadPasswordJob(service_, this);
    read->setKey(key_);
    run(read, true);
}

void TokenStore::setToken(const QString& token)
{
    const QString trimmed = token.trimmed();
    setByUser_ = true;
    if (trimmed == token_)
        return;
    token_ = trimmed;
    Q_EMIT tokenChanged();
    if (trimmed.isEmpty()) {
        auto* remove = new QKeychain::DeletePasswordJob(service_, this);
        remove->setKey(key_);
        run(remove, false);
    } else {
        auto* write = new QKeychain::WritePasswordJob(service_, this);
        write->setKey(key_);
        write->setTextData(trimmed);
        run(write, false);
    }
}

void TokenStore::run(QKeychain::Job* job, bool read)
{
    // Never the plain-text fallback QtKeychain offers: without a secret store the token stays in memory.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    ++pending_;
    // A job can fail inside start() (no D-Bus at all): the answer is taken then, but acted on from the event
    // loop, so that callers see every change as a signal after the call that caused it.
    connect(job, &QKeychain::Job::finished, this, [this, read](QKeychain::Job* done) {
        Answer answer{done->error(), done->errorString(), {}};
        if (read && answer.error == QKeychain::NoError)
            answer.token = static_cast<QKeychain::ReadPasswordJob*>(done)->textData().trimmed();
        QMetaObject::invokeMethod(this, [this, read, answer] { onFinished(answer, read); }, Qt::QueuedConnection);
    });
    job->start();
}

void TokenStore::onFinished(const Answer& answer, bool read)
{
    --pending_;
    // Nothing stored yet, or nothing to delete: the store answered all the same.
    if (answer.error == QKeychain::NoError || answer.error == QKeychain::EntryNotFound) {
        setStorage(QStringLiteral("keychain"));
        if (read && answer.error == QKeychain::NoError && !setByUser_ && answer.token != token_) {
            token_ = answer.token;
            Q_EMIT tokenChanged();
        }
    } else {
        // QtKeychain's message names the backend's problem, never the secret.
        qInfo("The secret store is not available (%s); the download access token is kept for this session only.",
              qPrintable(answer.errorString));
        setStorage(QStringLiteral("session"));
    }
    if (pending_ == 0)
        Q_EMIT settled();
}

void TokenStore::setStorage(const QString& storage)
{
    if (storage == storage_)
        return;
    storage_ = storage;
    Q_EMIT storageChanged();
}

} // namespace ponder::desktop
