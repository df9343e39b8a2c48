#include "conversation_store.h"

#include "conversation_title.h"
#include "search_terms.h"
#include "transaction.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace ponder::storage {

namespace {

const QString conversationColumns = QStringLiteral(
    "c.id, c.title, c.title_is_custom, c.created_at, c.updated_at, c.model, c.thinking, c.thinking_budget, "
    "c.system_prompt, c.sampling_json, c.pinned, c.deleted_at");

const QString messageColumns = QStringLiteral(
    "id, conversation_id, position, role, content, reasoning, reasoning_tokens, reasoning_seconds, "
    "reasoning_cut, tokens, tokens_per_second, status, error, created_at, updated_at");

// The listing order; the id breaks ties between conversations updated in the same millisecond.
const QString listingOrder = QStringLiteral(" ORDER BY c.pinned DESC, c.updated_at DESC, c.id DESC");

QDateTime timeFromColumn(const QVariant& value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

Conversation conversationFromRow(const QSqlQuery& row)
{
    Conversation c;
    c.id = row.value(0).toLongLong();
    c.title = row.value(1).toString();
    c.titleIsCustom = row.value(2).toBool();
    c.createdAt = timeFromColumn(row.value(3));
    c.updatedAt = timeFromColumn(row.value(4));
    c.model = row.value(5).toString();
    c.thinking = row.value(6).toBool();
    c.thinkingBudget = row.value(7).toInt();
    c.systemPrompt = row.value(8).toString();
    c.samplingJson = row.value(9).toString();
    c.pinned = row.value(10).toBool();
    c.deletedAt = timeFromColumn(row.value(11));
    return c;
}

void checkBudget(const Database& database, int budget)
{
    if (budget < -1)
        database.fail(QStringLiteral("thinking budget %1 is invalid: give a token count, or -1 for unlimited")
                          .arg(budget));
}

// Sampling overrides are stored as text for the app to interpret, but must be a JSON object (or nothing),
// so the export and the app never meet text they cannot read.
void checkSamplingJson(const Database& database, const QString& json)
{
    if (json.isEmpty())
        return;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        database.fail("sampling overrides are not valid JSON: " + error.errorString() +
                      QStringLiteral(" at offset %1").arg(error.offset));
    if (!document.isObject())
        database.fail("sampling overrides must be a JSON object, like {\"temperature\": 0.6}");
}

} // namespace

ConversationStore::ConversationStore(const QString& path, Clock clock)
    : clock_(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); })),
      database_(path)
{
    markInterruptedReplies();
}

qint64 ConversationStore::now() const { return clock_(); }

// A reply still Streaming at open was being written when Ponder crashed or was killed: its text up to the
// last update is kept, and it is marked as stopped so the UI offers to regenerate it rather than wait.
void ConversationStore::markInterruptedReplies()
{
    Transaction transaction(database_);
    const QSqlQuery update = database_.run(
        "marking interrupted replies",
        "UPDATE messages SET status = 'cancelled', error = 'interrupted: Ponder stopped before the reply "
        "finished', updated_at = ? WHERE status = 'streaming'",
        {now()});
    interruptedOnOpen_ = update.numRowsAffected();
    transaction.commit();
}

// --- Conversations ---

std::vector<Conversation> ConversationStore::selectConversations(const QString& where,
                                                                 const std::vector<QVariant>& values) const
{
    QSqlQuery query = database_.run("reading conversations",
                                    "SELECT " + conversationColumns + " FROM conversations c WHERE " + where +
                                        listingOrder,
                                    values);
    std::vector<Conversation> conversations;
    while (query.next())
        conversations.push_back(conversationFromRow(query));
    return conversations;
}

std::vector<Conversation> ConversationStore::listConversations() const
{
    return selectConversations("c.deleted_at IS NULL", {});
}

std::vector<Conversation> ConversationStore::searchConversations(const QString& text) const
{
    QString where = "c.deleted_at IS NULL";
    std::vector<QVariant> values;
    for (const SearchCondition& condition : searchConditions(text)) {
        where += " AND " + condition.sql;
        values.insert(values.end(), condition.values.begin(), condition.values.end());
    }
    return selectConversations(where, values);
}

std::optional<Conversation> ConversationStore::conversation(qint64 id) const
{
    std::vector<Conversation> found = selectConversations("c.id = ?", {id});
    if (found.empty())
        return std::nullopt;
    return found.front();
}

void ConversationStore::requireConversation(qint64 id) const
{
    QSqlQuery query = database_.run("finding a conversation", "SELECT 1 FROM conversations WHERE id = ?", {id});
    if (!query.next())
        database_.fail(QStringLiteral("conversation %1 does not exist").arg(id));
}

