#pragma once
// A conversation's sampling overrides: the fields the user set explicitly, each winning over the mode's
// recommended value (thinking and non-thinking differ), the others following the mode. Stored in the
// conversation's samplingJson column as a JSON object with the keys below, e.g. {"temperature": 0.3}.
#include "sampling/sampler.h"

#include <QString>
#include <QStringList>

#include <map>
#include <optional>

namespace ponder::controllers {

class SamplingOverrides {
public:
    // The fields that can be overridden, in the order the settings show them:
    // temperature, topP, topK, minP, presencePenalty, repetitionPenalty.
    static const QStringList& fields();

    // Throws ponder::Error naming the problem for text that is not a JSON object of known numeric fields.
    static SamplingOverrides fromJson(const QString& json);
    QString toJson() const; // empty when nothing is overridden

    bool empty() const { return values_.empty(); }
    std::optional<double> value(const QString& field) const;
    // Throws ponder::Error for an unknown field or a value out of the sampler's range.
    void set(const QString& field, double value);
    void clear(const QString& field);

    // `recommended` with the overridden fields replaced.
    SamplingParams applyTo(SamplingParams recommended) const;
    static double fieldOf(const SamplingParams& params, const QString& field);

    bool operator==(const SamplingOverrides&) const = default;

private:
    std::map<QString, double> values_;
};

} // namespace ponder::controllers
