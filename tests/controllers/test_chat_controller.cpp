// ChatController end to end below the QML: a real store on a scratch database, the real engine worker on
// the CPU backend, and the scripted model (a fixed reasoning and answer) or a random one (endless answers).
// Checks the transcript model and the database rows after a turn, thinking off and the soft switches,
// stopping, and a reply that keeps streaming into its own conversation while another one is open.
#include "controllers/chat_controller.h"
#include "../worker/engine_test_util.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ponder;
using namespace ponder::controllers;

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
    };
    Fixture fixture(const std::string& model)
    {
        Fixture f;
        f.store = std::make_unique<storage::ConversationStore>(dir_.filePath(QStringLiteral("chats-%1.db").arg(++databases_)));
        f.engine = std::make_unique<app::Engine>();
        const app::ModelSummary summary = test::loadOnCpu(*f.engine, model);
        f.chat = std::make_unique<ChatController>(*f.store, *f.engine);
        f.chat->setModel(summary);
        f.chat->setContextLength(1024);
        f.tester = std::make_unique<QAbstractItemModelTester>(f.chat->messages(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        return f;
    }

    static void waitIdle(ChatController& chat)
    {
        QTRY_VERIFY_WITH_TIMEOUT(!chat.generating(), 60000);
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
