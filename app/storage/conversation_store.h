#pragma once
// Ponder's conversations and messages: every query and change the app's controllers and list models need,
// over one Database (database.h), each change in its own transaction.
//
// Streaming replies are written as they arrive so that a crash or kill loses at most the text since the
// last update, never a conversation: beginAssistantMessage() creates the reply with status Streaming,
// updateStreamingMessage() saves its text so far (the app calls it at most every 0.5 s), and
// finishMessage() saves the final text, status and figures. Opening the store marks replies a crash left
// Streaming as Cancelled ("interrupted"), keeping their text, so open one store per database file: a
// second store opened on the same file while the first streams would interrupt its reply.
//
// Deleting is soft, so the UI can offer undo: deleteConversation() hides it from lists and search,
// restoreConversation() brings it back, purgeConversation() / purgeDeletedBefore() remove it for good.
//
// Thread confinement: like its Database, a store must be used only from the thread that constructed it (one
// QSqlDatabase connection per store, under a unique name). Calls from another thread throw ponder::Error.
// Errors (missing ids, invalid values, SQLite failures) are ponder::Error naming the file and the problem.
#include "database.h"
#include "records.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace ponder::storage {

class ConversationStore {
public:
    // Milliseconds since the Unix epoch; the system clock unless a test supplies its own.
    using Clock = std::function<qint64()>;

    explicit ConversationStore(const QString& path, Clock clock = {});

    const Database& database() const { return database_; }
    // How many replies the open found left Streaming by a crash and marked Cancelled.
    int interruptedOnOpen() const { return interruptedOnOpen_; }

    // --- Conversations ---
    // Live (not soft-deleted) conversations: pinned first, then most recently updated.
    std::vector<Conversation> listConversations() const;
    // Live conversations whose title or message text contains every term of `text` (search_terms.h), in
    // listing order. Empty text gives the whole listing.
    std::vector<Conversation> searchConversations(const QString& text) const;
    // Soft-deleted ones too; nullopt when there is no such conversation.
    std::optional<Conversation> conversation(qint64 id) const;

    Conversation createConversation(const ConversationSettings& settings = {});
    // A custom title, kept from then on; an empty (or blank) title goes back to the automatic one.
    void renameConversation(qint64 id, const QString& title);
    void setPinned(qint64 id, bool pinned);
    void setModel(qint64 id, const QString& model);
    void setThinking(qint64 id, bool thinking);
    void setThinkingBudget(qint64 id, int budget); // -1 = unlimited
    void setSystemPrompt(qint64 id, const QString& prompt);
    void setSamplingJson(qint64 id, const QString& json); // a JSON object, or empty for none

    void deleteConversation(qint64 id);  // soft: restorable until purged
    void restoreConversation(qint64 id);
    void purgeConversation(qint64 id);   // for good, with its messages
    // Purges every conversation soft-deleted before `cutoff` (the end of the undo window); returns how many.
    int purgeDeletedBefore(const QDateTime& cutoff);

    // --- Messages ---
    std::vector<Message> messages(qint64 conversationId) const; // in order
    std::optional<Message> message(qint64 id) const;

    // A finished message (status Complete) after the conversation's last one.
    Message appendMessage(qint64 conversationId, MessageRole role, const QString& content);
    void editMessageContent(qint64 messageId, const QString& content);
    // Deletes the message and every later one in its conversation ("regenerate").
    void deleteMessageAndAfter(qint64 messageId);
    // "Edit and resend": the new text, and every later message deleted, in one transaction.
    void editMessageAndDeleteAfter(qint64 messageId, const QString& content);
    // Deletes one message; a user message takes the replies that answer it along (the assistant messages
    // after it, up to the next user message), so no reply is left answering a question that is gone.
    // Returns the ids deleted, in order. Later messages keep their positions (the order has a gap).
    std::vector<qint64> deleteMessage(qint64 messageId);

    // The streaming reply: see the top of this file.
    Message beginAssistantMessage(qint64 conversationId);
    void updateStreamingMessage(qint64 messageId, const QString& content, const QString& reasoning);
    void finishMessage(qint64 messageId, const MessageOutcome& outcome);

private:
    qint64 now() const;
    void markInterruptedReplies();
    std::vector<Conversation> selectConversations(const QString& where, const std::vector<QVariant>& values) const;
    void requireConversation(qint64 id) const;
    Message requireMessage(qint64 id) const;
    // Sets one column of a conversation (a compile-time column name) without touching updated_at.
    void setConversationColumn(qint64 id, const char* column, const QVariant& value, const QString& what);
    void touchConversation(qint64 id, qint64 time);
    void refreshAutomaticTitle(qint64 conversationId);
    Message insertMessage(qint64 conversationId, MessageRole role, const QString& content, MessageStatus status);

    Clock clock_;
    Database database_;
    int interruptedOnOpen_ = 0;
};

} // namespace ponder::storage
