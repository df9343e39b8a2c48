#include "controllers/model_defaults_editor.h"

#include <algorithm>
#include <exception>

namespace ponder::controllers {

ModelDefaultsEditor::ModelDefaultsEditor(QObject* parent) : QObject(parent) {}

void ModelDefaultsEditor::setStore(ModelDefaultsStore* store)
{
    if (store == store_)
        return;
    store_ = store;
    Q_EMIT storeChanged();
    load();
}

void ModelDefaultsEditor::setModelId(const QString& id)
{
    if (id == modelId_)
        return;
    modelId_ = id;
    Q_EMIT modelChanged();
    load();
}

void ModelDefaultsEditor::setModelContextLength(int positions)
{
    positions = std::max(positions, 0);
    if (positions == modelContextLength_)
        return;
    modelContextLength_ = positions;
    Q_EMIT modelChanged();
}

void ModelDefaultsEditor::setAppContextLengthChoices(const QVariantList& choices)
{
    if (choices == appChoices_)
        return;
    appChoices_ = choices;
    Q_EMIT modelChanged();
}

QVariantList ModelDefaultsEditor::contextLengthChoices() const
{
    QVariantList list;
    for (const QVariant& choice : appChoices_)
        if (modelContextLength_ == 0 || choice.toInt() <= modelContextLength_)
            list.append(choice.toInt());
    // A model holding, say, 40960 positions can use all of them, though that is no step of the app's.
    if (modelContextLength_ > 0 && !list.contains(modelContextLength_))
        list.append(modelContextLength_);
    return list;
}

void ModelDefaultsEditor::refuse(const QString& message)
{
    error_ = message;
    Q_EMIT edited();
}

void ModelDefaultsEditor::edit(ModelDefaults changed)
{
    if (changed == edited_ && error_.isEmpty())
        return;
    edited_ = std::move(changed);
    error_.clear();
    Q_EMIT edited();
}

void ModelDefaultsEditor::setContextLength(int positions)
{
    if (positions < 0) {
        refuse(tr("The context length must be a positive number of tokens, or the app's setting."));
        return;
    }
    ModelDefaults changed = edited_;
    changed.contextLength = positions;
    edit(std::move(changed));
}

QString ModelDefaultsEditor::thinking() const
{
    if (!edited_.thinking)
        return {};
    return *edited_.thinking ? QStringLiteral("on") : QStringLiteral("off");
}

void ModelDefaultsEditor::setThinking(const QString& mode)
{
    ModelDefaults changed = edited_;
    if (mode.isEmpty())
        changed.thinking.reset();
    else if (mode == QLatin1String("on") || mode == QLatin1String("off"))
        changed.thinking = mode == QLatin1String("on");
    else {
        refuse(tr("The thinking default must be \"on\", \"off\" or the app's, not \"%1\".").arg(mode));
        return;
    }
    edit(std::move(changed));
}

void ModelDefaultsEditor::setDevice(const QString& device)
{
    ModelDefaults changed = edited_;
    changed.device = device;
    edit(std::move(changed));
}

QVariantMap ModelDefaultsEditor::samplingOverrides() const
{
    QVariantMap map;
    for (const QString& field : SamplingOverrides::fields())
        if (const auto value = edited_.sampling.value(field))
            map.insert(field, *value);
    return map;
}

bool ModelDefaultsEditor::setSamplingOverride(const QString& field, double value)
{
    ModelDefaults changed = edited_;
    try {
        changed.sampling.set(field, value);
    } catch (const std::exception& e) {
        refuse(QString::fromUtf8(e.what()));
        return false;
    }
    edit(std::move(changed));
    return true;
}

void ModelDefaultsEditor::clearSamplingOverride(const QString& field)
{
    ModelDefaults changed = edited_;
    changed.sampling.clear(field);
    edit(std::move(changed));
}

void ModelDefaultsEditor::load()
{
    ModelDefaults stored;
    if (store_ && !modelId_.isEmpty()) {
        try {
            stored = store_->defaults(modelId_);
        } catch (const std::exception& e) {
            stored_ = edited_ = {};
            refuse(QString::fromUtf8(e.what()));
            return;
        }
    }
    stored_ = stored;
    error_.clear();
    edited_ = std::move(stored);
    Q_EMIT edited();
}

void ModelDefaultsEditor::reset()
{
    edit({});
}

bool ModelDefaultsEditor::save()
{
    if (!store_ || modelId_.isEmpty()) {
        refuse(tr("There is no model to save these defaults for."));
        return false;
    }
    try {
        store_->setDefaults(modelId_, edited_);
    } catch (const std::exception& e) {
        refuse(QString::fromUtf8(e.what()));
        return false;
    }
    stored_ = edited_;
    error_.clear();
    Q_EMIT edited();
    return true;
}

} // namespace ponder::controllers
