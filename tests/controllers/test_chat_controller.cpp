// ChatController end to end below the QML: a real store on a scratch database, the real engine worker on
// the CPU backend, and the scripted model (a fixed reasoning and answer) or a random one (endless answers).
// Checks the transcript model and the database rows after a turn, thinking off and the soft switches,
// stopping, a reply that keeps streaming into its own conversation while another one is open, and the
// per-conversation settings (system prompt, sampling overrides that win per field over the mode's preset), and
// the per-message actions: regenerate, edit and resend, delete, retry after a real failure (a prompt too long
// for the context), and their refusal while a reply streams. The model's rows always match the store's.
#include "controllers/chat_controller.h"
#include "core/error.h"
#include "../worker/engine_test_util.h"
#include "generation/generation_policy.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ponder;
using namespace ponder::controllers;

#define EXPECT_ERROR(statement, fragment)                                                                    \
    do {                                                                                                     \
        try {                                                                                                \
            statement;                                                                                       \
            QFAIL("no error from " #statement);                                                              \
        } catch (const ponder::Error& error) {                                                               \
            QVERIFY2(QString(error.what()).contains(fragment), error.what());                                \
        }                                                                                                    \
    } while (false)

class TestChatController : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string scripted_, random_;
    const SynthScript script_;
    int databases_ = 0;

    // A store, an engine with `model` loaded, and a controller over them.
    struct Fixture {
        std::unique_ptr<storage::ConversationStore> store;
        std::unique_ptr<app::Engine> engine;
        std::unique_ptr<ChatController> chat;
        std::unique_ptr<QAbstractItemModelTester> tester;
        app::ModelSummary summary;
    };
    Fixture fixture(const std::string& model)
    {
        Fixture f;
        f.store = std::make_unique<storage::ConversationStore>(dir_.filePath(QStringLiteral("chats-%1.db").arg(++databases_)));
        f.engine = std::make_unique<app::Engine>();
        f.summary = test::loadOnCpu(*f.engine, model);
        f.chat = std::make_unique<ChatController>(*f.store, *f.engine);
        f.chat->setModel(f.summary);
        f.chat->setContextLength(1024);
        f.tester = std::make_unique<QAbstractItemModelTester>(f.chat->messages(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        return f;
    }

    static void waitIdle(ChatController& chat)
    {
        QTRY_VERIFY_WITH_TIMEOUT(!chat.generating(), 60000);
    }

    // The transcript shows exactly the stored messages, in order, with the same text and status.
    static void expectModelMatchesStore(Fixture& f)
    {
        const auto rows = f.store->messages(f.chat->conversationId());
        QCOMPARE(f.chat->messages()->rowCount(), int(rows.size()));
        for (int r = 0; r < int(rows.size()); ++r) {
            const storage::Message* shown = f.chat->messages()->at(r);
            QCOMPARE(shown->id, rows[std::size_t(r)].id);
            QCOMPARE(shown->content, rows[std::size_t(r)].content);
            QCOMPARE(shown->status, rows[std::size_t(r)].status);
        }
    }

    // Two finished turns: "First question", its reply, "Second question", its reply.
    void twoTurns(Fixture& f)
    {
        QVERIFY(f.chat->send(QStringLiteral("First question")));
        waitIdle(*f.chat);
        QVERIFY(f.chat->send(QStringLiteral("Second question")));
        waitIdle(*f.chat);
        QCOMPARE(f.chat->messages()->rowCount(), 4);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        scripted_ = test::writeTestModel(dir_, kScriptedPreset, "scripted.gguf");
        random_ = test::writeTestModel(dir_, "tiny-dense", "random.gguf");
    }

    void aTurnFillsTheTranscriptAndTheDatabase()
    {
        Fixture f = fixture(scripted_);
        QSignalSpy conversations(f.chat.get(), &ChatController::conversationsChanged);
        QCOMPARE(f.chat->conversationId(), qint64(0));
        QVERIFY(f.chat->send(QStringLiteral("Hello there!")));
        QVERIFY(f.chat->conversationId() != 0);
        QVERIFY(f.chat->generating());
        QCOMPARE(f.chat->messages()->rowCount(), 2);
        waitIdle(*f.chat);

        const storage::Message* reply = f.chat->messages()->at(1);
        QCOMPARE(reply->role, storage::MessageRole::Assistant);
        QCOMPARE(reply->status, storage::MessageStatus::Complete);
        QCOMPARE(reply->content, QString::fromStdString(script_.answer));
        QCOMPARE(reply->reasoning, QString::fromStdString(script_.reasoning));
        QVERIFY(reply->reasoningTokens > 0);
        QVERIFY(reply->tokens > reply->reasoningTokens);

        const auto rows = f.store->messages(f.chat->conversationId());
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0].content, QStringLiteral("Hello there!"));
        QCOMPARE(rows[1].content, QString::fromStdString(script_.answer));
        QCOMPARE(rows[1].reasoning, QString::fromStdString(script_.reasoning));
        QCOMPARE(rows[1].status, storage::MessageStatus::Complete);
        QCOMPARE(f.store->conversation(f.chat->conversationId())->title, QStringLiteral("Hello there!"));
        QVERIFY(conversations.count() >= 2);

        // A second turn in the same conversation.
        QVERIFY(f.chat->send(QStringLiteral("Once more")));
        waitIdle(*f.chat);
        QCOMPARE(f.store->messages(f.chat->conversationId()).size(), std::size_t(4));
    }

    void thinkingOffAndTheSoftSwitches()
    {
        Fixture f = fixture(scripted_);
        f.chat->setThinking(false);
        QVERIFY(f.chat->send(QStringLiteral("Hi")));
        waitIdle(*f.chat);
        QCOMPARE(f.chat->messages()->at(1)->reasoning, QString());
        QCOMPARE(f.chat->messages()->at(1)->content, QString::fromStdString(script_.answer));
        QVERIFY(!f.store->conversation(f.chat->conversationId())->thinking);

        QSignalSpy settings(f.chat.get(), &ChatController::settingsChanged);
        QVERIFY(f.chat->send(QStringLiteral("Think about it /think")));
        QVERIFY(f.chat->thinking()); // the controls show the switch
        QCOMPARE(settings.count(), 1);
        waitIdle(*f.chat);
        QCOMPARE(f.chat->messages()->at(3)->reasoning, QString::fromStdString(script_.reasoning));
        QVERIFY(f.store->conversation(f.chat->conversationId())->thinking);
    }

    void stopKeepsWhatStreamed()
    {
        Fixture f = fixture(random_);
        QVERIFY(f.chat->send(QStringLiteral("Talk for a long time")));
        QTRY_VERIFY_WITH_TIMEOUT(f.chat->messages()->at(1)->tokens > 3, 30000);
        f.chat->stop();
        waitIdle(*f.chat);
        const auto rows = f.store->messages(f.chat->conversationId());
        QCOMPARE(rows[1].status, storage::MessageStatus::Cancelled);
        QVERIFY(!(rows[1].content + rows[1].reasoning).isEmpty());
    }

    void aReplyKeepsStreamingIntoItsOwnConversation()
    {
        Fixture f = fixture(random_);
        QVERIFY(f.chat->send(QStringLiteral("First conversation")));
        const qint64 first = f.chat->conversationId();
        QTRY_VERIFY_WITH_TIMEOUT(f.chat->messages()->at(1)->tokens > 0, 30000);

        f.chat->newConversation();
        QCOMPARE(f.chat->messages()->rowCount(), 0);
        QVERIFY(!f.chat->generating());
        // While the other reply streams, this conversation stays empty and a send waits for nothing.
        QTest::qWait(600);
        QCOMPARE(f.chat->messages()->rowCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!f.store->messages(first).at(1).content.isEmpty() ||
                                     !f.store->messages(first).at(1).reasoning.isEmpty(),
                                 10000); // saved every half second

        f.chat->openConversation(first);
        QVERIFY(f.chat->generating());
        QCOMPARE(f.chat->messages()->rowCount(), 2);
        const int tokensBefore = f.chat->messages()->at(1)->tokens;
        QTRY_VERIFY_WITH_TIMEOUT(f.chat->messages()->at(1)->tokens > tokensBefore, 30000); // live again
        f.chat->stop();
        waitIdle(*f.chat);
        QCOMPARE(f.store->messages(first).at(1).status, storage::MessageStatus::Cancelled);
    }

    void samplingOverridesWinPerFieldAndTheRestFollowTheMode()
    {
        Fixture f = fixture(scripted_);
        const GenerationDefaults defaults = f.summary.generationDefaults;
        const SamplingParams thinking = recommendedSampling(true, defaults);
        const SamplingParams quiet = recommendedSampling(false, defaults);
        QVERIFY(thinking.topP != quiet.topP); // Qwen3: 0.95 thinking, 0.8 without

        // Nothing overridden: the engine resolves the mode's preset, which the dialog shows.
        QVERIFY(f.chat->thinking());
        QVERIFY(!f.chat->generationSettings().sampling);
        QCOMPARE(f.chat->recommendedSampling().value("topP").toDouble(), thinking.topP);
        f.chat->setThinking(false);
        QVERIFY(!f.chat->generationSettings().sampling);
        QCOMPARE(f.chat->recommendedSampling().value("topP").toDouble(), quiet.topP);
        QCOMPARE(f.chat->recommendedSampling().value("temperature").toDouble(), quiet.temperature);

        // The temperature overridden: it wins in both modes; top-p and the rest follow the mode.
        QVERIFY(f.chat->setSamplingOverride(QStringLiteral("temperature"), 0.3));
        GenerationSettings settings = f.chat->generationSettings();
        QVERIFY(settings.sampling);
        QCOMPARE(settings.sampling->temperature, 0.3);
        QCOMPARE(settings.sampling->topP, quiet.topP);
        QCOMPARE(settings.sampling->topK, quiet.topK);
        f.chat->setThinking(true);
        settings = f.chat->generationSettings();
        QCOMPARE(settings.sampling->temperature, 0.3);
        QCOMPARE(settings.sampling->topP, thinking.topP);
        QCOMPARE(settings.sampling->minP, thinking.minP);
        // A zero budget renders the non-thinking prompt, so the non-thinking preset applies.
        f.chat->setThinkingBudget(0);
        QCOMPARE(f.chat->generationSettings().sampling->topP, quiet.topP);
        f.chat->setThinkingBudget(-1);

        // Out of range: refused with the reason, the override kept.
        QSignalSpy errors(f.chat.get(), &ChatController::errorOccurred);
        QVERIFY(!f.chat->setSamplingOverride(QStringLiteral("topP"), 0));
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.first().first().toString().contains("topP"), qPrintable(errors.first().first().toString()));
        QVERIFY(!f.chat->setSamplingOverride(QStringLiteral("warmth"), 1));
        QCOMPARE(f.chat->samplingOverrides(), (QVariantMap{{"temperature", 0.3}}));

        // The first send creates the conversation with the pending settings; the turn runs with them.
        f.chat->setSystemPrompt(QStringLiteral("Answer briefly."));
        QVERIFY(f.chat->setSamplingOverride(QStringLiteral("topK"), 5));
        QVERIFY(f.chat->send(QStringLiteral("Hello")));
        waitIdle(*f.chat);
        const qint64 id = f.chat->conversationId();
        auto stored = f.store->conversation(id);
        QCOMPARE(stored->systemPrompt, QStringLiteral("Answer briefly."));
        QCOMPARE(SamplingOverrides::fromJson(stored->samplingJson).value("temperature"), std::optional<double>(0.3));
        QCOMPARE(SamplingOverrides::fromJson(stored->samplingJson).value("topK"), std::optional<double>(5));
        QCOMPARE(f.chat->messages()->at(1)->content, QString::fromStdString(script_.answer));

        // Changes to an existing conversation are stored at once; a new conversation starts clean, and
        // opening the old one brings its settings back.
        f.chat->resetSampling();
        QVERIFY(f.store->conversation(id)->samplingJson.isEmpty());
        QVERIFY(!f.chat->generationSettings().sampling);
        QVERIFY(f.chat->setSamplingOverride(QStringLiteral("presencePenalty"), 1.5));
        f.chat->newConversation();
        QVERIFY(f.chat->systemPrompt().isEmpty());
        QVERIFY(f.chat->samplingOverrides().isEmpty());
        f.chat->openConversation(id);
        QCOMPARE(f.chat->systemPrompt(), QStringLiteral("Answer briefly."));
        QCOMPARE(f.chat->generationSettings().sampling->presencePenalty, 1.5);
        f.chat->clearSamplingOverride(QStringLiteral("presencePenalty"));
        QVERIFY(f.store->conversation(id)->samplingJson.isEmpty());
    }

    void samplingOverridesJson()
    {
        SamplingOverrides o = SamplingOverrides::fromJson(R"({"temperature": 0.2, "topK": 40})");
        QCOMPARE(o.value("temperature"), std::optional<double>(0.2));
        QCOMPARE(o.applyTo(recommendedSampling(true, {})).topK, std::int64_t(40));
        QCOMPARE(SamplingOverrides::fromJson(o.toJson()).toJson(), o.toJson());
        QVERIFY(SamplingOverrides::fromJson("").empty());
        EXPECT_ERROR(SamplingOverrides::fromJson("[1]"), "must be a JSON object");
        EXPECT_ERROR(SamplingOverrides::fromJson(R"({"temperature": "hot"})"), "\"temperature\" must be a number");
        EXPECT_ERROR(SamplingOverrides::fromJson(R"({"warmth": 1})"), "unknown field \"warmth\"");
        EXPECT_ERROR(SamplingOverrides::fromJson(R"({"minP": 2})"), "minP is 2");
    }

    void regenerateReplacesTheReplyAndWhatFollows()
    {
        Fixture f = fixture(scripted_);
        twoTurns(f);
        if (QTest::currentTestFailed())
            return;
        const qint64 secondQuestion = f.chat->messages()->at(2)->id;
        QSignalSpy resets(f.chat->messages(), &QAbstractItemModel::modelReset);
        QSignalSpy removed(f.chat->messages(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(f.chat->messages(), &QAbstractItemModel::rowsInserted);
        QSignalSpy conversations(f.chat.get(), &ChatController::conversationsChanged);
        QSignalSpy errors(f.chat.get(), &ChatController::errorOccurred);

        QVERIFY(f.chat->regenerate(1));
        QVERIFY(f.chat->generating());
        QCOMPARE(removed.count(), 1); // rows 1..3 in one removal, then the new reply appended
        QCOMPARE(removed.at(0).at(1).toInt(), 1);
        QCOMPARE(removed.at(0).at(2).toInt(), 3);
        QCOMPARE(f.chat->messages()->rowCount(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(f.chat->messages()->at(1)->status, storage::MessageStatus::Streaming);
        QCOMPARE(f.chat->messages()->at(1)->content, QString());
        expectModelMatchesStore(f);
        waitIdle(*f.chat);

        const storage::Message* reply = f.chat->messages()->at(1);
        QCOMPARE(reply->status, storage::MessageStatus::Complete);
        QCOMPARE(reply->content, QString::fromStdString(script_.answer));
        QVERIFY(!f.store->message(secondQuestion)); // (SQLite may give the new reply a deleted one's id)
        expectModelMatchesStore(f);
        QCOMPARE(resets.count(), 0);
        QVERIFY(conversations.count() >= 1);
        QCOMPARE(errors.count(), 0);
        QCOMPARE(f.store->conversation(f.chat->conversationId())->title, QStringLiteral("First question"));

        // Only replies regenerate; rows that do not exist are refused.
        QVERIFY(!f.chat->regenerate(0));
        QVERIFY(!f.chat->regenerate(7));
        QCOMPARE(errors.count(), 2);
        expectModelMatchesStore(f);
    }

    void editAndResendReplacesTheQuestion()
    {
        Fixture f = fixture(scripted_);
        twoTurns(f);
        if (QTest::currentTestFailed())
            return;
        const qint64 question = f.chat->messages()->at(0)->id;
        QSignalSpy resets(f.chat->messages(), &QAbstractItemModel::modelReset);
        QSignalSpy errors(f.chat.get(), &ChatController::errorOccurred);

        QVERIFY(f.chat->editAndResend(0, QStringLiteral("  A better first question  ")));
        QVERIFY(f.chat->generating());
        QCOMPARE(f.chat->messages()->rowCount(), 2);
        QCOMPARE(f.chat->messages()->at(0)->id, question); // edited in place
        QCOMPARE(f.chat->messages()->at(0)->content, QStringLiteral("A better first question"));
        expectModelMatchesStore(f);
        // The title follows the first user message.
        QCOMPARE(f.store->conversation(f.chat->conversationId())->title, QStringLiteral("A better first question"));
        waitIdle(*f.chat);
        QCOMPARE(f.chat->messages()->at(1)->status, storage::MessageStatus::Complete);
        QCOMPARE(f.chat->messages()->at(1)->content, QString::fromStdString(script_.answer));
        expectModelMatchesStore(f);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(errors.count(), 0);

        // Editing the last question keeps the turns before it; a renamed conversation keeps its title.
        QVERIFY(f.chat->send(QStringLiteral("Follow-up")));
        waitIdle(*f.chat);
        f.store->renameConversation(f.chat->conversationId(), QStringLiteral("Mine"));
        QVERIFY(f.chat->editAndResend(2, QStringLiteral("Follow-up, reworded")));
        waitIdle(*f.chat);
        QCOMPARE(f.chat->messages()->rowCount(), 4);
        QCOMPARE(f.chat->messages()->at(2)->content, QStringLiteral("Follow-up, reworded"));
        QCOMPARE(f.store->conversation(f.chat->conversationId())->title, QStringLiteral("Mine"));
        expectModelMatchesStore(f);

        // Replies are not edited, and a blank edit is refused: nothing changes.
        QVERIFY(!f.chat->editAndResend(1, QStringLiteral("Words in its mouth")));
        QVERIFY(!f.chat->editAndResend(0, QStringLiteral("   ")));
        QCOMPARE(errors.count(), 2);
        QCOMPARE(f.chat->messages()->at(0)->content, QStringLiteral("A better first question"));
        expectModelMatchesStore(f);
    }

    void deleteTakesTheRepliesAlong()
    {
        Fixture f = fixture(scripted_);
        twoTurns(f);
        if (QTest::currentTestFailed())
            return;
        QSignalSpy resets(f.chat->messages(), &QAbstractItemModel::modelReset);
        QSignalSpy conversations(f.chat.get(), &ChatController::conversationsChanged);

        // A reply goes alone.
        QVERIFY(f.chat->deleteMessage(3));
        QCOMPARE(f.chat->messages()->rowCount(), 3);
        QCOMPARE(f.chat->messages()->at(2)->content, QStringLiteral("Second question"));
        expectModelMatchesStore(f);
        // A question takes its reply along: the second question is now the first, and the title follows.
        QVERIFY(f.chat->deleteMessage(0));
        QCOMPARE(f.chat->messages()->rowCount(), 1);
        QCOMPARE(f.chat->messages()->at(0)->content, QStringLiteral("Second question"));
        expectModelMatchesStore(f);
        QCOMPARE(f.store->conversation(f.chat->conversationId())->title, QStringLiteral("Second question"));
        QCOMPARE(conversations.count(), 2);
        QCOMPARE(resets.count(), 0);

        // The question left without a reply gets one by edit and resend, and the conversation goes on.
        QVERIFY(f.chat->editAndResend(0, QStringLiteral("Second question")));
        waitIdle(*f.chat);
        QCOMPARE(f.chat->messages()->rowCount(), 2);
        QCOMPARE(f.chat->messages()->at(1)->content, QString::fromStdString(script_.answer));
        expectModelMatchesStore(f);
        QVERIFY(!f.chat->deleteMessage(2));
    }

    void actionsWaitForAStreamingReply()
    {
        Fixture f = fixture(random_);
        QVERIFY(f.chat->send(QStringLiteral("Talk for a long time")));
        QTRY_VERIFY_WITH_TIMEOUT(f.chat->messages()->at(1)->tokens > 0, 30000);
        QSignalSpy errors(f.chat.get(), &ChatController::errorOccurred);
        QVERIFY(!f.chat->regenerate(1));
        QVERIFY(!f.chat->editAndResend(0, QStringLiteral("Something else")));
        QVERIFY(!f.chat->deleteMessage(0));
        QCOMPARE(errors.count(), 3);
        QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("Wait for the answer")));
        QCOMPARE(f.chat->messages()->rowCount(), 2);
        f.chat->stop();
        waitIdle(*f.chat);
        expectModelMatchesStore(f);

        // A stopped reply can be regenerated.
        QCOMPARE(f.chat->messages()->at(1)->status, storage::MessageStatus::Cancelled);
        QVERIFY(f.chat->regenerate(1));
        QCOMPARE(f.chat->messages()->at(1)->status, storage::MessageStatus::Streaming);
        QCOMPARE(f.chat->messages()->at(1)->tokens, 0);
        QTRY_VERIFY_WITH_TIMEOUT(f.chat->messages()->at(1)->tokens > 0, 30000);
        f.chat->stop();
        waitIdle(*f.chat);
        expectModelMatchesStore(f);
    }

    void retryAfterAnError()
    {
        Fixture f = fixture(scripted_);
        // 256 positions keep 64 free for the answer: a question of 300 words does not fit, a real failure.
        f.chat->setContextLength(256);
        QSignalSpy errors(f.chat.get(), &ChatController::errorOccurred);
        QVERIFY(f.chat->send(QStringLiteral("word ").repeated(300)));
        waitIdle(*f.chat);
        const storage::Message* failed = f.chat->messages()->at(1);
        QCOMPARE(failed->status, storage::MessageStatus::Error);
        QVERIFY2(failed->error.contains(QStringLiteral("does not fit in the context")), qPrintable(failed->error));
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).toString(), failed->error);
        expectModelMatchesStore(f);
        QCOMPARE(f.store->message(failed->id)->error, failed->error);

        // Retry with room: the failed reply is replaced by a complete one.
        f.chat->setContextLength(1024);
        QVERIFY(f.chat->regenerate(1));
        QCOMPARE(f.chat->messages()->at(1)->status, storage::MessageStatus::Streaming);
        waitIdle(*f.chat);
        QCOMPARE(f.chat->messages()->rowCount(), 2);
        const storage::Message* retried = f.chat->messages()->at(1);
        QCOMPARE(retried->status, storage::MessageStatus::Complete);
        QCOMPARE(retried->content, QString::fromStdString(script_.answer));
        QCOMPARE(retried->error, QString());
        QCOMPARE(errors.count(), 1);
        expectModelMatchesStore(f);
    }

    void noModelNoSend()
    {
        storage::ConversationStore store(dir_.filePath(QStringLiteral("nomodel.db")));
        app::Engine engine;
        ChatController chat(store, engine);
        QSignalSpy errors(&chat, &ChatController::errorOccurred);
        QVERIFY(!chat.send(QStringLiteral("Hello")));
        QCOMPARE(errors.count(), 1);
        QVERIFY(store.listConversations().empty());
        QVERIFY(!chat.send(QStringLiteral("   ")));
    }
};

QTEST_GUILESS_MAIN(TestChatController)
#include "test_chat_controller.moc"
