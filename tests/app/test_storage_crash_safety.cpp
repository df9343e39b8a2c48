// Crash safety of streamed replies: this binary, run with --stream-child <db>, opens a store, creates a
// conversation and a streaming reply, and updates the reply in a tight loop, printing "committed <n>" (and
// flushing) after each update's commit returns. The test runs that child, kills it with SIGKILL mid-stream
// (likely inside a transaction, since the loop does little else), reopens the database and checks that it
// opens, the conversation is intact, the reply holds at least the text of the last update the child reported,
// and it is now Cancelled. Repeated a few times, each kill at a different point.
#include "storage/conversation_store.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <exception>

using namespace ponder::storage;

namespace {

const QString userText = QStringLiteral("Tell me a long story about 北京.");

// The reply's text after update n (deterministic, so the parent knows what each report means).
QString textAfterUpdate(int n)
{
    QString text;
    for (int i = 0; i <= n; ++i)
        text += QStringLiteral("word %1 词 ").arg(i);
    return text;
}

QString reasoningAfterUpdate(int n) { return QStringLiteral("thinking through step %1").arg(n); }

int runStreamingChild(const QString& path)
try {
    ConversationStore store(path);
    const qint64 conversation = store.createConversation().id;
    store.appendMessage(conversation, MessageRole::User, userText);
    const Message reply = store.beginAssistantMessage(conversation);
    std::printf("started %lld %lld\n", static_cast<long long>(conversation), static_cast<long long>(reply.id));
    std::fflush(stdout);
    for (int n = 0;; ++n) {
        store.updateStreamingMessage(reply.id, textAfterUpdate(n), reasoningAfterUpdate(n));
        std::printf("committed %d\n", n);
        std::fflush(stdout);
    }
} catch (const std::exception& error) {
    std::fprintf(stderr, "stream child: %s\n", error.what());
    return 1;
}

} // namespace

class TestStorageCrashSafety : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void killedWhileStreamingLosesNoCommittedText_data()
    {
        QTest::addColumn<int>("updatesBeforeKill");
        QTest::newRow("after 1 update") << 1;
        QTest::newRow("after 25 updates") << 25;
        QTest::newRow("after 120 updates") << 120;
    }

    void killedWhileStreamingLosesNoCommittedText()
    {
        QFETCH(int, updatesBeforeKill);
        const QString path = dir_.filePath(QStringLiteral("crash-%1.db").arg(updatesBeforeKill));

        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), {"--stream-child", path});
        QVERIFY2(child.waitForStarted(30000), qPrintable(child.errorString()));

        qint64 conversationId = 0;
        qint64 replyId = 0;
        int lastCommitted = -1;
        QByteArray pending;
        // Reads the child's reports line by line, up to the one that says `until` updates were committed.
        const auto readReports = [&](bool untilEnd) {
            for (;;) {
                int newline;
                while ((newline = pending.indexOf('\n')) >= 0) {
                    const QList<QByteArray> words = pending.left(newline).split(' ');
                    pending.remove(0, newline + 1);
                    if (words.value(0) == "started" && words.size() == 3) {
                        conversationId = words[1].toLongLong();
                        replyId = words[2].toLongLong();
                    } else if (words.value(0) == "committed" && words.size() == 2) {
                        lastCommitted = words[1].toInt();
                    }
                    if (!untilEnd && lastCommitted + 1 >= updatesBeforeKill)
                        return true;
                }
                if (untilEnd && child.state() == QProcess::NotRunning) {
                    pending += child.readAllStandardOutput();
                    if (pending.indexOf('\n') < 0)
                        return true; // a last line cut short by the kill is not a report
                    continue;
                }
                if (!child.waitForReadyRead(30000) && child.state() != QProcess::NotRunning)
                    return false;
                pending += child.readAllStandardOutput();
                if (!untilEnd && child.state() == QProcess::NotRunning && pending.indexOf('\n') < 0)
                    return false;
            }
        };
        QVERIFY2(readReports(false), "the child stopped reporting before the kill");
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        // Reports written between the read and the kill are commits too: the check uses the very last one.
        readReports(true);
        QVERIFY(conversationId > 0 && replyId > 0);
        QVERIFY(lastCommitted + 1 >= updatesBeforeKill);

        ConversationStore store(path);
        QCOMPARE(store.interruptedOnOpen(), 1);
        const auto conversation = store.conversation(conversationId);
        QVERIFY(conversation);
        QCOMPARE(conversation->title, userText);
        const std::vector<Message> messages = store.messages(conversationId);
        QCOMPARE(messages.size(), std::size_t(2));
        QCOMPARE(messages[0].content, userText);
        const Message& reply = messages[1];
        QCOMPARE(reply.id, replyId);
        QCOMPARE(reply.status, MessageStatus::Cancelled);
        // At least the last reported update; perhaps one more, committed after the child's last report.
        const bool lastReported = reply.content == textAfterUpdate(lastCommitted);
        const bool oneMore = reply.content == textAfterUpdate(lastCommitted + 1);
        QVERIFY2(lastReported || oneMore,
                 qPrintable(QStringLiteral("last reported update %1, reply holds %2 characters")
                                .arg(lastCommitted)
                                .arg(reply.content.size())));
        QCOMPARE(reply.reasoning, reasoningAfterUpdate(lastReported ? lastCommitted : lastCommitted + 1));
        qInfo("killed after %d reported updates; the reply holds update %d", lastCommitted + 1,
              lastReported ? lastCommitted : lastCommitted + 1);
    }
};

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && QByteArray(argv[1]) == "--stream-child")
        return runStreamingChild(QString::fromLocal8Bit(argv[2]));
    TestStorageCrashSafety test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_storage_crash_safety.moc"