Conversation ConversationStore::createConversation(const ConversationSettings& settings)
{
    checkBudget(database_, settings.thinkingBudget);
    checkSamplingJson(database_, settings.samplingJson);
    const qint64 time = now();
    qint64 id = 0;
    {
        Transaction transaction(database_);
        const QSqlQuery insert = database_.run(
            "creating a conversation",
            "INSERT INTO conversations (created_at, updated_at, model, thinking, thinking_budget, "
            "system_prompt, sampling_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {time, time, settings.model, settings.thinking ? 1 : 0, settings.thinkingBudget,
             settings.systemPrompt, settings.samplingJson});
        id = insert.lastInsertId().toLongLong();
        transaction.commit();
    }
    return *conversation(id);
}

void ConversationStore::setConversationColumn(qint64 id, const char* column, const QVariant& value,
                                              const QString& what)
{
    Transaction transaction(database_);
    const QSqlQuery update = database_.run(
        what, QStringLiteral("UPDATE conversations SET %1 = ? WHERE id = ?").arg(QLatin1String(column)),
        {value, id});
    if (update.numRowsAffected() != 1)
        database_.fail(what + QStringLiteral(" failed: conversation %1 does not exist").arg(id));
    transaction.commit();
}

void ConversationStore::touchConversation(qint64 id, qint64 time)
{
    database_.run("updating a conversation's time", "UPDATE conversations SET updated_at = ? WHERE id = ?",
                  {time, id});
}

void ConversationStore::refreshAutomaticTitle(qint64 conversationId)
{
    QString firstUserMessage;
    {
        QSqlQuery query = database_.run(
            "finding the first user message",
            "SELECT content FROM messages WHERE conversation_id = ? AND role = 'user' ORDER BY position LIMIT 1",
            {conversationId});
        if (query.next())
            firstUserMessage = query.value(0).toString();
    }
    // "title <> ?" skips a write (and a search-index update) when the title is unchanged.
    database_.run("updating the automatic title",
                  "UPDATE conversations SET title = ? WHERE id = ? AND title_is_custom = 0 AND title <> ?",
                  {automaticTitle(firstUserMessage), conversationId, automaticTitle(firstUserMessage)});
}

void ConversationStore::renameConversation(qint64 id, const QString& title)
{
    const QString what = QStringLiteral("renaming conversation %1").arg(id);
    const QString trimmed = title.trimmed();
    Transaction transaction(database_);
    requireConversation(id);
    database_.run(what, "UPDATE conversations SET title = ?, title_is_custom = ?, updated_at = ? WHERE id = ?",
                  {trimmed, trimmed.isEmpty() ? 0 : 1, now(), id});
    if (trimmed.isEmpty())
        refreshAutomaticTitle(id);
    transaction.commit();
}

void ConversationStore::setPinned(qint64 id, bool pinned)
{
    setConversationColumn(id, "pinned", pinned ? 1 : 0, QStringLiteral("pinning conversation %1").arg(id));
}

void ConversationStore::setModel(qint64 id, const QString& model)
{
    setConversationColumn(id, "model", model, QStringLiteral("setting the model of conversation %1").arg(id));
}

void ConversationStore::setThinking(qint64 id, bool thinking)
{
    setConversationColumn(id, "thinking", thinking ? 1 : 0,
                          QStringLiteral("setting thinking for conversation %1").arg(id));
}

void ConversationStore::setThinkingBudget(qint64 id, int budget)
{
    checkBudget(database_, budget);
    setConversationColumn(id, "thinking_budget", budget,
                          QStringLiteral("setting the thinking budget of conversation %1").arg(id));
}

void ConversationStore::setSystemPrompt(qint64 id, const QString& prompt)
{
    setConversationColumn(id, "system_prompt", prompt,
                          QStringLiteral("setting the system prompt of conversation %1").arg(id));
}

void ConversationStore::setSamplingJson(qint64 id, const QString& json)
{
    checkSamplingJson(database_, json);
    setConversationColumn(id, "sampling_json", json,
                          QStringLiteral("setting the sampling overrides of conversation %1").arg(id));
}

void ConversationStore::deleteConversation(qint64 id)
{
    setConversationColumn(id, "deleted_at", now(), QStringLiteral("deleting conversation %1").arg(id));
}

void ConversationStore::restoreConversation(qint64 id)
{
    setConversationColumn(id, "deleted_at", QVariant(QMetaType::fromType<qint64>()),
                          QStringLiteral("restoring conversation %1").arg(id));
}

