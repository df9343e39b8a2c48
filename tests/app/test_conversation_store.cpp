// app/storage/conversation_store: every query and change the UI needs, the listing order, the automatic
// title, search (English and Chinese, short and long terms, odd characters), soft delete / restore / purge,
// the streaming-reply API and the marking of replies a crash left streaming. A fake clock that advances one
// second per reading makes every time distinct and the order checks exact.
#include "storage/conversation_store.h"

#include "core/error.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace ponder;
using namespace ponder::storage;

namespace {

constexpr qint64 startTime = 1767225600000; // 2026-01-01T00:00:00Z

ConversationStore::Clock fakeClock()
{
    auto time = std::make_shared<qint64>(startTime);
    return [time] { return *time += 1000; };
}

std::vector<qint64> idsOf(const std::vector<Conversation>& conversations)
{
    std::vector<qint64> ids;
    for (const auto& c : conversations)
        ids.push_back(c.id);
    return ids;
}

std::vector<QString> contentsOf(const std::vector<Message>& messages)
{
    std::vector<QString> contents;
    for (const auto& m : messages)
        contents.push_back(m.content);
    return contents;
}

#define EXPECT_ERROR(statement, fragment)                                                                    \
    do {                                                                                                     \
        try {                                                                                                \
            statement;                                                                                       \
            QFAIL("no error from " #statement);                                                              \
        } catch (const ponder::Error& error) {                                                               \
            QVERIFY2(QString(error.what()).contains(fragment), error.what());                                \
        }                                                                                                    \
    } while (false)

} // namespace

class TestConversationStore : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    int files_ = 0;
    QString path_;
    std::unique_ptr<ConversationStore> store_;

    ConversationStore& store() { return *store_; }

    void reopen() { store_ = std::make_unique<ConversationStore>(path_, fakeClock()); }

private slots:
    void init()
    {
        path_ = dir_.filePath(QStringLiteral("store-%1.db").arg(++files_));
        store_ = std::make_unique<ConversationStore>(path_, fakeClock());
    }

    void cleanup() { store_.reset(); }

    void createsConversationsWithTheirSettings()
    {
        const Conversation plain = store().createConversation();
        QVERIFY(plain.id > 0);
        QCOMPARE(plain.title, QString());
        QVERIFY(!plain.titleIsCustom);
        QVERIFY(plain.thinking);
        QCOMPARE(plain.thinkingBudget, -1);
        QVERIFY(!plain.pinned);
        QVERIFY(!plain.isDeleted());
        QCOMPARE(plain.createdAt, plain.updatedAt);
        QCOMPARE(plain.createdAt.timeSpec(), Qt::UTC);
        QVERIFY(plain.createdAt.toMSecsSinceEpoch() > startTime);

        ConversationSettings settings;
        settings.model = "/models/Qwen3-4B-Q4_K_M.gguf";
        settings.thinking = false;
        settings.thinkingBudget = 1024;
        settings.systemPrompt = "You are terse.";
        settings.samplingJson = R"({"temperature": 0.7, "top_p": 0.8})";
        const Conversation set = store().createConversation(settings);
        const Conversation read = *store().conversation(set.id);
        QCOMPARE(read.model, settings.model);
        QVERIFY(!read.thinking);
        QCOMPARE(read.thinkingBudget, 1024);
        QCOMPARE(read.systemPrompt, settings.systemPrompt);
        QCOMPARE(read.samplingJson, settings.samplingJson);
        QVERIFY(!store().conversation(9999));

        settings.thinkingBudget = -2;
        EXPECT_ERROR(store().createConversation(settings), "thinking budget -2 is invalid");
    }

