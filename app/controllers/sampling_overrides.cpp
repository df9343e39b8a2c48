#include "controllers/sampling_overrides.h"

#include "core/error.h"
#include "sampling/sampling_checks.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace ponder::controllers {
namespace {

void setField(SamplingParams& params, const QString& field, double value)
{
    if (field == QLatin1String("temperature")) params.temperature = value;
    else if (field == QLatin1String("topP")) params.topP = value;
    else if (field == QLatin1String("topK")) params.topK = static_cast<std::int64_t>(std::llround(value));
    else if (field == QLatin1String("minP")) params.minP = value;
    else if (field == QLatin1String("presencePenalty")) params.presencePenalty = value;
    else if (field == QLatin1String("repetitionPenalty")) params.repetitionPenalty = value;
    else throw Error("sampling overrides: unknown field \"" + field.toStdString() + "\" (known: " +
                     SamplingOverrides::fields().join(QStringLiteral(", ")).toStdString() + ")");
}

} // namespace

const QStringList& SamplingOverrides::fields()
{
    static const QStringList names{QStringLiteral("temperature"), QStringLiteral("topP"), QStringLiteral("topK"),
                                   QStringLiteral("minP"), QStringLiteral("presencePenalty"),
                                   QStringLiteral("repetitionPenalty")};
    return names;
}

SamplingOverrides SamplingOverrides::fromJson(const QString& json)
{
    SamplingOverrides overrides;
    if (json.trimmed().isEmpty())
        return overrides;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        throw Error("sampling overrides must be a JSON object like {\"temperature\": 0.6}, not: " + json.toStdString());
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isDouble())
            throw Error("sampling overrides: \"" + it.key().toStdString() + "\" must be a number");
        overrides.set(it.key(), it.value().toDouble());
    }
    return overrides;
}

QString SamplingOverrides::toJson() const
{
    if (values_.empty())
        return {};
    QJsonObject object;
    for (const auto& [field, value] : values_)
        object.insert(field, field == QLatin1String("topK") ? QJsonValue(static_cast<qint64>(value)) : QJsonValue(value));
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::optional<double> SamplingOverrides::value(const QString& field) const
{
    const auto it = values_.find(field);
    return it == values_.end() ? std::nullopt : std::optional<double>(it->second);
}

void SamplingOverrides::set(const QString& field, double value)
{
    if (!std::isfinite(value))
        throw Error("sampling overrides: " + field.toStdString() + " must be a finite number");
    // Checked alone on top of defaults that pass, so the message names this field.
    SamplingParams probe;
    setField(probe, field, value);
    detail::checkSamplingParams(probe, "sampling overrides");
    values_[field] = field == QLatin1String("topK") ? static_cast<double>(probe.topK) : value;
}

void SamplingOverrides::clear(const QString& field)
{
    values_.erase(field);
}

SamplingParams SamplingOverrides::applyTo(SamplingParams recommended) const
{
    for (const auto& [field, value] : values_)
        setField(recommended, field, value);
    return recommended;
}

double SamplingOverrides::fieldOf(const SamplingParams& params, const QString& field)
{
    if (field == QLatin1String("temperature")) return params.temperature;
    if (field == QLatin1String("topP")) return params.topP;
    if (field == QLatin1String("topK")) return static_cast<double>(params.topK);
    if (field == QLatin1String("minP")) return params.minP;
    if (field == QLatin1String("presencePenalty")) return params.presencePenalty;
    if (field == QLatin1String("repetitionPenalty")) return params.repetitionPenalty;
    throw Error("sampling overrides: unknown field \"" + field.toStdString() + "\"");
}

} // namespace ponder::controllers