void ConversationStore::purgeConversation(qint64 id)
{
    Transaction transaction(database_);
    // The messages go with it (ON DELETE CASCADE), and the triggers take both out of the search index.
    const QSqlQuery remove = database_.run(QStringLiteral("purging conversation %1").arg(id),
                                           "DELETE FROM conversations WHERE id = ?", {id});
    if (remove.numRowsAffected() != 1)
        database_.fail(QStringLiteral("purging conversation %1 failed: it does not exist").arg(id));
    transaction.commit();
}

int ConversationStore::purgeDeletedBefore(const QDateTime& cutoff)
{
    Transaction transaction(database_);
    const QSqlQuery remove =
        database_.run("purging deleted conversations",
                      "DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?",
                      {cutoff.toMSecsSinceEpoch()});
    const int purged = remove.numRowsAffected();
    transaction.commit();
    return purged;
}

// --- Messages ---

namespace {

Message messageFromRow(const Database& database, const QSqlQuery& row)
{
    Message m;
    m.id = row.value(0).toLongLong();
    m.conversationId = row.value(1).toLongLong();
    m.position = row.value(2).toInt();
    const QString role = row.value(3).toString();
    const QString status = row.value(11).toString();
    // The schema's CHECK constraints allow only known words; another value means the file was edited.
    const auto knownRole = roleFromName(role);
    const auto knownStatus = statusFromName(status);
    if (!knownRole || !knownStatus)
        database.fail(QStringLiteral("message %1 has an unknown role '%2' or status '%3' (the database is damaged)")
                          .arg(m.id)
                          .arg(role, status));
    m.role = *knownRole;
    m.content = row.value(4).toString();
    m.reasoning = row.value(5).toString();
    m.reasoningTokens = row.value(6).toInt();
    m.reasoningSeconds = row.value(7).toDouble();
    m.reasoningCut = row.value(8).toBool();
    m.tokens = row.value(9).toInt();
    m.tokensPerSecond = row.value(10).toDouble();
    m.status = *knownStatus;
    m.error = row.value(12).toString();
    m.createdAt = timeFromColumn(row.value(13));
    m.updatedAt = timeFromColumn(row.value(14));
    return m;
}

} // namespace

std::vector<Message> ConversationStore::messages(qint64 conversationId) const
{
    QSqlQuery query = database_.run(QStringLiteral("reading the messages of conversation %1").arg(conversationId),
                                    "SELECT " + messageColumns +
                                        " FROM messages WHERE conversation_id = ? ORDER BY position",
                                    {conversationId});
    std::vector<Message> found;
    while (query.next())
        found.push_back(messageFromRow(database_, query));
    return found;
}

std::optional<Message> ConversationStore::message(qint64 id) const
{
    QSqlQuery query = database_.run(QStringLiteral("reading message %1").arg(id),
                                    "SELECT " + messageColumns + " FROM messages WHERE id = ?", {id});
    if (!query.next())
        return std::nullopt;
    return messageFromRow(database_, query);
}

Message ConversationStore::requireMessage(qint64 id) const
{
    std::optional<Message> found = message(id);
    if (!found)
        database_.fail(QStringLiteral("message %1 does not exist").arg(id));
    return *found;
}

Message ConversationStore::insertMessage(qint64 conversationId, MessageRole role, const QString& content,
                                         MessageStatus status)
{
    const qint64 time = now();
    qint64 id = 0;
    {
        Transaction transaction(database_);
        requireConversation(conversationId);
        const QSqlQuery insert = database_.run(
            QStringLiteral("adding a message to conversation %1").arg(conversationId),
            "INSERT INTO messages (conversation_id, position, role, content, status, created_at, updated_at) "
            "VALUES (?, (SELECT coalesce(max(position) + 1, 0) FROM messages WHERE conversation_id = ?), "
            "?, ?, ?, ?, ?)",
            {conversationId, conversationId, roleName(role), content, statusName(status), time, time});
        id = insert.lastInsertId().toLongLong();
        touchConversation(conversationId, time);
        if (role == MessageRole::User)
            refreshAutomaticTitle(conversationId);
        transaction.commit();
    }
    return requireMessage(id);
}

Message ConversationStore::appendMessage(qint64 conversationId, MessageRole role, const QString& content)
{
    return insertMessage(conversationId, role, content, MessageStatus::Complete);
}

void ConversationStore::editMessageContent(qint64 messageId, const QString& content)
{
    const qint64 time = now();
    Transaction transaction(database_);
    const Message edited = requireMessage(messageId);
    database_.run(QStringLiteral("editing message %1").arg(messageId),
                  "UPDATE messages SET content = ?, updated_at = ? WHERE id = ?", {content, time, messageId});
    touchConversation(edited.conversationId, time);
    if (edited.role == MessageRole::User)
        refreshAutomaticTitle(edited.conversationId);
    transaction.commit();
}

