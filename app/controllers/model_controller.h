#pragma once
// The loaded model as the header shows it: load a file, its state (none, loading, ready, failed), its name
// and thinking support, and the error when loading failed. Loading runs on the engine thread.
#include "worker/engine.h"

#include <QObject>

#include <functional>
#include <optional>

namespace ponder::controllers {

class ModelController : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString name READ name NOTIFY stateChanged)
    Q_PROPERTY(QString path READ path NOTIFY stateChanged)
    Q_PROPERTY(QString backendName READ backendName NOTIFY stateChanged)
    Q_PROPERTY(QString error READ error NOTIFY stateChanged)
    // How far the load in progress is, 0..1 (1 once loaded).
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    // "hybrid" (a toggle), "always" (thinking-only: locked on), "never" (no thinking: hidden).
    Q_PROPERTY(QString thinking READ thinking NOTIFY stateChanged)

public:
    enum class State { None, Loading, Ready, Failed };
    Q_ENUM(State)

    explicit ModelController(app::Engine& engine, QObject* parent = nullptr);

    State state() const { return state_; }
    QString name() const;
    QString path() const;
    QString backendName() const;
    QString error() const { return error_; }
    double progress() const { return progress_; }
    QString thinking() const;
    const std::optional<app::ModelSummary>& summary() const { return summary_; }

    Q_INVOKABLE void load(const QString& path);
    Q_INVOKABLE void unload();
    void setBackend(const BackendChoice& backend) { backend_ = backend; }
    // Asked at each load for that model's backend, winning over setBackend's (a model's own device setting).
    using BackendFor = std::function<BackendChoice(const QString& path)>;
    void setBackendFor(BackendFor choose) { backendFor_ = std::move(choose); }

Q_SIGNALS:
    void stateChanged();
    void modelChanged(); // summary() changed: loaded, unloaded or failed
    void progressChanged();

private:
    void setProgress(double fraction);

    app::Engine& engine_;
    BackendChoice backend_;
    BackendFor backendFor_;
    State state_ = State::None;
    QString loadingPath_;
    QString error_;
    double progress_ = 0;
    std::optional<app::ModelSummary> summary_;
};

} // namespace ponder::controllers
