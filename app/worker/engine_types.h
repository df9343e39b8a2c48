#pragma once
// What crosses between the GUI thread and the engine worker thread: requests going in, summaries, streamed
// deltas and outcomes coming back. Plain copyable values (queued signals copy them across threads).
#include "chat/chat_format.h"
#include "generation/generation_session.h"
#include "model/model_file.h"
#include "runtime/backend_choice.h"

#include <QMetaType>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>

namespace ponder::app {

struct LoadRequest {
    QString path;
    BackendChoice backend;
};

// What the GUI shows of a loaded model.
struct ModelSummary {
    QString path;
    QString name;                 // general.name, or the file name
    QString backendName;          // "cpu (2 threads)", "vulkan (NVIDIA ...)"
    ThinkingSupport thinking = ThinkingSupport::Hybrid;
    qint64 contextLength = 0;     // the model's own maximum
    bool moe = false;
    GenerationDefaults generationDefaults; // the model's generation_config values (sampling presets)
};

struct GenerationRequest {
    qint64 conversationId = 0;
    quint64 requestId = 0;
    ChatRequest chat;
    GenerationSettings settings;
    qint64 contextLength = 4096;  // KV cache positions of this conversation's session
    // Set from the GUI thread to stop the request, queued or running.
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
};

// Text and counts streamed since the previous delta of the same request.
struct GenerationDelta {
    qint64 conversationId = 0;
    quint64 requestId = 0;
    QString reasoning;            // new reasoning text
    QString content;              // new answer text
    qint64 reasoningTokens = 0;   // totals so far, not increments
    qint64 tokens = 0;
    double reasoningSeconds = 0;  // time spent thinking so far
    bool budgetReached = false;
    qint64 droppedMessages = 0;   // oldest messages left out to fit the context (set once)
};

enum class GenerationStatus { Complete, Cancelled, Failed };

struct GenerationOutcome {
    qint64 conversationId = 0;
    quint64 requestId = 0;
    GenerationStatus status = GenerationStatus::Complete;
    QString error;                // for Failed
    QString reasoning, content;   // the whole answer, trimmed as the chat template parses a reply
    qint64 promptTokens = 0, reusedTokens = 0, generatedTokens = 0, reasoningTokens = 0;
    double reasoningSeconds = 0;
    bool budgetReached = false;
    bool hitLengthLimit = false;
    double prefillTokensPerSecond = 0, decodeTokensPerSecond = 0;
};

} // namespace ponder::app

Q_DECLARE_METATYPE(ponder::app::LoadRequest)
Q_DECLARE_METATYPE(ponder::app::ModelSummary)
Q_DECLARE_METATYPE(ponder::app::GenerationRequest)
Q_DECLARE_METATYPE(ponder::app::GenerationDelta)
Q_DECLARE_METATYPE(ponder::app::GenerationOutcome)