    void changesSettings()
    {
        const qint64 id = store().createConversation().id;
        const QDateTime updated = store().conversation(id)->updatedAt;
        store().setPinned(id, true);
        store().setModel(id, "qwen3-8b");
        store().setThinking(id, false);
        store().setThinkingBudget(id, 256);
        store().setSystemPrompt(id, "Answer in French.");
        store().setSamplingJson(id, R"({"temperature": 0.2})");
        Conversation c = *store().conversation(id);
        QVERIFY(c.pinned);
        QCOMPARE(c.model, QString("qwen3-8b"));
        QVERIFY(!c.thinking);
        QCOMPARE(c.thinkingBudget, 256);
        QCOMPARE(c.systemPrompt, QString("Answer in French."));
        QCOMPARE(c.samplingJson, QString(R"({"temperature": 0.2})"));
        // Settings do not move a conversation in the listing; only its messages and title do.
        QCOMPARE(c.updatedAt, updated);

        store().setThinkingBudget(id, -1);
        store().setSamplingJson(id, "");
        c = *store().conversation(id);
        QCOMPARE(c.thinkingBudget, -1);
        QCOMPARE(c.samplingJson, QString());

        EXPECT_ERROR(store().setThinkingBudget(id, -5), "thinking budget -5 is invalid");
        EXPECT_ERROR(store().setSamplingJson(id, "{temperature"), "sampling overrides are not valid JSON");
        EXPECT_ERROR(store().setSamplingJson(id, "[0.7]"), "must be a JSON object");
        EXPECT_ERROR(store().setPinned(4242, true), "conversation 4242 does not exist");
        EXPECT_ERROR(store().setModel(4242, "x"), "conversation 4242 does not exist");
        EXPECT_ERROR(store().renameConversation(4242, "x"), "conversation 4242 does not exist");
        EXPECT_ERROR(store().appendMessage(4242, MessageRole::User, "hi"), "conversation 4242 does not exist");
        // Errors name the file.
        EXPECT_ERROR(store().setPinned(4242, true), path_ + ": ");
    }

    void titleFollowsTheFirstUserMessageUntilRenamed()
    {
        const qint64 id = store().createConversation().id;
        store().appendMessage(id, MessageRole::System, "System text is never the title.");
        QCOMPARE(store().conversation(id)->title, QString());
        const Message first = store().appendMessage(id, MessageRole::User, "  How do\nmagnets   work?  ");
        QCOMPARE(store().conversation(id)->title, QString("How do magnets work?"));
        store().appendMessage(id, MessageRole::User, "And why?");
        QCOMPARE(store().conversation(id)->title, QString("How do magnets work?"));
        store().editMessageContent(first.id, "How do compasses work?");
        QCOMPARE(store().conversation(id)->title, QString("How do compasses work?"));

        const QString longText = QString(70, 'x') + " tail";
        const qint64 other = store().createConversation().id;
        store().appendMessage(other, MessageRole::User, longText);
        QCOMPARE(store().conversation(other)->title, QString(60, 'x') + QChar(0x2026));

        store().renameConversation(id, "  Magnetism  ");
        Conversation c = *store().conversation(id);
        QCOMPARE(c.title, QString("Magnetism"));
        QVERIFY(c.titleIsCustom);
        store().editMessageContent(first.id, "Something else entirely");
        QCOMPARE(store().conversation(id)->title, QString("Magnetism"));

        // Renaming to nothing hands the title back to the first user message.
        store().renameConversation(id, " ");
        c = *store().conversation(id);
        QVERIFY(!c.titleIsCustom);
        QCOMPARE(c.title, QString("Something else entirely"));

        // Deleting the first user message (and so all after it) leaves no user message: no title.
        store().deleteMessageAndAfter(first.id);
        QCOMPARE(store().conversation(id)->title, QString());
    }

    void listsPinnedFirstThenMostRecentlyUpdated()
    {
        const qint64 a = store().createConversation().id;
        const qint64 b = store().createConversation().id;
        const qint64 c = store().createConversation().id;
        const qint64 d = store().createConversation().id;
        QCOMPARE(idsOf(store().listConversations()), (std::vector<qint64>{d, c, b, a}));
        store().appendMessage(a, MessageRole::User, "bump a");
        QCOMPARE(idsOf(store().listConversations()), (std::vector<qint64>{a, d, c, b}));
        store().setPinned(b, true);
        store().setPinned(c, true);
        QCOMPARE(idsOf(store().listConversations()), (std::vector<qint64>{c, b, a, d}));
        store().renameConversation(b, "renamed");
        QCOMPARE(idsOf(store().listConversations()), (std::vector<qint64>{b, c, a, d}));
        store().deleteConversation(a);
        QCOMPARE(idsOf(store().listConversations()), (std::vector<qint64>{b, c, d}));
        store().setPinned(c, false);
        QCOMPARE(idsOf(store().listConversations()), (std::vector<qint64>{b, d, c}));
    }

