// How a prompt is fed must not change what the model computes: all at once, token by token through the KV
// cache, in prefill chunks of 3, or in several run() calls of uneven length give the same logits at every
// position; AllRows returns exactly the rows that per-step LastRow calls return. Bad input is rejected.
#include "core/error.h"
#include "forward_harness.h"

#include <QTest>

using namespace ponder;
using namespace ponder::test;

namespace {

// The schedule is the same per row whichever way rows are grouped; what differs is only the grouping of
// fp32 sums inside the backend, far below this.
constexpr double kBound = 1e-5;

QString describe(const char* what, std::size_t position, double error)
{
    return QString("%1, position %2: relative error %3").arg(what).arg(position).arg(error);
}

} // namespace

class TestForwardIncremental : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void everyWayOfFeedingAgrees_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::newRow("tiny-dense") << "tiny-dense";
        QTest::newRow("tiny-dense-untied") << "tiny-dense-untied";
        QTest::newRow("tiny-moe") << "tiny-moe";
    }

    void everyWayOfFeedingAgrees()
    {
        QFETCH(QString, preset);
        const auto ids = promptIds(20);
        LoadedModel model = loadModel(writeModel(dir_, preset.toStdString(), SynthFormat::Gguf));
        const auto whole = allLogits(*model.forward, ids);

        // Token by token: one LastRow run per position, the cache carrying the past.
        auto cache = model.forward->createKvCache(static_cast<std::int64_t>(ids.size()));
        for (std::size_t p = 0; p < ids.size(); ++p) {
            const auto step = model.forward->run(std::span(ids).subspan(p, 1), static_cast<std::int64_t>(p), *cache);
            const double error = relativeError(step, whole[p]);
            QVERIFY2(error <= kBound, qPrintable(describe("token by token vs AllRows", p, error)));
        }

        // Prefill in chunks of 3 inside one run (20 = 6 * 3 + 2), AllRows and LastRow.
        auto chunked = extraForward(model, 3);
        const auto byChunks = allLogits(*chunked, ids);
        for (std::size_t p = 0; p < ids.size(); ++p) {
            const double error = relativeError(byChunks[p], whole[p]);
            QVERIFY2(error <= kBound, qPrintable(describe("chunks of 3 vs one chunk", p, error)));
        }
        auto lastCache = chunked->createKvCache(static_cast<std::int64_t>(ids.size()));
        const auto last = chunked->run(ids, 0, *lastCache, LogitsWanted::LastRow);
        QVERIFY(relativeError(last, whole.back()) <= kBound);

        // Several run() calls of uneven length, one of them asking for no logits at all.
        auto splitCache = chunked->createKvCache(static_cast<std::int64_t>(ids.size()));
        const std::size_t cuts[] = {0, 1, 8, 12, 20};
        for (std::size_t c = 0; c + 1 < std::size(cuts); ++c) {
            const auto part = std::span(ids).subspan(cuts[c], cuts[c + 1] - cuts[c]);
            const auto first = static_cast<std::int64_t>(cuts[c]);
            if (c == 2) {
                QVERIFY(chunked->run(part, first, *splitCache, LogitsWanted::None).empty());
                continue;
            }
            const auto logits = chunked->run(part, first, *splitCache);
            const double error = relativeError(logits, whole[cuts[c + 1] - 1]);
            QVERIFY2(error <= kBound, qPrintable(describe("uneven runs", cuts[c + 1] - 1, error)));
        }
    }

    void allRowsMatchesPerStepLastRow()
    {
        // A second AllRows run continuing a cache returns the same rows as LastRow steps over that range.
        const auto ids = promptIds(12);
        LoadedModel model = loadModel(writeModel(dir_, "tiny-moe", SynthFormat::Gguf), 4);
        auto cache = model.forward->createKvCache(12);
        model.forward->run(std::span(ids).first(5), 0, *cache, LogitsWanted::None);
        const auto rows = model.forward->run(std::span(ids).subspan(5), 5, *cache, LogitsWanted::AllRows);
        const auto vocab = static_cast<std::size_t>(model.file->config().vocabSize);
        QCOMPARE(rows.size(), 7 * vocab);

        auto stepCache = model.forward->createKvCache(12);
        model.forward->run(std::span(ids).first(5), 0, *stepCache, LogitsWanted::None);
        for (std::size_t p = 5; p < 12; ++p) {
            const auto position = static_cast<std::int64_t>(p);
            const auto step = model.forward->run(std::span(ids).subspan(p, 1), position, *stepCache);
            const auto row = std::span(rows).subspan((p - 5) * vocab, vocab);
            const double error = relativeError(row, step);
            QVERIFY2(error <= kBound, qPrintable(describe("AllRows vs LastRow step", p, error)));
        }
    }

    void badInputIsRejected()
    {
        LoadedModel model = loadModel(writeModel(dir_, "tiny-dense", SynthFormat::Gguf), 4);
        auto cache = model.forward->createKvCache(8);
        const std::vector<std::int32_t> outside = {1, 151936};
        QVERIFY_THROWS_EXCEPTION(ponder::Error, model.forward->run(outside, 0, *cache));
        const std::vector<std::int32_t> negative = {-1};
        QVERIFY_THROWS_EXCEPTION(ponder::Error, model.forward->run(negative, 0, *cache));
        const auto nine = promptIds(9);
        QVERIFY_THROWS_EXCEPTION(ponder::Error, model.forward->run(nine, 0, *cache));
        QVERIFY_THROWS_EXCEPTION(ponder::Error, model.forward->run(std::span(nine).first(2), 7, *cache));
        QVERIFY_THROWS_EXCEPTION(ponder::Error, model.forward->run(std::span(nine).first(1), -1, *cache));
        QVERIFY_THROWS_EXCEPTION(ponder::Error, model.forward->run({}, 0, *cache, LogitsWanted::LastRow));
        QVERIFY(model.forward->run({}, 0, *cache, LogitsWanted::None).empty());
        QVERIFY_THROWS_EXCEPTION(ponder::Error, extraForward(model, 0));
        // Rejected calls leave the cache usable, up to its last position.
        QVERIFY(model.forward->run(std::span(nine).first(7), 0, *cache, LogitsWanted::None).empty());
        QCOMPARE(model.forward->run(std::span(nine).subspan(7, 1), 7, *cache).size(),
                 static_cast<std::size_t>(model.file->config().vocabSize));
    }
};

QTEST_GUILESS_MAIN(TestForwardIncremental)
#include "test_forward_incremental.moc"
