#include "engine.h"

#include "engine_worker.h"

namespace ponder::app {

Engine::Engine(std::uint64_t sessionBudgetBytes, QObject* parent)
    : QObject(parent), worker_(new EngineWorker(sessionBudgetBytes))
{
    qRegisterMetaType<ponder::app::ModelSummary>();
    qRegisterMetaType<ponder::app::GenerationDelta>();
    qRegisterMetaType<ponder::app::GenerationOutcome>();
    thread_.setObjectName(QStringLiteral("ponder-engine"));
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &EngineWorker::loadStarted, this, &Engine::loadStarted);
    connect(worker_, &EngineWorker::loadProgress, this, &Engine::loadProgress);
    connect(worker_, &EngineWorker::loaded, this, &Engine::loaded);
    connect(worker_, &EngineWorker::loadFailed, this, &Engine::loadFailed);
    connect(worker_, &EngineWorker::unloaded, this, &Engine::unloaded);
    connect(worker_, &EngineWorker::generationStarted, this, &Engine::generationStarted);
    connect(worker_, &EngineWorker::generationDelta, this, &Engine::generationDelta);
    connect(worker_, &EngineWorker::generationFinished, this, [this](const GenerationOutcome& outcome) {
        pending_.erase(outcome.requestId);
        Q_EMIT generationFinished(outcome);
    });
    thread_.start();
}

Engine::~Engine()
{
    cancelAll();
    thread_.quit(); // after the queued requests, which return at once now that they are cancelled
    thread_.wait();
}

template <typename Call>
void Engine::post(Call&& call)
{
    QMetaObject::invokeMethod(worker_, std::forward<Call>(call), Qt::QueuedConnection);
}

void Engine::load(const LoadRequest& request)
{
    cancelAll();
    post([worker = worker_, request] { worker->load(request); });
}

void Engine::unload()
{
    cancelAll();
    post([worker = worker_] { worker->unload(); });
}

quint64 Engine::generate(GenerationRequest request)
{
    request.requestId = nextRequestId_++;
    pending_[request.requestId] = request.cancel;
    post([worker = worker_, request] { worker->generate(request); });
    return request.requestId;
}

void Engine::cancel(quint64 requestId)
{
    if (const auto it = pending_.find(requestId); it != pending_.end())
        it->second->store(true);
}

void Engine::cancelAll()
{
    for (auto& [id, flag] : pending_)
        flag->store(true);
}

void Engine::forgetConversation(qint64 conversationId)
{
    post([worker = worker_, conversationId] { worker->forgetConversation(conversationId); });
}

} // namespace ponder::app
