// Context trimming: which messages form a turn, and fitPrompt dropping the fewest oldest turns that make the
// prompt fit, keeping the system message and the last turn. The "encoder" here gives one id per byte of the
// rendered prompt, so the expected sizes are plain string lengths of formatChat output.
#include "core/error.h"
#include "generation/context_trimmer.h"

#include <QTest>

using namespace ponder;

namespace {

ChatMessage message(std::string role, std::string content)
{
    ChatMessage m;
    m.role = std::move(role);
    m.content = std::move(content);
    return m;
}

std::vector<std::int32_t> byteIds(const ChatRequest& request)
{
    return std::vector<std::int32_t>(formatChat(request).size(), 0);
}

std::int64_t length(const ChatRequest& request) { return static_cast<std::int64_t>(formatChat(request).size()); }

ChatRequest conversation()
{
    ChatRequest r;
    r.messages = {message("system", "Be brief."),
                  message("user", "first question"),   message("assistant", "first answer"),
                  message("user", "second question"),  message("assistant", "second answer"),
                  message("user", "third question"),   message("assistant", "third answer"),
                  message("user", "last question")};
    return r;
}

std::vector<std::string> contents(const ChatRequest& r)
{
    std::vector<std::string> out;
    for (const auto& m : r.messages)
        out.push_back(m.content);
    return out;
}

} // namespace

class TestContextTrimmer : public QObject {
    Q_OBJECT

private slots:
    void turnsOfAConversation()
    {
        QCOMPARE(turnStarts(conversation().messages), (std::vector<std::size_t>{1, 3, 5, 7}));
        // No system message: the first turn starts at 0.
        auto noSystem = conversation().messages;
        noSystem.erase(noSystem.begin());
        QCOMPARE(turnStarts(noSystem), (std::vector<std::size_t>{0, 2, 4, 6}));
        // Tool results (as tool messages or pasted into a user message) belong to the turn that called them;
        // a leading assistant message forms a turn of its own.
        const std::vector<ChatMessage> tools{
            message("system", "s"), message("assistant", "hello"),
            message("user", "q1"), message("assistant", ""), message("tool", "r"),
            message("user", "<tool_response>\nx\n</tool_response>"), message("assistant", "a1"),
            message("user", "q2")};
        QCOMPARE(turnStarts(tools), (std::vector<std::size_t>{1, 2, 7}));
        QVERIFY(turnStarts({message("system", "s")}).empty());
    }

    void fitsWithoutDropping()
    {
        const ChatRequest r = conversation();
        const FittedPrompt fitted = fitPrompt(r, byteIds, length(r));
        QVERIFY(fitted.fits);
        QCOMPARE(fitted.droppedMessages, std::int64_t(0));
        QCOMPARE(static_cast<std::int64_t>(fitted.ids.size()), length(r));
    }

    void dropsFewestOldestTurns()
    {
        const ChatRequest r = conversation();
        for (std::size_t turns = 1; turns <= 3; ++turns) {
            const ChatRequest expected = dropOldestTurns(r, turns);
            // One byte short of the previous size: exactly `turns` must go.
            const FittedPrompt fitted = fitPrompt(r, byteIds, length(expected));
            QVERIFY(fitted.fits);
            QCOMPARE(fitted.droppedMessages, static_cast<std::int64_t>(2 * turns));
            QCOMPARE(static_cast<std::int64_t>(fitted.ids.size()), length(expected));
            QVERIFY(length(dropOldestTurns(r, turns - 1)) > length(expected));
        }
        QCOMPARE(contents(dropOldestTurns(r, 2)),
                 (std::vector<std::string>{"Be brief.", "third question", "third answer", "last question"}));
        // Never more than the droppable turns: the system message and the last turn stay.
        QCOMPARE(contents(dropOldestTurns(r, 10)), (std::vector<std::string>{"Be brief.", "last question"}));
    }

    void lastTurnAloneTooLong()
    {
        const ChatRequest r = conversation();
        const std::int64_t minimum = length(dropOldestTurns(r, 3));
        const FittedPrompt fitted = fitPrompt(r, byteIds, minimum - 1);
        QVERIFY(!fitted.fits);
        QCOMPARE(static_cast<std::int64_t>(fitted.ids.size()), minimum); // the shortest prompt there is
        QCOMPARE(fitted.droppedMessages, std::int64_t(6));

        ChatRequest single;
        single.messages = {message("user", "only")};
        QVERIFY(!fitPrompt(single, byteIds, 3).fits);
    }

    void toolLoopKeptWhole()
    {
        ChatRequest r;
        r.messages = {message("user", "old"), message("assistant", "old answer"),
                      message("user", "use the tool"), message("assistant", "calling"), message("tool", "42")};
        const FittedPrompt fitted = fitPrompt(r, byteIds, length(r) - 1);
        QVERIFY(fitted.fits);
        QCOMPARE(fitted.droppedMessages, std::int64_t(2));
        QCOMPARE(contents(dropOldestTurns(r, 1)), (std::vector<std::string>{"use the tool", "calling", "42"}));
    }
};

QTEST_GUILESS_MAIN(TestContextTrimmer)
#include "test_context_trimmer.moc"
