#pragma once
// The download access token, kept in the platform's secret store (Secret Service or KWallet on Linux, the
// Keychain on macOS, the Credential Manager on Windows, through QtKeychain) under service "Ponder", key
// "download-access-token", read when the store is made and written whenever it changes. Where no secret store
// answers (CI, a headless machine, a locked-out keyring: the job fails) the token is kept for this session
// only; storage() says which, so the settings can tell the user. Never written to QSettings or to the log.
#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace ponder::desktop {

class TokenStore : public QObject {
    Q_OBJECT

public:
    explicit TokenStore(const QString& service = QStringLiteral("Ponder"),
                        const QString& key = QStringLiteral("download-access-token"), QObject* parent = nullptr);

    QString token() const { return token_; }
    // "keychain" once the secret store has answered, "session" until then and whenever it fails.
    QString storage() const { return storage_; }
    // Usable at once; the secret store is updated in the background (an empty token deletes the entry).
    void setToken(const QString& token);
    bool busy() const { return pending_ > 0; }

Q_SIGNALS:
    void tokenChanged();
    void storageChanged();
    void settled(); // the last job in flight finished: storage() is what the store said

private:
    struct Answer {
        int error = 0; // QKeychain::Error
        QString errorString;
        QString token; // what a read found
    };
    void run(QKeychain::Job* job, bool read);
    void onFinished(const Answer& answer, bool read);
    void setStorage(const QString& storage);

    QString service_;
    QString key_;
    QString token_;
    QString storage_ = QStringLiteral("session");
    bool setByUser_ = false; // a token set before the first read answered is not overwritten by it
    int pending_ = 0;
};

} // namespace ponder::desktop
