#pragma once
// The app's own settings, kept with QSettings (under the organisation and app names main() sets): the
// context length, the compute device, the language (switched live), the font size and where the data lives
// (applied at the next start). QML binds to the properties; AppServices applies them to the controllers.
#include "language_switcher.h"
#include "runtime/backend_choice.h"
#include "token_store.h"

#include <QObject>
#include <QString>
#include <QUrl>
#include <QVariantList>

#include <utility>
#include <vector>

class QQmlEngine;

namespace ponder::desktop {

class AppSettings : public QObject {
    Q_OBJECT
    // What the user chose, and what applies: the choice capped by the loaded model's own maximum.
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY contextLengthChanged)
    Q_PROPERTY(int effectiveContextLength READ effectiveContextLength NOTIFY contextLengthChanged)
    Q_PROPERTY(int modelContextLength READ modelContextLength NOTIFY contextLengthChanged) // 0: no model
    Q_PROPERTY(QVariantList contextLengthChoices READ contextLengthChoices CONSTANT)
    // "auto", "cpu" or "vulkan:<device name>"; devices lists them as {value, label}.
    Q_PROPERTY(QString device READ device WRITE setDevice NOTIFY deviceChanged)
    Q_PROPERTY(QVariantList devices READ devices NOTIFY languageChanged) // labels in the current language
    Q_PROPERTY(QString devicesNote READ devicesNote NOTIFY languageChanged) // why no Vulkan device is offered, or empty
    // The device changed while a model is loaded: it applies when the model is loaded again.
    Q_PROPERTY(bool reloadSuggested READ reloadSuggested NOTIFY deviceChanged)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged) // "en", "zh_CN"
    Q_PROPERTY(QString languageError READ languageError NOTIFY languageChanged)
    Q_PROPERTY(int fontPixelSize READ fontPixelSize WRITE setFontPixelSize NOTIFY fontPixelSizeChanged)
    Q_PROPERTY(int minFontPixelSize READ minFontPixelSize CONSTANT)
    Q_PROPERTY(int maxFontPixelSize READ maxFontPixelSize CONSTANT)
    Q_PROPERTY(QString dataDir READ dataDir CONSTANT)      // the folder in use this session
    Q_PROPERTY(QUrl dataDirUrl READ dataDirUrl CONSTANT)
    Q_PROPERTY(QString nextDataDir READ nextDataDir NOTIFY nextDataDirChanged) // used from the next start
    Q_PROPERTY(bool dataDirFromEnvironment READ dataDirFromEnvironment CONSTANT) // PONDER_DATA_DIR wins
    // Where model downloads come from: "huggingface", "mirror" (mirrorUrl, a Hugging Face mirror) or
    // "modelscope"; and the access token for gated repositories, kept in the platform's secret store
    // (TokenStore) or, where there is none, for this session only (tokenStorage "keychain" or "session");
    // never written to QSettings or the log.
    Q_PROPERTY(QString downloadSource READ downloadSource WRITE setDownloadSource NOTIFY downloadSourceChanged)
    Q_PROPERTY(QString mirrorUrl READ mirrorUrl WRITE setMirrorUrl NOTIFY downloadSourceChanged)
    Q_PROPERTY(bool mirrorUrlValid READ mirrorUrlValid NOTIFY downloadSourceChanged)
    Q_PROPERTY(QString accessToken READ accessToken WRITE setAccessToken NOTIFY accessTokenChanged)
    Q_PROPERTY(QString tokenStorage READ tokenStorage NOTIFY tokenStorageChanged)

public:
    // `dataDir`: the folder this session uses.
    explicit AppSettings(const QString& dataDir, QObject* parent = nullptr);
    ~AppSettings() override;

    // The data folder the user chose for the next starts; empty: the default (main() decides).
    static QString storedDataDir();

    int contextLength() const { return contextLength_; }
    int effectiveContextLength() const;
    int modelContextLength() const { return modelContextLength_; }
    QVariantList contextLengthChoices() const;
    void setContextLength(int positions);

    QString device() const { return device_; }
    QVariantList devices() const { return devices_; }
    QString devicesNote() const { return devicesNote_; }
    bool reloadSuggested() const { return reloadSuggested_; }
    void setDevice(const QString& device);
    BackendChoice backendChoice() const { return backendChoiceOf(device_); }
    static BackendChoice backendChoiceOf(const QString& device); // a value of `devices`
    bool offersDevice(const QString& device) const;              // one of `devices` on this machine

    QString language() const { return switcher_.current(); }
    QString languageError() const { return languageError_; }
    void setLanguage(const QString& language);

    int fontPixelSize() const { return fontPixelSize_; }
    static int minFontPixelSize() { return 10; }
    static int maxFontPixelSize() { return 24; }
    void setFontPixelSize(int pixels);

    QString dataDir() const { return dataDir_; }
    QUrl dataDirUrl() const { return QUrl::fromLocalFile(dataDir_); }
    QString nextDataDir() const;
    bool dataDirFromEnvironment() const;
    Q_INVOKABLE void chooseDataDir(const QUrl& folder); // from a folder dialog
    Q_INVOKABLE void resetDataDir();                    // back to the default folder

    QString downloadSource() const { return downloadSource_; }
    void setDownloadSource(const QString& source); // anything else is ignored
    QString mirrorUrl() const { return mirrorUrl_; }
    void setMirrorUrl(const QString& url);
    bool mirrorUrlValid() const;
    QString accessToken() const { return token_.token(); }
    void setAccessToken(const QString& token) { token_.setToken(token); }
    QString tokenStorage() const { return token_.storage(); }

    // The loaded model: its own context maximum caps the context length (0: none loaded).
    void setModelLoaded(bool loaded, qint64 modelContextLength);
    // The QML engine whose qsTr() bindings a language switch re-evaluates (the stored language is installed
    // by the constructor, before any QML loads).
    void setQmlEngine(QQmlEngine* engine);

Q_SIGNALS:
    void contextLengthChanged();
    void deviceChanged();
    void languageChanged();
    void fontPixelSizeChanged();
    void nextDataDirChanged();
    void downloadSourceChanged();
    void accessTokenChanged();
    void tokenStorageChanged();

private:
    void listDevices();  // once: the Vulkan devices, or why there are none
    void labelDevices(); // devices_ and devicesNote_ in the current language

    QString dataDir_;
    int contextLength_ = 4096;
    int modelContextLength_ = 0;
    bool modelLoaded_ = false;
    QString device_;
    std::vector<std::pair<QString, QString>> vulkanDevices_; // name, type
    QString vulkanProblem_;
    QVariantList devices_;
    QString devicesNote_;
    bool reloadSuggested_ = false;
    LanguageSwitcher switcher_;
    QString languageError_;
    int fontPixelSize_ = 14;
    QQmlEngine* qmlEngine_ = nullptr;
    QString downloadSource_ = QStringLiteral("huggingface");
    QString mirrorUrl_ = QStringLiteral("https://hf-mirror.com");
    TokenStore token_;
};

} // namespace ponder::desktop
