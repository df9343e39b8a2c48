#pragma once
// One model's defaults as the Models page's dialog edits them: the fields of ModelDefaults as properties,
// changed freely and written to the store only by save(). QML makes one per dialog and points it at the
// app's store and a model (its library id, its own maximum context, whether it can switch thinking).
#include "controllers/model_defaults.h"

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QVariantMap>

namespace ponder::controllers {

class ModelDefaultsEditor : public QObject {
    Q_OBJECT
    Q_PROPERTY(ponder::controllers::ModelDefaultsStore* store READ store WRITE setStore NOTIFY storeChanged)
    // The model edited (ModelEntry::id); setting it reads what is stored.
    Q_PROPERTY(QString modelId READ modelId WRITE setModelId NOTIFY modelChanged)
    // The model's own maximum context (0: unknown), which caps the context lengths offered.
    Q_PROPERTY(int modelContextLength READ modelContextLength WRITE setModelContextLength NOTIFY modelChanged)
    // The steps the app offers (AppSettings::contextLengthChoices).
    Q_PROPERTY(QVariantList appContextLengthChoices READ appContextLengthChoices WRITE setAppContextLengthChoices
                   NOTIFY modelChanged)
    // The app's steps up to the model's maximum, then that maximum itself when it is not a step.
    Q_PROPERTY(QVariantList contextLengthChoices READ contextLengthChoices NOTIFY modelChanged)

    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY edited) // 0: the app's
    Q_PROPERTY(QString thinking READ thinking WRITE setThinking NOTIFY edited)            // "", "on", "off"
    Q_PROPERTY(QString device READ device WRITE setDevice NOTIFY edited)                  // "": the app's
    // Field (SamplingOverrides::fields()) -> the model's own value; fields not in it follow the mode.
    Q_PROPERTY(QVariantMap samplingOverrides READ samplingOverrides NOTIFY edited)
    Q_PROPERTY(bool modified READ modified NOTIFY edited)     // differs from what is stored
    Q_PROPERTY(bool followsApp READ followsApp NOTIFY edited) // nothing of the model's own
    Q_PROPERTY(QString error READ error NOTIFY edited)        // why the last edit was refused, or empty

public:
    explicit ModelDefaultsEditor(QObject* parent = nullptr);

    ModelDefaultsStore* store() const { return store_; }
    void setStore(ModelDefaultsStore* store);
    QString modelId() const { return modelId_; }
    void setModelId(const QString& id);
    int modelContextLength() const { return modelContextLength_; }
    void setModelContextLength(int positions);
    QVariantList appContextLengthChoices() const { return appChoices_; }
    void setAppContextLengthChoices(const QVariantList& choices);
    QVariantList contextLengthChoices() const;

    int contextLength() const { return edited_.contextLength; }
    void setContextLength(int positions); // a negative number is refused
    QString thinking() const;
    void setThinking(const QString& mode); // anything but "", "on" or "off" is refused
    QString device() const { return edited_.device; }
    void setDevice(const QString& device);
    QVariantMap samplingOverrides() const;
    bool modified() const { return !(edited_ == stored_); }
    bool followsApp() const { return edited_.followsApp(); }
    QString error() const { return error_; }
    const ModelDefaults& defaults() const { return edited_; }

    // Sets one field; false (with `error` naming the problem) for an unknown field or a value out of range.
    Q_INVOKABLE bool setSamplingOverride(const QString& field, double value);
    Q_INVOKABLE void clearSamplingOverride(const QString& field); // back to the mode's recommended value
    Q_INVOKABLE void load();  // what is stored, replacing the edits
    Q_INVOKABLE void reset(); // everything back to following the app (saved by save())
    // Writes the edits to the store; false (with `error`) without a store or a model.
    Q_INVOKABLE bool save();

Q_SIGNALS:
    void storeChanged();
    void modelChanged();
    void edited();

private:
    void edit(ModelDefaults changed);
    void refuse(const QString& message);

    QPointer<ModelDefaultsStore> store_;
    QString modelId_;
    int modelContextLength_ = 0;
    QVariantList appChoices_;
    ModelDefaults stored_, edited_;
    QString error_;
};

} // namespace ponder::controllers
