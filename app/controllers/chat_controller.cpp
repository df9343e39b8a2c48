#include "controllers/chat_controller.h"

#include "chat/soft_switch.h"
#include "generation/generation_policy.h"

#include <exception>
#include <utility>

namespace ponder::controllers {
namespace {

// How often a streaming reply is written to the store: the most text a crash can lose.
constexpr qint64 kSaveIntervalMs = 500;

std::string roleText(storage::MessageRole role)
{
    return storage::roleName(role).toStdString();
}

storage::MessageOutcome storedOutcome(const app::GenerationOutcome& o)
{
    storage::MessageOutcome s;
    switch (o.status) {
    case app::GenerationStatus::Complete: s.status = storage::MessageStatus::Complete; break;
    case app::GenerationStatus::Cancelled: s.status = storage::MessageStatus::Cancelled; break;
    case app::GenerationStatus::Failed: s.status = storage::MessageStatus::Error; break;
    }
    s.content = o.content;
    s.reasoning = o.reasoning;
    s.reasoningTokens = static_cast<int>(o.reasoningTokens);
    s.reasoningSeconds = o.reasoningSeconds;
    s.reasoningCut = o.budgetReached;
    s.tokens = static_cast<int>(o.generatedTokens);
    s.tokensPerSecond = o.decodeTokensPerSecond;
    s.error = o.error;
    return s;
}

} // namespace

ChatController::ChatController(storage::ConversationStore& store, app::Engine& engine, QObject* parent)
    : QObject(parent), store_(store), engine_(engine)
{
    connect(&engine_, &app::Engine::generationDelta, this, &ChatController::onDelta);
    connect(&engine_, &app::Engine::generationFinished, this, &ChatController::onFinished);
}

ChatController::~ChatController()
{
    for (const auto& [requestId, reply] : replies_)
        engine_.cancel(requestId);
}

void ChatController::setModel(std::optional<app::ModelSummary> model)
{
    model_ = std::move(model);
    Q_EMIT settingsChanged(); // the recommended sampling follows the model's generation_config
}

void ChatController::setModelDefaults(const ModelDefaults& defaults)
{
    const ModelDefaults previous = std::exchange(modelDefaults_, defaults);
    if (conversationId_ != 0) // a conversation keeps the settings it was made with
        return;
    bool changed = false;
    if (defaults.thinking && *defaults.thinking != thinking_) {
        thinking_ = *defaults.thinking;
        changed = true;
    }
    if (overrides_ == previous.sampling && !(overrides_ == defaults.sampling)) {
        overrides_ = defaults.sampling;
        changed = true;
    }
    if (changed)
        Q_EMIT settingsChanged();
}

bool ChatController::generating() const
{
    return conversationId_ != 0 && replyOf(conversationId_).has_value();
}

std::optional<quint64> ChatController::replyOf(qint64 conversationId) const
{
    for (const auto& [requestId, reply] : replies_)
        if (reply.conversationId == conversationId)
            return requestId;
    return std::nullopt;
}

void ChatController::report(const std::exception& e)
{
    Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
}

void ChatController::setThinking(bool on)
{
    if (on == thinking_)
        return;
    thinking_ = on;
    try {
        if (conversationId_ != 0)
            store_.setThinking(conversationId_, on);
    } catch (const std::exception& e) {
        report(e);
    }
    Q_EMIT settingsChanged();
}

void ChatController::setThinkingBudget(int tokens)
{
    if (tokens == thinkingBudget_)
        return;
    thinkingBudget_ = tokens;
    try {
        if (conversationId_ != 0)
            store_.setThinkingBudget(conversationId_, tokens);
    } catch (const std::exception& e) {
        report(e);
    }
    Q_EMIT settingsChanged();
}

void ChatController::setSystemPrompt(const QString& prompt)
{
    if (prompt == systemPrompt_)
        return;
    try {
        if (conversationId_ != 0)
            store_.setSystemPrompt(conversationId_, prompt);
    } catch (const std::exception& e) {
        report(e);
        return;
    }
    systemPrompt_ = prompt;
    Q_EMIT settingsChanged();
}

QVariantMap ChatController::samplingOverrides() const
{
    QVariantMap map;
    for (const QString& field : SamplingOverrides::fields())
        if (const auto value = overrides_.value(field))
            map.insert(field, *value);
    return map;
}

bool ChatController::effectiveThinking() const
{
    GenerationSettings settings;
    settings.thinking = thinking_;
    settings.thinkingBudget = thinkingBudget_;
    return resolveThinking(model_ ? model_->thinking : ThinkingSupport::Hybrid, settings, std::nullopt);
}

QVariantMap ChatController::recommendedSampling() const
{
    QVariantMap map;
    try {
        const SamplingParams params =
            ponder::recommendedSampling(effectiveThinking(), model_ ? model_->generationDefaults : GenerationDefaults{});
        for (const QString& field : SamplingOverrides::fields())
            map.insert(field, SamplingOverrides::fieldOf(params, field));
    } catch (const std::exception&) {
        // A model whose generation_config is out of range fails at load, so this is not reached with one.
    }
    return map;
}

void ChatController::setOverrides(SamplingOverrides overrides)
{
    try {
        if (conversationId_ != 0)
            store_.setSamplingJson(conversationId_, overrides.toJson());
    } catch (const std::exception& e) {
        report(e);
        return;
    }
    overrides_ = std::move(overrides);
    Q_EMIT settingsChanged();
}

bool ChatController::setSamplingOverride(const QString& field, double value)
{
    SamplingOverrides changed = overrides_;
    try {
        changed.set(field, value);
    } catch (const std::exception& e) {
        report(e);
        return false;
    }
    setOverrides(std::move(changed));
    return true;
}

void ChatController::clearSamplingOverride(const QString& field)
{
    SamplingOverrides changed = overrides_;
    changed.clear(field);
    setOverrides(std::move(changed));
}

void ChatController::resetSampling()
{
    setOverrides({});
}

void ChatController::openConversation(qint64 id)
{
    try {
        const auto conversation = store_.conversation(id);
        if (!conversation) {
            Q_EMIT errorOccurred(tr("That conversation no longer exists."));
            return;
        }
        std::vector<storage::Message> rows = store_.messages(id);
        // A reply streaming in the background has newer text than its last save: show what arrived.
        if (const auto requestId = replyOf(id))
            for (storage::Message& m : rows)
                if (m.id == replies_.at(*requestId).messageId) {
                    m.content = replies_.at(*requestId).content;
                    m.reasoning = replies_.at(*requestId).reasoning;
                }
        SamplingOverrides overrides;
        try {
            overrides = SamplingOverrides::fromJson(conversation->samplingJson);
        } catch (const std::exception& e) {
            // Still open it: its text is what matters; its sampling follows the mode until set again.
            Q_EMIT errorOccurred(tr("This conversation's sampling settings could not be read (%1); it uses the recommended ones.")
                                     .arg(QString::fromUtf8(e.what())));
        }
        conversationId_ = id;
        thinking_ = conversation->thinking;
        thinkingBudget_ = conversation->thinkingBudget;
        systemPrompt_ = conversation->systemPrompt;
        overrides_ = std::move(overrides);
        messages_.setMessages(std::move(rows));
    } catch (const std::exception& e) {
        report(e);
        return;
    }
    Q_EMIT conversationChanged();
    Q_EMIT settingsChanged();
    Q_EMIT generatingChanged();
}

void ChatController::newConversation()
{
    conversationId_ = 0;
    // A new conversation starts without a system prompt, in the loaded model's thinking default (else the mode
    // the last one had) and with its sampling overrides; what is set now waits for its first send.
    systemPrompt_.clear();
    if (modelDefaults_.thinking)
        thinking_ = *modelDefaults_.thinking;
    overrides_ = modelDefaults_.sampling;
    messages_.setMessages({});
    Q_EMIT conversationChanged();
    Q_EMIT settingsChanged();
    Q_EMIT generatingChanged();
}

bool ChatController::send(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return false;
    if (!model_) {
        Q_EMIT errorOccurred(tr("Load a model to start chatting."));
        return false;
    }
    if (generating()) {
        Q_EMIT errorOccurred(tr("Wait for the answer to finish, or stop it, before sending the next message."));
        return false;
    }
    applySoftSwitch(trimmed);
    return changeAndReply([&] {
        if (conversationId_ == 0) {
            storage::ConversationSettings settings;
            settings.model = model_->path;
            settings.thinking = thinking_;
            settings.thinkingBudget = thinkingBudget_;
            settings.systemPrompt = systemPrompt_;
            settings.samplingJson = overrides_.toJson();
            conversationId_ = store_.createConversation(settings).id;
            Q_EMIT conversationChanged();
        }
        messages_.append(store_.appendMessage(conversationId_, storage::MessageRole::User, trimmed));
    });
}

// "/think" or "/no_think" in the message switches the mode from this turn on; the controls follow.
void ChatController::applySoftSwitch(const QString& text)
{
    if (const auto mode = softSwitch(text.toStdString()); mode && model_ && model_->thinking == ThinkingSupport::Hybrid)
        setThinking(*mode);
}

void ChatController::startReply()
{
    app::GenerationRequest request;
    request.conversationId = conversationId_;
    request.chat = chatRequest(conversationId_);
    request.settings = generationSettings();
    request.contextLength = contextLength_;
    const storage::Message reply = store_.beginAssistantMessage(conversationId_);
    messages_.append(reply);
    const quint64 requestId = engine_.generate(std::move(request));
    Reply& r = replies_[requestId];
    r.conversationId = conversationId_;
    r.messageId = reply.id;
    r.sinceSaved.start();
}

bool ChatController::changeAndReply(const std::function<void()>& changeTranscript)
{
    try {
        changeTranscript();
        startReply();
    } catch (const std::exception& e) {
        report(e);
        return false;
    }
    Q_EMIT conversationsChanged();
    Q_EMIT generatingChanged();
    return true;
}

const storage::Message* ChatController::actionTarget(int row, std::optional<storage::MessageRole> role)
{
    if (generating()) {
        Q_EMIT errorOccurred(tr("Wait for the answer to finish, or stop it, before changing the conversation."));
        return nullptr;
    }
    const storage::Message* message = messages_.at(row);
    if (!message) {
        Q_EMIT errorOccurred(tr("There is no message %1 in this conversation.").arg(row + 1));
        return nullptr;
    }
    if (role && message->role != *role) {
        if (*role == storage::MessageRole::User)
            Q_EMIT errorOccurred(tr("Only your own messages can be edited."));
        else
            Q_EMIT errorOccurred(tr("Only the assistant's replies can be regenerated."));
        return nullptr;
    }
    return message;
}

bool ChatController::regenerate(int row)
{
    const storage::Message* target = actionTarget(row, storage::MessageRole::Assistant);
    if (!target)
        return false;
    if (!model_) {
        Q_EMIT errorOccurred(tr("Load a model to regenerate the reply."));
        return false;
    }
    const qint64 replyId = target->id;
    return changeAndReply([&] {
        store_.deleteMessageAndAfter(replyId);
        messages_.removeFrom(replyId);
    });
}

bool ChatController::editAndResend(int row, const QString& text)
{
    const storage::Message* target = actionTarget(row, storage::MessageRole::User);
    if (!target)
        return false;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        Q_EMIT errorOccurred(tr("The edited message is empty: write something, or delete the message instead."));
        return false;
    }
    if (!model_) {
        Q_EMIT errorOccurred(tr("Load a model to resend the message."));
        return false;
    }
    const qint64 messageId = target->id;
    applySoftSwitch(trimmed);
    return changeAndReply([&] {
        store_.editMessageAndDeleteAfter(messageId, trimmed);
        if (const storage::Message* next = messages_.at(row + 1))
            messages_.removeFrom(next->id);
        if (const auto edited = store_.message(messageId))
            messages_.update(*edited);
    });
}

