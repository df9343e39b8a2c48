#pragma once
// The engine's side of the app: lives on the engine thread (see Engine), owns the loaded model and the
// conversations' generation sessions, and runs one request at a time in the order they were queued. Every
// result goes out as a signal, which Qt queues to the GUI thread; nothing here touches a GUI object.
#include "engine_types.h"
#include "runtime/loaded_model.h"
#include "session_cache.h"

#include <QObject>

#include <memory>

namespace ponder::app {

class EngineWorker : public QObject {
    Q_OBJECT

public:
    explicit EngineWorker(std::uint64_t sessionBudgetBytes);
    ~EngineWorker() override;

    // Called on the engine thread (Engine queues them).
    void load(const ponder::app::LoadRequest& request);
    void unload();
    void generate(const ponder::app::GenerationRequest& request);
    void forgetConversation(qint64 conversationId);

Q_SIGNALS:
    void loadStarted(const QString& path);
    // The fraction of the load done (0..1, rising, at most every 2%), before loaded or loadFailed.
    void loadProgress(const QString& path, double fraction);
    void loaded(const ponder::app::ModelSummary& summary);
    void loadFailed(const QString& path, const QString& message);
    void unloaded();
    void generationStarted(qint64 conversationId, quint64 requestId);
    void generationDelta(const ponder::app::GenerationDelta& delta);
    void generationFinished(const ponder::app::GenerationOutcome& outcome);

private:
    std::uint64_t sessionBudgetBytes_;
    // Sessions refer to the model, so they go first.
    std::unique_ptr<LoadedModel> model_;
    std::unique_ptr<SessionCache> sessions_;
};

} // namespace ponder::app