    void storesMessagesInOrder()
    {
        const qint64 id = store().createConversation().id;
        const Message user = store().appendMessage(id, MessageRole::User, "Hello");
        const Message reply = store().appendMessage(id, MessageRole::Assistant, "Hi! How can I help?");
        QCOMPARE(user.position, 0);
        QCOMPARE(reply.position, 1);
        QCOMPARE(user.conversationId, id);
        QCOMPARE(user.role, MessageRole::User);
        QCOMPARE(reply.role, MessageRole::Assistant);
        QCOMPARE(reply.status, MessageStatus::Complete);
        QVERIFY(reply.createdAt > user.createdAt);
        QVERIFY(store().conversation(id)->updatedAt >= reply.createdAt);

        const qint64 other = store().createConversation().id;
        store().appendMessage(other, MessageRole::User, "Elsewhere");
        store().appendMessage(id, MessageRole::User, "Tell me a joke");
        QCOMPARE(contentsOf(store().messages(id)),
                 (std::vector<QString>{"Hello", "Hi! How can I help?", "Tell me a joke"}));
        QCOMPARE(contentsOf(store().messages(other)), (std::vector<QString>{"Elsewhere"}));

        store().editMessageContent(user.id, "Hello there");
        const Message edited = *store().message(user.id);
        QCOMPARE(edited.content, QString("Hello there"));
        QVERIFY(edited.updatedAt > edited.createdAt);
        EXPECT_ERROR(store().editMessageContent(777, "x"), "message 777 does not exist");
    }

    void deletesAMessageAndTheOnesAfterIt()
    {
        const qint64 id = store().createConversation().id;
        std::vector<Message> added;
        for (const char* text : {"q1", "a1", "q2", "a2", "q3"})
            added.push_back(store().appendMessage(id, added.size() % 2 ? MessageRole::Assistant : MessageRole::User,
                                                  text));
        store().deleteMessageAndAfter(added[2].id);
        QCOMPARE(contentsOf(store().messages(id)), (std::vector<QString>{"q1", "a1"}));
        QVERIFY(!store().message(added[4].id));
        // "Regenerate": the reply goes, the question stays, a new reply follows it.
        const Message again = store().appendMessage(id, MessageRole::User, "q2 edited");
        QCOMPARE(again.position, 2);
        store().deleteMessageAndAfter(added[1].id);
        QCOMPARE(contentsOf(store().messages(id)), (std::vector<QString>{"q1"}));
        EXPECT_ERROR(store().deleteMessageAndAfter(added[1].id), QString("message %1 does not exist").arg(added[1].id));
    }

    void editsAMessageAndDeletesTheOnesAfterIt()
    {
        const qint64 id = store().createConversation().id;
        std::vector<Message> added;
        for (const char* text : {"q1", "a1", "q2", "a2"})
            added.push_back(store().appendMessage(id, added.size() % 2 ? MessageRole::Assistant : MessageRole::User,
                                                  text));
        const QDateTime before = store().conversation(id)->updatedAt;
        store().editMessageAndDeleteAfter(added[2].id, "q2 edited");
        QCOMPARE(contentsOf(store().messages(id)), (std::vector<QString>{"q1", "a1", "q2 edited"}));
        QVERIFY(store().conversation(id)->updatedAt > before);
        QCOMPARE(store().conversation(id)->title, QString("q1"));
        // Editing the first user message retitles the conversation (until it is renamed).
        store().editMessageAndDeleteAfter(added[0].id, "q1 edited");
        QCOMPARE(contentsOf(store().messages(id)), (std::vector<QString>{"q1 edited"}));
        QCOMPARE(store().conversation(id)->title, QString("q1 edited"));
        QCOMPARE(store().appendMessage(id, MessageRole::Assistant, "a1 again").position, 1);
        EXPECT_ERROR(store().editMessageAndDeleteAfter(added[3].id, "x"),
                     QString("message %1 does not exist").arg(added[3].id));
        QCOMPARE(store().messages(id).size(), std::size_t(2)); // the failed call changed nothing
    }

