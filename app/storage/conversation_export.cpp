#include "conversation_export.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ponder::storage {

namespace {

QString heading(MessageRole role)
{
    switch (role) {
    case MessageRole::System: return QStringLiteral("System");
    case MessageRole::User: return QStringLiteral("User");
    case MessageRole::Assistant: return QStringLiteral("Assistant");
    }
    return {};
}

// The reasoning goes inside raw HTML; a literal "</details>" in it would close the block early.
QString insideDetails(const QString& text)
{
    QString safe = text;
    safe.replace(QStringLiteral("</details>"), QStringLiteral("&lt;/details>"), Qt::CaseInsensitive);
    return safe;
}

QString reasoningSummary(const Message& message)
{
    QString summary = QStringLiteral("Reasoning");
    QStringList figures;
    if (message.reasoningTokens > 0)
        figures << QStringLiteral("%1 tokens").arg(message.reasoningTokens);
    if (message.reasoningSeconds > 0)
        figures << QStringLiteral("%1 s").arg(message.reasoningSeconds, 0, 'f', 1);
    if (message.reasoningCut)
        figures << QStringLiteral("cut by the thinking budget");
    if (!figures.isEmpty())
        summary += " (" + figures.join(", ") + ")";
    return summary;
}

QString markdownOfMessage(const Message& message)
{
    QString text = "## " + heading(message.role) + "\n\n";
    if (!message.reasoning.isEmpty())
        // The blank lines let Markdown renderers format the reasoning inside the HTML block.
        text += "<details>\n<summary>" + reasoningSummary(message) + "</summary>\n\n" +
                insideDetails(message.reasoning.trimmed()) + "\n\n</details>\n\n";
    if (!message.content.isEmpty())
        text += message.content.trimmed() + "\n\n";
    if (message.status == MessageStatus::Cancelled)
        text += "*(stopped before the reply finished)*\n\n";
    else if (message.status == MessageStatus::Error)
        text += "*(error: " + message.error + ")*\n\n";
    else if (message.status == MessageStatus::Streaming)
        text += "*(still being written)*\n\n";
    return text;
}

QJsonValue timeValue(const QDateTime& time)
{
    if (!time.isValid())
        return QJsonValue::Null;
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject jsonOfConversation(const Conversation& c)
{
    QJsonValue sampling = QJsonValue::Null;
    if (!c.samplingJson.isEmpty())
        sampling = QJsonDocument::fromJson(c.samplingJson.toUtf8()).object(); // checked when stored
    return {
        {"id", c.id},
        {"title", c.title},
        {"title_is_custom", c.titleIsCustom},
        {"created_at", timeValue(c.createdAt)},
        {"updated_at", timeValue(c.updatedAt)},
        {"model", c.model},
        {"thinking", c.thinking},
        {"thinking_budget", c.thinkingBudget},
        {"system_prompt", c.systemPrompt},
        {"sampling", sampling},
        {"pinned", c.pinned},
        {"deleted_at", timeValue(c.deletedAt)},
    };
}

QJsonObject jsonOfMessage(const Message& m)
{
    return {
        {"id", m.id},
        {"conversation_id", m.conversationId},
        {"position", m.position},
        {"role", roleName(m.role)},
        {"content", m.content},
        {"reasoning", m.reasoning},
        {"reasoning_tokens", m.reasoningTokens},
        {"reasoning_seconds", m.reasoningSeconds},
        {"reasoning_cut", m.reasoningCut},
        {"tokens", m.tokens},
        {"tokens_per_second", m.tokensPerSecond},
        {"status", statusName(m.status)},
        {"error", m.error},
        {"created_at", timeValue(m.createdAt)},
        {"updated_at", timeValue(m.updatedAt)},
    };
}

} // namespace

QString conversationToMarkdown(const Conversation& conversation, const std::vector<Message>& messages)
{
    const QString title = conversation.title.isEmpty() ? QStringLiteral("New conversation") : conversation.title;
    QString text = "# " + title + "\n\n";
    if (!conversation.systemPrompt.isEmpty())
        text += "**System prompt:**\n\n" + conversation.systemPrompt.trimmed() + "\n\n";
    for (const Message& message : messages)
        text += markdownOfMessage(message);
    return text.trimmed() + "\n";
}

QByteArray conversationToJson(const Conversation& conversation, const std::vector<Message>& messages)
{
    QJsonArray messageArray;
    for (const Message& message : messages)
        messageArray.append(jsonOfMessage(message));
    const QJsonObject root{
        {"format", "ponder-conversation"},
        {"version", 1},
        {"conversation", jsonOfConversation(conversation)},
        {"messages", messageArray},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace ponder::storage
