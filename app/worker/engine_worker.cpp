#include "engine_worker.h"

#include "delta_batcher.h"

#include <QFileInfo>

#include <algorithm>
#include <exception>

namespace ponder::app {
namespace {

ModelSummary summarize(const QString& path, const LoadedModel& model)
{
    const ModelFile& file = *model.file;
    ModelSummary s;
    s.path = path;
    s.name = QString::fromStdString(file.modelName());
    if (s.name.isEmpty())
        s.name = QFileInfo(path).fileName();
    s.backendName = QString::fromStdString(model.backend->name());
    s.thinking = file.thinking();
    s.contextLength = file.config().contextLength;
    s.moe = file.config().isMoe();
    s.generationDefaults = file.generationDefaults();
    return s;
}

} // namespace

EngineWorker::EngineWorker(std::uint64_t sessionBudgetBytes) : sessionBudgetBytes_(sessionBudgetBytes) {}

EngineWorker::~EngineWorker()
{
    sessions_.reset();
}

void EngineWorker::load(const LoadRequest& request)
{
    Q_EMIT loadStarted(request.path);
    unload();
    try {
        // loadModel throttles its reports (a few dozen per load), so each can go out as a queued signal.
        const auto progress = [this, &request](double fraction) { Q_EMIT loadProgress(request.path, fraction); };
        auto model = std::make_unique<LoadedModel>(loadModel(request.path.toStdString(), request.backend, progress));
        sessions_ = std::make_unique<SessionCache>(*model->file, *model->forward, sessionBudgetBytes_);
        model_ = std::move(model);
        Q_EMIT loaded(summarize(request.path, *model_));
    } catch (const std::exception& e) {
        Q_EMIT loadFailed(request.path, QString::fromUtf8(e.what()));
    }
}

void EngineWorker::unload()
{
    if (!model_)
        return;
    sessions_.reset();
    model_.reset();
    Q_EMIT unloaded();
}

void EngineWorker::forgetConversation(qint64 conversationId)
{
    if (sessions_)
        sessions_->drop(conversationId);
}

void EngineWorker::generate(const GenerationRequest& request)
{
    GenerationOutcome outcome;
    outcome.conversationId = request.conversationId;
    outcome.requestId = request.requestId;
    if (request.cancel->load()) { // cancelled while it waited in the queue
        outcome.status = GenerationStatus::Cancelled;
        Q_EMIT generationFinished(outcome);
        return;
    }
    if (!model_) {
        outcome.status = GenerationStatus::Failed;
        outcome.error = tr("No model is loaded.");
        Q_EMIT generationFinished(outcome);
        return;
    }
    Q_EMIT generationStarted(request.conversationId, request.requestId);
    DeltaBatcher batcher(request.conversationId, request.requestId,
                         [this](const GenerationDelta& delta) { Q_EMIT generationDelta(delta); });
    try {
        const qint64 context = std::clamp<qint64>(request.contextLength, 256, model_->file->config().contextLength);
        GenerationSession& session = sessions_->session(request.conversationId, context);
        const GenerationResult result = session.generate(
            request.chat, request.settings, [&](const GenerationEvent& event) { batcher.add(event); },
            request.cancel.get());
        batcher.finish();
        outcome.status = result.reason == StopReason::Cancelled ? GenerationStatus::Cancelled : GenerationStatus::Complete;
        outcome.hitLengthLimit = result.reason == StopReason::Length;
        outcome.reasoning = QString::fromStdString(result.reasoning);
        outcome.content = QString::fromStdString(result.content);
        outcome.promptTokens = result.promptTokens;
        outcome.reusedTokens = result.reusedTokens;
        outcome.generatedTokens = result.generatedTokens;
        outcome.reasoningTokens = result.reasoningTokens;
        outcome.reasoningSeconds = batcher.reasoningSeconds();
        outcome.budgetReached = result.budgetReached;
        outcome.prefillTokensPerSecond = result.prefillTokensPerSecond();
        outcome.decodeTokensPerSecond = result.decodeTokensPerSecond();
    } catch (const std::exception& e) {
        batcher.finish();
        // The session may hold a half-written cache: the next turn starts it afresh.
        sessions_->drop(request.conversationId);
        outcome.status = GenerationStatus::Failed;
        outcome.error = QString::fromUtf8(e.what());
    }
    Q_EMIT generationFinished(outcome);
}

} // namespace ponder::app