    void deletesOneMessageAndTheRepliesToIt()
    {
        const qint64 id = store().createConversation().id;
        std::vector<Message> added;
        for (const char* text : {"q1", "a1", "q2", "a2", "q3", "a3"})
            added.push_back(store().appendMessage(id, added.size() % 2 ? MessageRole::Assistant : MessageRole::User,
                                                  text));
        // An assistant message goes alone.
        QCOMPARE(store().deleteMessage(added[3].id), (std::vector<qint64>{added[3].id}));
        QCOMPARE(contentsOf(store().messages(id)), (std::vector<QString>{"q1", "a1", "q2", "q3", "a3"}));
        // A user message takes its reply along, and stops at the next user message.
        QCOMPARE(store().deleteMessage(added[0].id), (std::vector<qint64>{added[0].id, added[1].id}));
        QCOMPARE(contentsOf(store().messages(id)), (std::vector<QString>{"q2", "q3", "a3"}));
        QCOMPARE(store().conversation(id)->title, QString("q2")); // the title follows the new first question
        // A user message with no reply goes alone; the last question takes its reply.
        QCOMPARE(store().deleteMessage(added[2].id), (std::vector<qint64>{added[2].id}));
        QCOMPARE(store().deleteMessage(added[4].id), (std::vector<qint64>{added[4].id, added[5].id}));
        QVERIFY(store().messages(id).empty());
        QCOMPARE(store().conversation(id)->title, QString());
        // An emptied conversation numbers from 0 again.
        QCOMPARE(store().appendMessage(id, MessageRole::User, "q4").position, 0);
        EXPECT_ERROR(store().deleteMessage(4242), "message 4242 does not exist");

        // Renamed conversations keep their title.
        store().renameConversation(id, "Kept");
        store().deleteMessage(store().messages(id).front().id);
        QCOMPARE(store().conversation(id)->title, QString("Kept"));
    }

    void searchesTitlesAndMessages()
    {
        const qint64 english = store().createConversation().id;
        store().appendMessage(english, MessageRole::User, "How do I bake sourdough bread?");
        store().appendMessage(english, MessageRole::Assistant, "Start with an active Starter and 100% hydration.");
        const qint64 chinese = store().createConversation().id;
        store().appendMessage(chinese, MessageRole::User, "请介绍一下北京的历史");
        store().appendMessage(chinese, MessageRole::Assistant, "北京是中国的首都，有三千多年的建城史。");
        const qint64 renamed = store().createConversation().id;
        store().appendMessage(renamed, MessageRole::User, "unrelated words");
        store().renameConversation(renamed, "Trip to 上海 planning");
        const qint64 odd = store().createConversation().id;
        store().appendMessage(odd, MessageRole::User, R"(What does "100_percent" mean in a_b? NEAR(x) AND *)");

        const auto search = [&](const QString& text) { return idsOf(store().searchConversations(text)); };
        using Ids = std::vector<qint64>;
        QCOMPARE(search("sourdough"), Ids{english});
        QCOMPARE(search("SOURDOUGH"), Ids{english});       // case-insensitive
        QCOMPARE(search("starter"), Ids{english});         // the assistant's text too
        QCOMPARE(search("bread hydration"), Ids{english}); // every term, in any message
        QVERIFY(search("bread rye").empty());
        QCOMPARE(search("北京的历史"), Ids{chinese});       // a Chinese substring (trigram index)
        QCOMPARE(search("三千多年"), Ids{chinese});
        QCOMPARE(search("首都"), Ids{chinese});            // two characters (LIKE fallback)
        QCOMPARE(search("京"), Ids{chinese});              // one character
        QCOMPARE(search("上海"), Ids{renamed});            // a title, short term
        QCOMPARE(search("planning"), Ids{renamed});        // a title, long term
        QVERIFY(search("unrelated words").size() == 1);
        QCOMPARE(search("\"100_percent\""), Ids{odd});     // quotes are text, not FTS syntax
        QCOMPARE(search("a_b"), Ids{odd});                 // LIKE's _ is not a wildcard
        QCOMPARE(search("NEAR(x)"), Ids{odd});
        QCOMPARE(search("%"), Ids{english});               // nor is %
        QVERIFY(search("a%b").empty());
        QCOMPARE(search("   ").size(), std::size_t(4));    // no terms: everything

        // The index follows edits, deletions, soft deletes and purges.
        const Message extra = store().appendMessage(english, MessageRole::User, "And focaccia?");
        QCOMPARE(search("focaccia"), Ids{english});
        store().editMessageContent(extra.id, "And ciabatta?");
        QVERIFY(search("focaccia").empty());
        QCOMPARE(search("ciabatta"), Ids{english});
        store().deleteMessageAndAfter(extra.id);
        QVERIFY(search("ciabatta").empty());
        store().renameConversation(renamed, "Holiday");
        QVERIFY(search("planning").empty());
        QCOMPARE(search("holiday"), Ids{renamed});
        store().deleteConversation(chinese);
        QVERIFY(search("北京").empty());
        store().restoreConversation(chinese);
        QCOMPARE(search("北京"), Ids{chinese});
        store().deleteConversation(chinese);
        store().purgeConversation(chinese);
        QVERIFY(search("北京").empty());

        // Results keep the listing order.
        store().appendMessage(odd, MessageRole::User, "more bread talk");
        QCOMPARE(search("bread"), (Ids{odd, english}));
        store().setPinned(english, true);
        QCOMPARE(search("bread"), (Ids{english, odd}));
    }