bool ChatController::deleteMessage(int row)
{
    const storage::Message* target = actionTarget(row, std::nullopt);
    if (!target)
        return false;
    try {
        for (const qint64 id : store_.deleteMessage(target->id))
            messages_.remove(id);
    } catch (const std::exception& e) {
        report(e);
        return false;
    }
    Q_EMIT conversationsChanged();
    return true;
}

void ChatController::stop()
{
    if (const auto requestId = replyOf(conversationId_))
        engine_.cancel(*requestId);
}

ChatRequest ChatController::chatRequest(qint64 conversationId) const
{
    ChatRequest request;
    const auto conversation = store_.conversation(conversationId);
    if (conversation && !conversation->systemPrompt.trimmed().isEmpty()) {
        ChatMessage system;
        system.role = "system";
        system.content = conversation->systemPrompt.toStdString();
        request.messages.push_back(std::move(system));
    }
    for (const storage::Message& m : store_.messages(conversationId)) {
        // Failed replies and empty ones (cancelled before any text) are not part of what the model saw.
        if (m.role == storage::MessageRole::Assistant && (m.status == storage::MessageStatus::Error || m.content.isEmpty()))
            continue;
        ChatMessage message;
        message.role = roleText(m.role);
        message.content = m.content.toStdString();
        request.messages.push_back(std::move(message));
    }
    return request;
}

