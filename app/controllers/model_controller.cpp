#include "controllers/model_controller.h"

#include <QFileInfo>

namespace ponder::controllers {

ModelController::ModelController(app::Engine& engine, QObject* parent) : QObject(parent), engine_(engine)
{
    connect(&engine_, &app::Engine::loadProgress, this, [this](const QString& path, double fraction) {
        if (state_ == State::Loading && path == loadingPath_)
            setProgress(fraction);
    });
    connect(&engine_, &app::Engine::loaded, this, [this](const app::ModelSummary& summary) {
        setProgress(1.0);
        summary_ = summary;
        state_ = State::Ready;
        error_.clear();
        Q_EMIT stateChanged();
        Q_EMIT modelChanged();
    });
    connect(&engine_, &app::Engine::loadFailed, this, [this](const QString&, const QString& message) {
        summary_.reset();
        state_ = State::Failed;
        error_ = message;
        Q_EMIT stateChanged();
        Q_EMIT modelChanged();
    });
    connect(&engine_, &app::Engine::unloaded, this, [this] {
        if (state_ == State::Loading) // the old model went on the way to the new one
            return;
        summary_.reset();
        state_ = State::None;
        Q_EMIT stateChanged();
        Q_EMIT modelChanged();
    });
}

QString ModelController::name() const
{
    if (summary_)
        return summary_->name;
    return loadingPath_.isEmpty() ? QString() : QFileInfo(loadingPath_).fileName();
}

QString ModelController::path() const
{
    return summary_ ? summary_->path : loadingPath_;
}

QString ModelController::backendName() const
{
    return summary_ ? summary_->backendName : QString();
}

QString ModelController::thinking() const
{
    if (!summary_)
        return QStringLiteral("never");
    switch (summary_->thinking) {
    case ThinkingSupport::Hybrid: return QStringLiteral("hybrid");
    case ThinkingSupport::ThinkingOnly: return QStringLiteral("always");
    case ThinkingSupport::None: return QStringLiteral("never");
    }
    return QStringLiteral("never");
}

void ModelController::load(const QString& path)
{
    loadingPath_ = path;
    setProgress(0.0);
    summary_.reset();
    state_ = State::Loading;
    error_.clear();
    Q_EMIT stateChanged();
    Q_EMIT modelChanged();
    app::LoadRequest request;
    request.path = path;
    request.backend = backendFor_ ? backendFor_(path) : backend_;
    engine_.load(request);
}

void ModelController::setProgress(double fraction)
{
    if (fraction == progress_)
        return;
    progress_ = fraction;
    Q_EMIT progressChanged();
}

void ModelController::unload()
{
    loadingPath_.clear();
    engine_.unload();
}

} // namespace ponder::controllers
