#pragma once
// The GUI thread's handle on the engine: starts the engine thread with its EngineWorker, queues requests to
// it (Qt's event queue on that thread is the request queue, so requests run one at a time in order), and
// re-emits the worker's signals on the GUI thread. Cancelling sets the request's flag directly, so it takes
// effect at the next token even while the worker is busy.
#include "engine_types.h"

#include <QObject>
#include <QThread>

#include <map>

namespace ponder::app {

class EngineWorker;

class Engine : public QObject {
    Q_OBJECT

public:
    // `sessionBudgetBytes`: how much KV cache the conversations' sessions may hold together.
    explicit Engine(std::uint64_t sessionBudgetBytes = 2ull << 30, QObject* parent = nullptr);
    ~Engine() override; // cancels everything and waits for the engine thread to end

    // Loading (or unloading) first cancels every request not yet finished: they belong to the old model.
    void load(const LoadRequest& request);
    void unload();
    // Queues the request and returns its id (also in its signals).
    quint64 generate(GenerationRequest request);
    void cancel(quint64 requestId);
    void cancelAll();
    // Frees the conversation's session (deleted conversation, edited history).
    void forgetConversation(qint64 conversationId);

    bool busy() const { return !pending_.empty(); }

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
    template <typename Call>
    void post(Call&& call);

    QThread thread_;
    EngineWorker* worker_; // lives on thread_, deleted when it finishes
    quint64 nextRequestId_ = 1;
    std::map<quint64, std::shared_ptr<std::atomic<bool>>> pending_; // queued or running, by request id
};

} // namespace ponder::app
