#pragma once
// The plain records the store reads and writes: one conversation, one message, and what a finished reply
// brings. Times are UTC; the database keeps them as milliseconds since the Unix epoch.
#include <QDateTime>
#include <QString>

#include <optional>

namespace ponder::storage {

enum class MessageRole { System, User, Assistant };

// A reply is Streaming while the model writes it; Cancelled when the user stopped it or Ponder was killed
// before it finished (the text so far is kept); Error when generation failed (error holds why).
enum class MessageStatus { Streaming, Complete, Cancelled, Error };

// The words stored in the database and written by the JSON export ("user", "streaming", ...).
QString roleName(MessageRole role);
QString statusName(MessageStatus status);
std::optional<MessageRole> roleFromName(const QString& name);
std::optional<MessageStatus> statusFromName(const QString& name);

// What a new conversation starts with (the app fills it from its current settings).
struct ConversationSettings {
    QString model;            // model file path or id
    bool thinking = true;     // thinking mode on/off
    int thinkingBudget = -1;  // most reasoning tokens; -1 = unlimited
    QString systemPrompt;     // empty = none
    QString samplingJson;     // sampling overrides as a JSON object; empty = none
};

struct Conversation {
    qint64 id = 0;
    QString title;              // follows the first user message until the user renames it
    bool titleIsCustom = false; // the user renamed it
    QDateTime createdAt;
    QDateTime updatedAt;        // last change to its messages or title (the sidebar sorts by it)
    QString model;
    bool thinking = true;
    int thinkingBudget = -1;
    QString systemPrompt;
    QString samplingJson;
    bool pinned = false;
    QDateTime deletedAt;        // invalid unless soft-deleted (restorable until purged)

    bool isDeleted() const { return deletedAt.isValid(); }
};

struct Message {
    qint64 id = 0;
    qint64 conversationId = 0;
    int position = 0; // order within the conversation, from 0
    MessageRole role = MessageRole::User;
    QString content;
    QString reasoning;          // the thinking text, empty when none
    int reasoningTokens = 0;
    double reasoningSeconds = 0;
    bool reasoningCut = false;  // the thinking budget ended the reasoning
    int tokens = 0;             // tokens generated in all
    double tokensPerSecond = 0;
    MessageStatus status = MessageStatus::Complete;
    QString error;              // why it failed or was interrupted; empty otherwise
    QDateTime createdAt;
    QDateTime updatedAt;
};

// How a streamed reply ended, with its final text (which may be newer than the last streaming update).
struct MessageOutcome {
    MessageStatus status = MessageStatus::Complete; // anything but Streaming
    QString content;
    QString reasoning;
    int reasoningTokens = 0;
    double reasoningSeconds = 0;
    bool reasoningCut = false;
    int tokens = 0;
    double tokensPerSecond = 0;
    QString error;
};

} // namespace ponder::storage
