// app/storage/conversation_export: the Markdown (exact text: title, system prompt, headings, reasoning in a
// <details> block, notes for stopped and failed replies) and the JSON (every field, times in UTC, sampling
// overrides as an object), from a conversation saved and read back through the store.
#include "storage/conversation_export.h"
#include "storage/conversation_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace ponder::storage;

namespace {

constexpr qint64 startTime = 1767225600000; // 2026-01-01T00:00:00.000Z

} // namespace

class TestConversationExport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<ConversationStore> store_;
    Conversation conversation_;
    std::vector<Message> messages_;

private slots:
    void initTestCase()
    {
        auto time = std::make_shared<qint64>(startTime);
        store_ = std::make_unique<ConversationStore>(dir_.filePath("export.db"), [time] { return *time += 1000; });
        ConversationSettings settings;
        settings.model = "Qwen3-1.7B-Q8_0.gguf";
        settings.thinkingBudget = 2048;
        settings.systemPrompt = "Be brief.";
        settings.samplingJson = R"({"temperature":0.6,"top_k":20})";
        const qint64 id = store_->createConversation(settings).id;
        store_->appendMessage(id, MessageRole::User, "What is 2+2?");
        const Message reply = store_->beginAssistantMessage(id);
        MessageOutcome outcome;
        outcome.content = "**4**";
        outcome.reasoning = "Simple arithmetic. Note: </details> must not end the block.";
        outcome.reasoningTokens = 12;
        outcome.reasoningSeconds = 0.5;
        outcome.tokens = 20;
        outcome.tokensPerSecond = 40;
        store_->finishMessage(reply.id, outcome);
        store_->appendMessage(id, MessageRole::User, "And 3+3?");
        const Message stopped = store_->beginAssistantMessage(id);
        MessageOutcome cancelled;
        cancelled.status = MessageStatus::Cancelled;
        cancelled.content = "It is";
        store_->finishMessage(stopped.id, cancelled);
        const Message failed = store_->beginAssistantMessage(id);
        MessageOutcome error;
        error.status = MessageStatus::Error;
        error.error = "out of memory";
        store_->finishMessage(failed.id, error);
        store_->renameConversation(id, "Arithmetic");
        conversation_ = *store_->conversation(id);
        messages_ = store_->messages(id);
    }

    void markdown()
    {
        const QString expected = "# Arithmetic\n"
                                 "\n"
                                 "**System prompt:**\n"
                                 "\n"
                                 "Be brief.\n"
                                 "\n"
                                 "## User\n"
                                 "\n"
                                 "What is 2+2?\n"
                                 "\n"
                                 "## Assistant\n"
                                 "\n"
                                 "<details>\n"
                                 "<summary>Reasoning (12 tokens, 0.5 s)</summary>\n"
                                 "\n"
                                 "Simple arithmetic. Note: &lt;/details> must not end the block.\n"
                                 "\n"
                                 "</details>\n"
                                 "\n"
                                 "**4**\n"
                                 "\n"
                                 "## User\n"
                                 "\n"
                                 "And 3+3?\n"
                                 "\n"
                                 "## Assistant\n"
                                 "\n"
                                 "It is\n"
                                 "\n"
                                 "*(stopped before the reply finished)*\n"
                                 "\n"
                                 "## Assistant\n"
                                 "\n"
                                 "*(error: out of memory)*\n";
        QCOMPARE(conversationToMarkdown(conversation_, messages_), expected);
    }

    void markdownOfAnUntitledConversation()
    {
        Conversation empty;
        QCOMPARE(conversationToMarkdown(empty, {}), QString("# New conversation\n"));
        Message cut;
        cut.role = MessageRole::Assistant;
        cut.reasoning = "thinking";
        cut.reasoningCut = true;
        cut.content = "answer";
        QCOMPARE(conversationToMarkdown(empty, {cut}),
                 QString("# New conversation\n\n## Assistant\n\n<details>\n<summary>Reasoning (cut by the "
                         "thinking budget)</summary>\n\nthinking\n\n</details>\n\nanswer\n"));
    }

    void json()
    {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(conversationToJson(conversation_, messages_), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject root = document.object();
        QCOMPARE(root["format"].toString(), QString("ponder-conversation"));
        QCOMPARE(root["version"].toInt(), 1);

        const QJsonObject c = root["conversation"].toObject();
        QCOMPARE(c.size(), 12);
        QCOMPARE(c["id"].toInteger(), conversation_.id);
        QCOMPARE(c["title"].toString(), QString("Arithmetic"));
        QCOMPARE(c["title_is_custom"].toBool(), true);
        // The fake clock starts at 2026-01-01T00:00:00Z and ticks a second per reading.
        QVERIFY(QRegularExpression("^2026-01-01T00:00:0[1-9]\\.000Z$").match(c["created_at"].toString()).hasMatch());
        QCOMPARE(c["created_at"].toString(), conversation_.createdAt.toString(Qt::ISODateWithMs));
        QCOMPARE(c["updated_at"].toString(), conversation_.updatedAt.toString(Qt::ISODateWithMs));
        QVERIFY(c["updated_at"].toString().endsWith('Z'));
        QCOMPARE(c["model"].toString(), QString("Qwen3-1.7B-Q8_0.gguf"));
        QCOMPARE(c["thinking"].toBool(), true);
        QCOMPARE(c["thinking_budget"].toInt(), 2048);
        QCOMPARE(c["system_prompt"].toString(), QString("Be brief."));
        QCOMPARE(c["sampling"].toObject()["temperature"].toDouble(), 0.6);
        QCOMPARE(c["sampling"].toObject()["top_k"].toInt(), 20);
        QCOMPARE(c["pinned"].toBool(), false);
        QVERIFY(c["deleted_at"].isNull());

        const QJsonArray messages = root["messages"].toArray();
        QCOMPARE(messages.size(), 5);
        const QJsonObject reply = messages[1].toObject();
        QCOMPARE(reply.size(), 15);
        QCOMPARE(reply["id"].toInteger(), messages_[1].id);
        QCOMPARE(reply["conversation_id"].toInteger(), conversation_.id);
        QCOMPARE(reply["position"].toInt(), 1);
        QCOMPARE(reply["role"].toString(), QString("assistant"));
        QCOMPARE(reply["content"].toString(), QString("**4**"));
        QCOMPARE(reply["reasoning"].toString(), messages_[1].reasoning); // unescaped in JSON
        QCOMPARE(reply["reasoning_tokens"].toInt(), 12);
        QCOMPARE(reply["reasoning_seconds"].toDouble(), 0.5);
        QCOMPARE(reply["reasoning_cut"].toBool(), false);
        QCOMPARE(reply["tokens"].toInt(), 20);
        QCOMPARE(reply["tokens_per_second"].toDouble(), 40.0);
        QCOMPARE(reply["status"].toString(), QString("complete"));
        QCOMPARE(reply["error"].toString(), QString());
        QCOMPARE(reply["created_at"].toString(), messages_[1].createdAt.toString(Qt::ISODateWithMs));
        QCOMPARE(reply["updated_at"].toString(), messages_[1].updatedAt.toString(Qt::ISODateWithMs));
        QCOMPARE(messages[0].toObject()["role"].toString(), QString("user"));
        QCOMPARE(messages[3].toObject()["status"].toString(), QString("cancelled"));
        QCOMPARE(messages[4].toObject()["status"].toString(), QString("error"));
        QCOMPARE(messages[4].toObject()["error"].toString(), QString("out of memory"));

        // No sampling overrides: null, not an empty object.
        Conversation plain = conversation_;
        plain.samplingJson.clear();
        const QJsonObject noSampling = QJsonDocument::fromJson(conversationToJson(plain, {})).object();
        QVERIFY(noSampling["conversation"].toObject()["sampling"].isNull());
        QVERIFY(noSampling["messages"].toArray().isEmpty());
    }

    void cleanupTestCase() { store_.reset(); }
};

QTEST_GUILESS_MAIN(TestConversationExport)
#include "test_conversation_export.moc"
