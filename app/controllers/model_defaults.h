#pragma once
// One model's own defaults, which win over the app's settings whenever that model is loaded: its context
// length, the thinking mode and sampling overrides a new conversation starts with, and the device it loads
// on. Kept in QSettings under "models/<id>/..." where <id> is the library's model id (ModelEntry::id), so
// they follow the model across scans and restarts:
//   models/<id>/contextLength       positions (absent: the app's setting)
//   models/<id>/thinking            "on" or "off" (absent: as the app does it, the last conversation's mode)
//   models/<id>/device              "auto", "cpu" or "vulkan:<name>", as AppSettings::device (absent: the app's)
//   models/<id>/sampling/<field>    one per overridden SamplingOverrides field (absent: the mode's recommended)
#include "controllers/sampling_overrides.h"

#include <QObject>
#include <QString>

#include <optional>

namespace ponder::controllers {

struct ModelDefaults {
    int contextLength = 0;        // 0: the app's context length
    std::optional<bool> thinking; // nullopt: the app's way (only hybrid models can switch)
    SamplingOverrides sampling;   // empty: each field follows the mode's recommended value
    QString device;               // empty: the app's device

    // Nothing of the model's own: everything follows the app.
    bool followsApp() const { return contextLength <= 0 && !thinking && sampling.empty() && device.isEmpty(); }
    bool operator==(const ModelDefaults&) const = default;
};

// The store of every model's defaults. Every instance reads and writes the same QSettings, so one made by
// the app and one the tests make agree; `changed` tells this instance's listeners what it wrote.
class ModelDefaultsStore : public QObject {
    Q_OBJECT

public:
    explicit ModelDefaultsStore(QObject* parent = nullptr);

    // What is stored for model `id`. A value that does not read back (edited by hand, or out of the sampler's
    // range) is left out with a warning naming it, so that field follows the app.
    ModelDefaults defaults(const QString& id) const;
    // Replaces what is stored for `id`; defaults that follow the app in everything remove its group.
    // Throws ponder::Error for an id that cannot be a settings key (empty, or with a slash).
    void setDefaults(const QString& id, const ModelDefaults& defaults);
    void reset(const QString& id) { setDefaults(id, {}); }

Q_SIGNALS:
    void changed(const QString& id);
};

} // namespace ponder::controllers
