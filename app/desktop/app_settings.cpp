#include "app_settings.h"

#include "backend/vulkan/vulkan_devices.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>
#include <exception>

namespace ponder::desktop {
namespace {

const QString kContextKey = QStringLiteral("generation/contextLength");
const QString kDeviceKey = QStringLiteral("generation/device");
const QString kLanguageKey = QStringLiteral("appearance/language");
const QString kFontKey = QStringLiteral("appearance/fontPixelSize");
const QString kDataDirKey = QStringLiteral("storage/dataDir");
const QString kDownloadSourceKey = QStringLiteral("downloads/source");
const QString kMirrorKey = QStringLiteral("downloads/mirrorUrl");
const QString kVulkanPrefix = QStringLiteral("vulkan:");

// 2K to 128K positions; the model's own maximum caps what applies.
constexpr int kContextChoices[] = {2048, 4096, 8192, 16384, 32768, 65536, 131072};

QVariantMap choice(const QString& value, const QString& label)
{
    return {{QStringLiteral("value"), value}, {QStringLiteral("label"), label}};
}

} // namespace

AppSettings::AppSettings(const QString& dataDir, QObject* parent) : QObject(parent), dataDir_(dataDir)
{
    QSettings settings;
    const int context = settings.value(kContextKey, contextLength_).toInt();
    if (std::find(std::begin(kContextChoices), std::end(kContextChoices), context) != std::end(kContextChoices))
        contextLength_ = context;
    device_ = settings.value(kDeviceKey, QStringLiteral("auto")).toString();
    setDownloadSource(settings.value(kDownloadSourceKey, downloadSource_).toString());
    mirrorUrl_ = settings.value(kMirrorKey, mirrorUrl_).toString();
    fontPixelSize_ = std::clamp(settings.value(kFontKey, fontPixelSize_).toInt(), minFontPixelSize(), maxFontPixelSize());
    listDevices();
    const QString language = settings.value(kLanguageKey, QStringLiteral("en")).toString();
    if (language != QLatin1String("en"))
        languageError_ = switcher_.switchTo(language, nullptr);
    labelDevices(); // in the language just installed
    connect(&token_, &TokenStore::tokenChanged, this, &AppSettings::accessTokenChanged);
    connect(&token_, &TokenStore::storageChanged, this, &AppSettings::tokenStorageChanged);
}

AppSettings::~AppSettings() = default;

QString AppSettings::storedDataDir()
{
    return QSettings().value(kDataDirKey).toString();
}

void AppSettings::listDevices()
{
    try {
        for (const VulkanDeviceInfo& d : listVulkanDevices())
            vulkanDevices_.push_back({QString::fromStdString(d.name), QString::fromStdString(d.type)});
    } catch (const std::exception& e) {
        vulkanProblem_ = QString::fromUtf8(e.what());
    }
}

void AppSettings::labelDevices()
{
    devices_ = {choice(QStringLiteral("auto"), tr("Automatic (the GPU when there is one)")),
                choice(QStringLiteral("cpu"), tr("CPU"))};
    for (const auto& [name, type] : vulkanDevices_)
        devices_.append(choice(kVulkanPrefix + name, tr("%1 (Vulkan, %2)").arg(name, type)));
    devicesNote_ = vulkanProblem_.isEmpty() ? QString()
                                            : tr("Only the CPU is offered: Vulkan is not available (%1).").arg(vulkanProblem_);
}

int AppSettings::effectiveContextLength() const
{
    return modelContextLength_ > 0 ? std::min(contextLength_, modelContextLength_) : contextLength_;
}

QVariantList AppSettings::contextLengthChoices() const
{
    QVariantList list;
    for (const int positions : kContextChoices)
        list.append(positions);
    return list;
}

void AppSettings::setContextLength(int positions)
{
    if (std::find(std::begin(kContextChoices), std::end(kContextChoices), positions) == std::end(kContextChoices)) {
        qWarning("AppSettings: context length %d is not one of the offered steps (2048 ... 131072)", positions);
        return;
    }
    if (positions == contextLength_)
        return;
    contextLength_ = positions;
    QSettings().setValue(kContextKey, positions);
    Q_EMIT contextLengthChanged();
}

void AppSettings::setModelLoaded(bool loaded, qint64 modelContextLength)
{
    const int before = effectiveContextLength();
    const int maximum = loaded ? static_cast<int>(std::min<qint64>(modelContextLength, kContextChoices[std::size(kContextChoices) - 1])) : 0;
    const bool changed = loaded != modelLoaded_ || maximum != modelContextLength_;
    modelLoaded_ = loaded;
    modelContextLength_ = maximum;
    if (loaded && reloadSuggested_) { // loaded again: on the chosen device now
        reloadSuggested_ = false;
        Q_EMIT deviceChanged();
    }
    if (changed || before != effectiveContextLength())
        Q_EMIT contextLengthChanged();
}

bool AppSettings::offersDevice(const QString& device) const
{
    return std::any_of(devices_.begin(), devices_.end(), [&](const QVariant& d) {
        return d.toMap().value(QStringLiteral("value")).toString() == device;
    });
}

void AppSettings::setDevice(const QString& device)
{
    if (!offersDevice(device)) {
        qWarning("AppSettings: no device \"%s\" on this machine", qPrintable(device));
        return;
    }
    if (device == device_)
        return;
    device_ = device;
    QSettings().setValue(kDeviceKey, device);
    reloadSuggested_ = modelLoaded_;
    Q_EMIT deviceChanged();
}

BackendChoice AppSettings::backendChoiceOf(const QString& device)
{
    BackendChoice choice;
    if (device == QLatin1String("cpu")) {
        choice.backend = "cpu";
    } else if (device.startsWith(kVulkanPrefix)) {
        choice.backend = "vulkan";
        choice.device = device.mid(kVulkanPrefix.size()).toStdString();
    }
    return choice; // anything else: auto
}

void AppSettings::setLanguage(const QString& language)
{
    if (language == switcher_.current() && languageError_.isEmpty())
        return;
    languageError_ = switcher_.switchTo(language, qmlEngine_);
    if (languageError_.isEmpty())
        QSettings().setValue(kLanguageKey, language);
    labelDevices();
    Q_EMIT languageChanged();
}

void AppSettings::setFontPixelSize(int pixels)
{
    pixels = std::clamp(pixels, minFontPixelSize(), maxFontPixelSize());
    if (pixels == fontPixelSize_)
        return;
    fontPixelSize_ = pixels;
    QSettings().setValue(kFontKey, pixels);
    Q_EMIT fontPixelSizeChanged();
}

void AppSettings::setDownloadSource(const QString& source)
{
    if (source == downloadSource_
        || (source != QLatin1String("huggingface") && source != QLatin1String("mirror") && source != QLatin1String("modelscope")))
        return;
    downloadSource_ = source;
    QSettings().setValue(kDownloadSourceKey, source);
    Q_EMIT downloadSourceChanged();
}

void AppSettings::setMirrorUrl(const QString& url)
{
    const QString trimmed = url.trimmed();
    if (trimmed == mirrorUrl_)
        return;
    mirrorUrl_ = trimmed;
    QSettings().setValue(kMirrorKey, trimmed);
    Q_EMIT downloadSourceChanged();
}

bool AppSettings::mirrorUrlValid() const
{
    const QUrl url(mirrorUrl_);
    return url.isValid() && !url.host().isEmpty()
           && (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"));
}

QString AppSettings::nextDataDir() const
{
    const QString stored = storedDataDir();
    return stored.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : stored;
}

bool AppSettings::dataDirFromEnvironment() const
{
    return !qEnvironmentVariableIsEmpty("PONDER_DATA_DIR");
}

void AppSettings::chooseDataDir(const QUrl& folder)
{
    if (!folder.isLocalFile()) {
        qWarning("AppSettings: the data folder must be a local folder, not %s", qPrintable(folder.toString()));
        return;
    }
    QSettings().setValue(kDataDirKey, QDir::cleanPath(folder.toLocalFile()));
    Q_EMIT nextDataDirChanged();
}

void AppSettings::resetDataDir()
{
    QSettings().remove(kDataDirKey);
    Q_EMIT nextDataDirChanged();
}

void AppSettings::setQmlEngine(QQmlEngine* engine)
{
    qmlEngine_ = engine;
}

} // namespace ponder::desktop
