// DeltaBatcher: token events coalesced to at most 60 updates a second, nothing lost, counts and reasoning
// time carried, on a clock the test controls.
#include "worker/delta_batcher.h"

#include <QTest>

using namespace ponder;
using namespace ponder::app;
using namespace std::chrono_literals;

namespace {

GenerationEvent token(Channel channel, std::string text, std::int32_t id = 1)
{
    GenerationEvent e;
    e.kind = GenerationEvent::Kind::Token;
    e.channel = channel;
    e.text = std::move(text);
    e.id = id;
    return e;
}

} // namespace

class TestDeltaBatcher : public QObject {
    Q_OBJECT

private slots:
    void firstTokenGoesAtOnceThenAtMostSixtyAHertz()
    {
        std::vector<GenerationDelta> sent;
        DeltaBatcher batcher(7, 3, [&](const GenerationDelta& d) { sent.push_back(d); });
        const auto t0 = DeltaBatcher::Clock::time_point{} + 1h;
        // 1000 tokens a second for one second.
        for (int i = 0; i < 1000; ++i)
            batcher.add(token(Channel::Content, "x"), t0 + i * 1ms);
        batcher.finish(t0 + 1000ms);
        QVERIFY(sent.size() >= 55 && sent.size() <= 62);
        QCOMPARE(sent.front().content, QStringLiteral("x"));
        QString all;
        for (const auto& d : sent) {
            QCOMPARE(d.conversationId, qint64(7));
            QCOMPARE(d.requestId, quint64(3));
            all += d.content;
        }
        QCOMPARE(all, QString(1000, QLatin1Char('x')));
        QCOMPARE(sent.back().tokens, qint64(1000));
    }

    void slowTokensEachGoAlone()
    {
        std::vector<GenerationDelta> sent;
        DeltaBatcher batcher(1, 1, [&](const GenerationDelta& d) { sent.push_back(d); });
        const auto t0 = DeltaBatcher::Clock::time_point{} + 1h;
        for (int i = 0; i < 5; ++i)
            batcher.add(token(Channel::Content, std::to_string(i)), t0 + i * 50ms);
        batcher.finish(t0 + 250ms);
        QCOMPARE(sent.size(), std::size_t(5)); // nothing left for finish()
        QCOMPARE(sent[4].content, QStringLiteral("4"));
    }

    void reasoningCountsTimeAndBudget()
    {
        std::vector<GenerationDelta> sent;
        DeltaBatcher batcher(1, 1, [&](const GenerationDelta& d) { sent.push_back(d); });
        const auto t0 = DeltaBatcher::Clock::time_point{} + 1h;
        batcher.add(token(Channel::Reasoning, ""), t0);             // <think>
        batcher.add(token(Channel::Reasoning, "Let me"), t0 + 1s);
        batcher.add(token(Channel::Reasoning, " think"), t0 + 2s);
        GenerationEvent budget;
        budget.kind = GenerationEvent::Kind::BudgetReached;
        batcher.add(budget, t0 + 2s);
        batcher.add(token(Channel::Reasoning, ""), t0 + 3s);        // </think>
        batcher.add(token(Channel::Content, "Hi", 5), t0 + 4s);
        batcher.add(token(Channel::Content, "!", -1), t0 + 5s); // text a channel held back: no id, no token
        batcher.finish(t0 + 5s);
        QString reasoning, content;
        for (const auto& d : sent) {
            reasoning += d.reasoning;
            content += d.content;
        }
        QCOMPARE(reasoning, QStringLiteral("Let me think"));
        QCOMPARE(content, QStringLiteral("Hi!"));
        QCOMPARE(sent.back().reasoningTokens, qint64(4));
        QCOMPARE(sent.back().tokens, qint64(5));
        QCOMPARE(sent.back().reasoningSeconds, 3.0);
        QVERIFY(sent.back().budgetReached);
        QCOMPARE(batcher.reasoningSeconds(), 3.0);
    }

    void finishWithNothingPendingSendsNothing()
    {
        int calls = 0;
        DeltaBatcher batcher(1, 1, [&](const GenerationDelta&) { ++calls; });
        batcher.finish();
        QCOMPARE(calls, 0);
    }
};

QTEST_GUILESS_MAIN(TestDeltaBatcher)
#include "test_delta_batcher.moc"
