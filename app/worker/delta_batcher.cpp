#include "delta_batcher.h"

namespace ponder::app {

DeltaBatcher::DeltaBatcher(qint64 conversationId, quint64 requestId, Send send, double maxRate)
    : send_(std::move(send)),
      interval_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / maxRate)))
{
    pending_.conversationId = conversationId;
    pending_.requestId = requestId;
}

void DeltaBatcher::add(const GenerationEvent& event, Clock::time_point now)
{
    switch (event.kind) {
    case GenerationEvent::Kind::Token:
        if (event.channel == Channel::Reasoning) {
            if (!reasoningOpen_) {
                reasoningOpen_ = true;
                reasoningStarted_ = now;
            }
            pending_.reasoning += QString::fromStdString(event.text);
            if (event.id >= 0)
                ++pending_.reasoningTokens;
        } else {
            reasoningOpen_ = false;
            pending_.content += QString::fromStdString(event.text);
        }
        if (event.id >= 0)
            ++pending_.tokens;
        break;
    case GenerationEvent::Kind::BudgetReached:
        pending_.budgetReached = true;
        break;
    case GenerationEvent::Kind::ContextTrimmed:
        pending_.droppedMessages = event.droppedMessages;
        break;
    }
    if (reasoningOpen_)
        pending_.reasoningSeconds = std::chrono::duration<double>(now - reasoningStarted_).count();
    dirty_ = true;
    if (!sentAny_ || now - lastSent_ >= interval_)
        flush(now);
}

void DeltaBatcher::finish(Clock::time_point now)
{
    if (dirty_)
        flush(now);
}

void DeltaBatcher::flush(Clock::time_point now)
{
    send_(pending_);
    pending_.reasoning.clear();
    pending_.content.clear();
    dirty_ = false;
    sentAny_ = true;
    lastSent_ = now;
}

} // namespace ponder::app