    void softDeletesRestoresAndPurges()
    {
        const qint64 keep = store().createConversation().id;
        const qint64 gone = store().createConversation().id;
        const Message message = store().appendMessage(gone, MessageRole::User, "to be purged");
        store().deleteConversation(gone);
        QCOMPARE(idsOf(store().listConversations()), std::vector<qint64>{keep});
        const Conversation deleted = *store().conversation(gone);
        QVERIFY(deleted.isDeleted());
        QCOMPARE(deleted.deletedAt.timeSpec(), Qt::UTC);
        QCOMPARE(store().messages(gone).size(), std::size_t(1)); // still there for undo

        store().restoreConversation(gone);
        QVERIFY(!store().conversation(gone)->isDeleted());
        QCOMPARE(idsOf(store().listConversations()), (std::vector<qint64>{gone, keep}));

        store().deleteConversation(gone);
        store().purgeConversation(gone);
        QVERIFY(!store().conversation(gone));
        QVERIFY(!store().message(message.id)); // the messages went with it
        QVERIFY(store().messages(gone).empty());
        EXPECT_ERROR(store().purgeConversation(gone), "does not exist");
        EXPECT_ERROR(store().restoreConversation(gone), "does not exist");
        EXPECT_ERROR(store().deleteConversation(gone), "does not exist");
    }

    void purgesDeletionsOlderThanTheUndoWindow()
    {
        const qint64 early = store().createConversation().id;
        const qint64 late = store().createConversation().id;
        const qint64 live = store().createConversation().id;
        store().deleteConversation(early);
        const QDateTime between = store().conversation(early)->deletedAt.addMSecs(500);
        store().deleteConversation(late);
        QCOMPARE(store().purgeDeletedBefore(between), 1);
        QVERIFY(!store().conversation(early));
        QVERIFY(store().conversation(late)->isDeleted());
        QVERIFY(store().conversation(live));
        QCOMPARE(store().purgeDeletedBefore(between), 0);
    }

