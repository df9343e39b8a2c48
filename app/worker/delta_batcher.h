#pragma once
// Coalesces a generation's token events into deltas sent at most `maxRate` times a second, so the GUI thread
// handles one update per frame however fast the engine decodes. The first token is sent at once (the user
// sees the answer start), later ones when the interval has passed, and whatever is left by finish().
#include "engine_types.h"

#include <chrono>
#include <functional>

namespace ponder::app {

class DeltaBatcher {
public:
    using Clock = std::chrono::steady_clock;
    using Send = std::function<void(const GenerationDelta&)>;

    DeltaBatcher(qint64 conversationId, quint64 requestId, Send send, double maxRate = 60.0);

    void add(const GenerationEvent& event, Clock::time_point now = Clock::now());
    void finish(Clock::time_point now = Clock::now()); // sends what is pending, if anything

    qint64 reasoningTokens() const { return pending_.reasoningTokens; }
    double reasoningSeconds() const { return pending_.reasoningSeconds; }

private:
    void flush(Clock::time_point now);

    Send send_;
    Clock::duration interval_;
    GenerationDelta pending_;
    bool dirty_ = false;
    bool sentAny_ = false;
    bool reasoningOpen_ = false;
    Clock::time_point lastSent_{};
    Clock::time_point reasoningStarted_{};
};

} // namespace ponder::app