void ConversationStore::deleteMessageAndAfter(qint64 messageId)
{
    Transaction transaction(database_);
    const Message first = requireMessage(messageId);
    database_.run(QStringLiteral("deleting message %1 and the ones after it").arg(messageId),
                  "DELETE FROM messages WHERE conversation_id = ? AND position >= ?",
                  {first.conversationId, first.position});
    touchConversation(first.conversationId, now());
    refreshAutomaticTitle(first.conversationId);
    transaction.commit();
}

void ConversationStore::editMessageAndDeleteAfter(qint64 messageId, const QString& content)
{
    const qint64 time = now();
    Transaction transaction(database_);
    const Message edited = requireMessage(messageId);
    database_.run(QStringLiteral("editing message %1").arg(messageId),
                  "UPDATE messages SET content = ?, updated_at = ? WHERE id = ?", {content, time, messageId});
    database_.run(QStringLiteral("deleting the messages after message %1").arg(messageId),
                  "DELETE FROM messages WHERE conversation_id = ? AND position > ?",
                  {edited.conversationId, edited.position});
    touchConversation(edited.conversationId, time);
    refreshAutomaticTitle(edited.conversationId);
    transaction.commit();
}

std::vector<qint64> ConversationStore::deleteMessage(qint64 messageId)
{
    Transaction transaction(database_);
    const Message target = requireMessage(messageId);
    std::vector<qint64> deleted{messageId};
    if (target.role == MessageRole::User) {
        QSqlQuery later = database_.run(
            QStringLiteral("finding the replies to message %1").arg(messageId),
            "SELECT id, role FROM messages WHERE conversation_id = ? AND position > ? ORDER BY position",
            {target.conversationId, target.position});
        while (later.next() && later.value(1).toString() == roleName(MessageRole::Assistant))
            deleted.push_back(later.value(0).toLongLong());
    }
    for (const qint64 id : deleted)
        database_.run(QStringLiteral("deleting message %1").arg(id), "DELETE FROM messages WHERE id = ?", {id});
    touchConversation(target.conversationId, now());
    refreshAutomaticTitle(target.conversationId);
    transaction.commit();
    return deleted;
}

Message ConversationStore::beginAssistantMessage(qint64 conversationId)
{
    return insertMessage(conversationId, MessageRole::Assistant, QString(), MessageStatus::Streaming);
}

void ConversationStore::updateStreamingMessage(qint64 messageId, const QString& content, const QString& reasoning)
{
    const QString what = QStringLiteral("saving the streaming reply %1").arg(messageId);
    const qint64 time = now();
    Transaction transaction(database_);
    const QSqlQuery update = database_.run(
        what,
        "UPDATE messages SET content = ?, reasoning = ?, updated_at = ? WHERE id = ? AND status = 'streaming'",
        {content, reasoning, time, messageId});
    if (update.numRowsAffected() != 1) {
        const Message existing = requireMessage(messageId);
        database_.fail(what + " failed: the message is " + statusName(existing.status) + ", not streaming");
    }
    database_.run(what,
                  "UPDATE conversations SET updated_at = ? WHERE id = (SELECT conversation_id FROM messages "
                  "WHERE id = ?)",
                  {time, messageId});
    transaction.commit();
}

void ConversationStore::finishMessage(qint64 messageId, const MessageOutcome& outcome)
{
    const QString what = QStringLiteral("finishing the reply %1").arg(messageId);
    if (outcome.status == MessageStatus::Streaming)
        database_.fail(what + " failed: the final status cannot be 'streaming'");
    const qint64 time = now();
    Transaction transaction(database_);
    const Message existing = requireMessage(messageId);
    if (existing.status != MessageStatus::Streaming)
        database_.fail(what + " failed: the message is " + statusName(existing.status) + ", not streaming");
    database_.run(what,
                  "UPDATE messages SET content = ?, reasoning = ?, reasoning_tokens = ?, reasoning_seconds = ?, "
                  "reasoning_cut = ?, tokens = ?, tokens_per_second = ?, status = ?, error = ?, updated_at = ? "
                  "WHERE id = ?",
                  {outcome.content, outcome.reasoning, outcome.reasoningTokens, outcome.reasoningSeconds,
                   outcome.reasoningCut ? 1 : 0, outcome.tokens, outcome.tokensPerSecond,
                   statusName(outcome.status), outcome.error, time, messageId});
    touchConversation(existing.conversationId, time);
    transaction.commit();
}

} // namespace ponder::storage