GenerationSettings ChatController::generationSettings() const
{
    GenerationSettings settings;
    settings.thinking = thinking_;
    settings.thinkingBudget = thinkingBudget_;
    settings.maxTokens = contextLength_; // the session keeps the history's room; the context is the limit
    // Overrides win field by field; the rest follow the mode this turn runs in. Without overrides the engine
    // picks the mode's recommended sampling itself.
    if (!overrides_.empty())
        settings.sampling = overrides_.applyTo(
            ponder::recommendedSampling(effectiveThinking(), model_ ? model_->generationDefaults : GenerationDefaults{}));
    return settings;
}

void ChatController::onDelta(const app::GenerationDelta& delta)
{
    const auto it = replies_.find(delta.requestId);
    if (it == replies_.end())
        return;
    Reply& reply = it->second;
    reply.content += delta.content;
    reply.reasoning += delta.reasoning;
    if (reply.conversationId == conversationId_) {
        models::StreamedText streamed;
        streamed.reasoning = delta.reasoning;
        streamed.content = delta.content;
        streamed.reasoningTokens = static_cast<int>(delta.reasoningTokens);
        streamed.tokens = static_cast<int>(delta.tokens);
        streamed.reasoningSeconds = delta.reasoningSeconds;
        streamed.reasoningCut = delta.budgetReached;
        messages_.appendStreamed(reply.messageId, streamed);
    }
    if (reply.sinceSaved.elapsed() >= kSaveIntervalMs) {
        try {
            store_.updateStreamingMessage(reply.messageId, reply.content, reply.reasoning);
        } catch (const std::exception& e) {
            report(e);
        }
        reply.sinceSaved.restart();
    }
}

void ChatController::onFinished(const app::GenerationOutcome& outcome)
{
    const auto it = replies_.find(outcome.requestId);
    if (it == replies_.end())
        return;
    const Reply reply = it->second;
    replies_.erase(it);
    try {
        storage::MessageOutcome stored = storedOutcome(outcome);
        if (outcome.status != app::GenerationStatus::Complete && stored.content.isEmpty() && stored.reasoning.isEmpty()) {
            // Cancelled or failed: keep whatever streamed (the outcome of a failure carries no text).
            stored.content = reply.content.trimmed();
            stored.reasoning = reply.reasoning.trimmed();
        }
        store_.finishMessage(reply.messageId, stored);
        if (reply.conversationId == conversationId_)
            if (const auto message = store_.message(reply.messageId))
                messages_.update(*message);
    } catch (const std::exception& e) {
        report(e);
    }
    if (outcome.status == app::GenerationStatus::Failed)
        Q_EMIT errorOccurred(outcome.error);
    Q_EMIT conversationsChanged();
    if (reply.conversationId == conversationId_)
        Q_EMIT generatingChanged();
}

} // namespace ponder::controllers
