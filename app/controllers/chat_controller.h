#pragma once
// The open conversation: its transcript (MessageListModel), its thinking settings, and the turn in flight.
// send() stores the user's message, starts the assistant's reply in the store (status streaming) and queues
// the generation on the engine; the reply's deltas grow the transcript row and are written to the store at
// most every half second (so a crash loses at most that much), and the outcome finishes the row. Replies are
// routed by conversation: switching to another conversation while one streams keeps it streaming into its
// own rows in the store, and opening it again shows it live. Everything here runs on the GUI thread.
#include "controllers/model_defaults.h"
#include "controllers/sampling_overrides.h"
#include "models/message_list_model.h"
#include "storage/conversation_store.h"
#include "worker/engine.h"

#include <QElapsedTimer>
#include <QObject>
#include <QVariantMap>

#include <functional>

#include <map>
#include <optional>

namespace ponder::controllers {

class ChatController : public QObject {
    Q_OBJECT
    Q_PROPERTY(qint64 conversationId READ conversationId NOTIFY conversationChanged)
    Q_PROPERTY(ponder::models::MessageListModel* messages READ messages CONSTANT)
    Q_PROPERTY(bool generating READ generating NOTIFY generatingChanged)
    Q_PROPERTY(bool thinking READ thinking WRITE setThinking NOTIFY settingsChanged)
    Q_PROPERTY(int thinkingBudget READ thinkingBudget WRITE setThinkingBudget NOTIFY settingsChanged)
    // The conversation's own settings (kept pending for a new conversation until its first send creates it).
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY settingsChanged)
    // Field (SamplingOverrides::fields()) -> the value the user set; fields not in it follow the mode.
    Q_PROPERTY(QVariantMap samplingOverrides READ samplingOverrides NOTIFY settingsChanged)
    // Field -> the value the current mode (thinking or not, with the model's generation_config) recommends.
    Q_PROPERTY(QVariantMap recommendedSampling READ recommendedSampling NOTIFY settingsChanged)

public:
    ChatController(storage::ConversationStore& store, app::Engine& engine, QObject* parent = nullptr);
    ~ChatController() override;

    // The loaded model (nullopt: none); its thinking support decides what send() renders.
    void setModel(std::optional<app::ModelSummary> model);
    void setContextLength(qint64 positions) { contextLength_ = positions; }
    // The loaded model's own defaults (ModelDefaultsStore): a new conversation starts in their thinking mode
    // (when they set one) and with their sampling overrides. The new conversation open now, not yet sent,
    // takes them at once, keeping sampling the user changed there since the last model's defaults seeded it.
    void setModelDefaults(const ModelDefaults& defaults);

    qint64 conversationId() const { return conversationId_; } // 0: a new conversation, made on first send
    models::MessageListModel* messages() { return &messages_; }
    bool generating() const; // the open conversation has a reply streaming
    bool thinking() const { return thinking_; }
    int thinkingBudget() const { return thinkingBudget_; }
    void setThinking(bool on);
    void setThinkingBudget(int tokens); // -1 unlimited
    QString systemPrompt() const { return systemPrompt_; }
    void setSystemPrompt(const QString& prompt);
    QVariantMap samplingOverrides() const;
    QVariantMap recommendedSampling() const;

    // Sets one field explicitly; false (with errorOccurred naming the problem) for a value out of range.
    Q_INVOKABLE bool setSamplingOverride(const QString& field, double value);
    Q_INVOKABLE void clearSamplingOverride(const QString& field); // back to the mode's recommended value
    Q_INVOKABLE void resetSampling();                             // every field back to recommended

    // What the next turn generates with: the mode, the budget and, when anything is overridden, the mode's
    // recommended sampling with the overridden fields replaced (nullopt sampling: the engine's recommended).
    GenerationSettings generationSettings() const;

    Q_INVOKABLE void openConversation(qint64 id);
    Q_INVOKABLE void newConversation();
    // False (with errorOccurred) when no model is loaded, the text is blank or a reply is streaming.
    Q_INVOKABLE bool send(const QString& text);
    Q_INVOKABLE void stop();

    // The transcript's per-message actions, by row of messages(). Each is refused (false, with
    // errorOccurred) while a reply streams in this conversation or for a row it does not apply to. The
    // engine's session keeps the KV cache of the history's unchanged beginning by itself (prefix reuse),
    // so a changed history needs no forgetting.
    // An assistant reply (finished, stopped or failed) and everything after it go; a new reply is generated
    // from the history before it ("Regenerate", "Retry").
    Q_INVOKABLE bool regenerate(int row);
    // A user message gets the new text, the messages after it go, and a new reply answers it.
    Q_INVOKABLE bool editAndResend(int row, const QString& text);
    // The message goes; a user message takes the replies that answer it along (ConversationStore::deleteMessage).
    Q_INVOKABLE bool deleteMessage(int row);

Q_SIGNALS:
    void conversationChanged();
    void generatingChanged();
    void settingsChanged();
    void conversationsChanged(); // titles or order changed: the sidebar refreshes
    void errorOccurred(const QString& message);

private:
    struct Reply {
        qint64 conversationId = 0;
        qint64 messageId = 0;
        QString content, reasoning; // the whole text so far
        QElapsedTimer sinceSaved;
    };

    // Checks an action on `row` may run now: the message it names, or null (errorOccurred says why).
    const storage::Message* actionTarget(int row, std::optional<storage::MessageRole> role);
    void applySoftSwitch(const QString& text);
    // Starts the assistant's reply to the open conversation's history as stored. Throws ponder::Error.
    void startReply();
    // Runs `changeTranscript` (store and list edits) then startReply(), as one step the user asked for:
    // any failure is reported and gives false; success announces the new state.
    bool changeAndReply(const std::function<void()>& changeTranscript);
    void onDelta(const app::GenerationDelta& delta);
    void onFinished(const app::GenerationOutcome& outcome);
    ChatRequest chatRequest(qint64 conversationId) const;
    bool effectiveThinking() const; // the mode the next turn runs in
    void setOverrides(SamplingOverrides overrides);
    std::optional<quint64> replyOf(qint64 conversationId) const;
    void report(const std::exception& e);

    storage::ConversationStore& store_;
    app::Engine& engine_;
    models::MessageListModel messages_;
    std::optional<app::ModelSummary> model_;
    qint64 contextLength_ = 4096;
    qint64 conversationId_ = 0;
    bool thinking_ = true;
    int thinkingBudget_ = -1;
    QString systemPrompt_;
    SamplingOverrides overrides_;
    ModelDefaults modelDefaults_;
    std::map<quint64, Reply> replies_; // streaming, by engine request id
};

} // namespace ponder::controllers
