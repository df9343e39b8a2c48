#include "controllers/model_defaults.h"

#include "core/error.h"

#include <QSettings>

#include <exception>

namespace ponder::controllers {
namespace {

const QString kContextLength = QStringLiteral("contextLength");
const QString kThinking = QStringLiteral("thinking");
const QString kDevice = QStringLiteral("device");
const QString kSampling = QStringLiteral("sampling/");

QString groupOf(const QString& id)
{
    // A slash or backslash would nest the key elsewhere in the settings.
    if (id.isEmpty() || id.contains(QLatin1Char('/')) || id.contains(QLatin1Char('\\')))
        throw Error("model defaults: \"" + id.toStdString() + "\" is not a model id");
    return QStringLiteral("models/") + id + QLatin1Char('/');
}

} // namespace

ModelDefaultsStore::ModelDefaultsStore(QObject* parent) : QObject(parent) {}

ModelDefaults ModelDefaultsStore::defaults(const QString& id) const
{
    ModelDefaults d;
    const QString group = groupOf(id);
    const QSettings settings;
    if (settings.contains(group + kContextLength)) {
        bool ok = false;
        const int positions = settings.value(group + kContextLength).toInt(&ok);
        if (ok && positions > 0)
            d.contextLength = positions;
        else
            qWarning("model defaults: %s%s is not a positive number of positions; the app's context length applies",
                     qPrintable(group), qPrintable(kContextLength));
    }
    if (settings.contains(group + kThinking)) {
        const QString thinking = settings.value(group + kThinking).toString();
        if (thinking == QLatin1String("on") || thinking == QLatin1String("off"))
            d.thinking = thinking == QLatin1String("on");
        else
            qWarning("model defaults: %s%s is \"%s\", not \"on\" or \"off\"", qPrintable(group), qPrintable(kThinking),
                     qPrintable(thinking));
    }
    d.device = settings.value(group + kDevice).toString();
    for (const QString& field : SamplingOverrides::fields()) {
        const QString key = group + kSampling + field;
        if (!settings.contains(key))
            continue;
        bool ok = false;
        const double value = settings.value(key).toDouble(&ok);
        try {
            if (!ok)
                throw Error("not a number");
            d.sampling.set(field, value);
        } catch (const std::exception& e) {
            qWarning("model defaults: %s is left out (%s)", qPrintable(key), e.what());
        }
    }
    return d;
}

void ModelDefaultsStore::setDefaults(const QString& id, const ModelDefaults& defaults)
{
    const QString group = groupOf(id);
    QSettings settings;
    settings.remove(group.chopped(1)); // the whole group: fields no longer set must not linger
    if (!defaults.followsApp()) {
        if (defaults.contextLength > 0)
            settings.setValue(group + kContextLength, defaults.contextLength);
        if (defaults.thinking)
            settings.setValue(group + kThinking, *defaults.thinking ? QStringLiteral("on") : QStringLiteral("off"));
        if (!defaults.device.isEmpty())
            settings.setValue(group + kDevice, defaults.device);
        for (const QString& field : SamplingOverrides::fields())
            if (const auto value = defaults.sampling.value(field))
                settings.setValue(group + kSampling + field, *value);
    }
    Q_EMIT changed(id);
}

} // namespace ponder::controllers