    void streamsAReply()
    {
        const qint64 id = store().createConversation().id;
        store().appendMessage(id, MessageRole::User, "Count to three");
        const Message started = store().beginAssistantMessage(id);
        QCOMPARE(started.status, MessageStatus::Streaming);
        QCOMPARE(started.role, MessageRole::Assistant);
        QCOMPARE(started.position, 1);
        QCOMPARE(started.content, QString());

        store().updateStreamingMessage(started.id, "One,", "The user wants");
        store().updateStreamingMessage(started.id, "One, two,", "The user wants counting.");
        Message partial = *store().message(started.id);
        QCOMPARE(partial.content, QString("One, two,"));
        QCOMPARE(partial.reasoning, QString("The user wants counting."));
        QCOMPARE(partial.status, MessageStatus::Streaming);
        QCOMPARE(store().conversation(id)->updatedAt, partial.updatedAt);

        MessageOutcome outcome;
        outcome.content = "One, two, three.";
        outcome.reasoning = "The user wants counting. Easy.";
        outcome.reasoningTokens = 6;
        outcome.reasoningSeconds = 0.25;
        outcome.reasoningCut = true;
        outcome.tokens = 11;
        outcome.tokensPerSecond = 42.5;
        store().finishMessage(started.id, outcome);
        const Message done = *store().message(started.id);
        QCOMPARE(done.content, outcome.content);
        QCOMPARE(done.reasoning, outcome.reasoning);
        QCOMPARE(done.reasoningTokens, 6);
        QCOMPARE(done.reasoningSeconds, 0.25);
        QVERIFY(done.reasoningCut);
        QCOMPARE(done.tokens, 11);
        QCOMPARE(done.tokensPerSecond, 42.5);
        QCOMPARE(done.status, MessageStatus::Complete);
        QCOMPARE(done.error, QString());

        EXPECT_ERROR(store().updateStreamingMessage(started.id, "late", ""), "is complete, not streaming");
        EXPECT_ERROR(store().finishMessage(started.id, outcome), "is complete, not streaming");
        EXPECT_ERROR(store().updateStreamingMessage(999, "x", ""), "message 999 does not exist");

        const Message failing = store().beginAssistantMessage(id);
        MessageOutcome failure;
        failure.status = MessageStatus::Streaming;
        EXPECT_ERROR(store().finishMessage(failing.id, failure), "cannot be 'streaming'");
        failure.status = MessageStatus::Error;
        failure.content = "Partial";
        failure.error = "the GPU ran out of memory";
        store().finishMessage(failing.id, failure);
        QCOMPARE(store().message(failing.id)->status, MessageStatus::Error);
        QCOMPARE(store().message(failing.id)->error, QString("the GPU ran out of memory"));
    }

    void marksRepliesLeftStreamingAsInterrupted()
    {
        const qint64 id = store().createConversation().id;
        store().appendMessage(id, MessageRole::User, "Write a poem");
        const Message reply = store().beginAssistantMessage(id);
        store().updateStreamingMessage(reply.id, "Roses are red,", "A classic opening.");
        const Message finished = store().appendMessage(id, MessageRole::User, "a finished one");
        QCOMPARE(store().interruptedOnOpen(), 0);

        reopen(); // as after a crash: the reply was never finished
        QCOMPARE(store().interruptedOnOpen(), 1);
        const Message recovered = *store().message(reply.id);
        QCOMPARE(recovered.status, MessageStatus::Cancelled);
        QCOMPARE(recovered.content, QString("Roses are red,"));
        QCOMPARE(recovered.reasoning, QString("A classic opening."));
        QVERIFY2(recovered.error.contains("interrupted"), qPrintable(recovered.error));
        QCOMPARE(store().message(finished.id)->status, MessageStatus::Complete);
        QCOMPARE(store().messages(id).size(), std::size_t(3));

        reopen();
        QCOMPARE(store().interruptedOnOpen(), 0);
    }

    void keepsEverythingAcrossReopening()
    {
        const qint64 id = store().createConversation().id;
        store().appendMessage(id, MessageRole::User, "persist me ✓ 🙂");
        store().setPinned(id, true);
        reopen();
        QCOMPARE(store().conversation(id)->title, QString("persist me ✓ 🙂"));
        QVERIFY(store().conversation(id)->pinned);
        QCOMPARE(contentsOf(store().messages(id)), std::vector<QString>{"persist me ✓ 🙂"});
    }
};

QTEST_GUILESS_MAIN(TestConversationStore)
#include "test_conversation_store.moc"
