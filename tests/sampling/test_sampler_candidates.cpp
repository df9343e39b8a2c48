// The Sampler's candidate path (candidatesWanted / sampleFromCandidates) against sample() on the whole row:
// two samplers with the same seed, one fed every logit, one only the highest (falling back to the whole
// row when the candidates do not settle the token, as the decoder does), must choose bit-identical token
// sequences over many draws: greedy and sampled, with and without the three penalties, rows with ties,
// masked tokens, fewer finite logits than k, vocabularies smaller than the candidate limit. The candidate
// path must also settle most tokens on model-like rows (else the test would pass by always falling back),
// and decline what it cannot do exactly.
#include "core/token_candidate.h"
#include "sampling/sampler.h"

#include <QTest>

#include <algorithm>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace ponder;

Q_DECLARE_METATYPE(ponder::SamplingParams)

namespace {

constexpr std::int64_t kLimit = 256; // Backend's kMaxTopLogits (the sampling library does not see backends)
constexpr float kMasked = -std::numeric_limits<float>::infinity();

enum class Rows { ModelLike, Ties, FewFinite };

// Rows that change a little from step to step around a fixed base, so tokens chosen earlier (penalised ones)
// keep ranking high.
class RowSource {
public:
    RowSource(Rows kind, std::size_t vocabulary, std::uint64_t seed) : kind_(kind), rng_(seed), base_(vocabulary)
    {
        std::normal_distribution<float> spread(0.0f, 3.0f);
        for (std::size_t i = 0; i < vocabulary; ++i) {
            switch (kind) {
            case Rows::ModelLike: base_[i] = spread(rng_); break;
            case Rows::Ties: base_[i] = static_cast<float>(i % 4); break;
            case Rows::FewFinite: base_[i] = i % 500 == 7 ? spread(rng_) : kMasked; break;
            }
        }
    }

    std::vector<float> next()
    {
        std::vector<float> row = base_;
        std::normal_distribution<float> noise(0.0f, 0.5f);
        std::uniform_int_distribution<int> step(0, 3);
        for (float& logit : row)
            if (logit != kMasked)
                logit += kind_ == Rows::Ties ? static_cast<float>(step(rng_)) : noise(rng_);
        return row;
    }

private:
    Rows kind_;
    std::mt19937_64 rng_;
    std::vector<float> base_;
};

struct Comparison {
    int steps = 0;
    int settled = 0; // tokens the candidates settled
};

// Runs both paths side by side for `steps` tokens; `cap` limits the candidates fetched (to force fallbacks).
Comparison compare(const SamplingParams& params, Rows kind, std::size_t vocabulary, int steps,
                   std::int64_t cap = kLimit, std::size_t promptLength = 30)
{
    Comparison result;
    Sampler full(params), candidates(params);
    RowSource rows(kind, vocabulary, params.seed + 11);
    std::mt19937 promptRng(3);
    std::vector<std::int32_t> context, generated;
    for (std::size_t i = 0; i < promptLength; ++i)
        context.push_back(static_cast<std::int32_t>(promptRng() % vocabulary));
    const std::int64_t limit = std::min({cap, kLimit, static_cast<std::int64_t>(vocabulary)});
    for (int s = 0; s < steps; ++s) {
        const std::vector<float> row = rows.next();
        const std::int32_t want = full.sample(row, context, generated);
        std::optional<std::int32_t> got;
        const std::int64_t count = candidates.candidatesWanted(context, generated, vocabulary, std::min(cap, kLimit));
        if (count > 0) {
            if (count > limit)
                qFatal("candidatesWanted asked for %lld, above the limit %lld", static_cast<long long>(count),
                       static_cast<long long>(limit));
            got = candidates.sampleFromCandidates(highestLogits(row, static_cast<std::size_t>(count)), vocabulary,
                                                  context, generated);
        }
        if (got)
            ++result.settled;
        else
            got = candidates.sample(row, context, generated);
        if (*got != want) {
            qWarning("step %d: the candidate path chose %d, the whole row %d", s, *got, want);
            return result;
        }
        ++result.steps;
        context.push_back(want);
        generated.push_back(want);
    }
    return result;
}

SamplingParams greedy()
{
    SamplingParams p;
    p.greedy = true;
    return p;
}

SamplingParams withPenalties(SamplingParams p, double repetition, double presence, double frequency)
{
    p.repetitionPenalty = repetition;
    p.presencePenalty = presence;
    p.frequencyPenalty = frequency;
    return p;
}

SamplingParams sampling(std::int64_t topK, double temperature, double topP, double minP, std::uint64_t seed)
{
    SamplingParams p;
    p.topK = topK;
    p.temperature = temperature;
    p.topP = topP;
    p.minP = minP;
    p.seed = seed;
    return p;
}

} // namespace

class TestSamplerCandidates : public QObject {
    Q_OBJECT

private slots:
    void sameTokensOnBothPaths_data()
    {
        QTest::addColumn<SamplingParams>("params");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("vocabulary");
        QTest::addColumn<double>("settledAtLeast"); // share of tokens the candidates must settle

        const int qwen = 151936;
        const auto add = [](const char* name, SamplingParams p, Rows rows, int vocabulary, double settled) {
            QTest::newRow(name) << p << static_cast<int>(rows) << vocabulary << settled;
        };
        add("greedy", greedy(), Rows::ModelLike, qwen, 1.0);
        add("greedy, penalties", withPenalties(greedy(), 1.3, 0.5, 0.3), Rows::ModelLike, qwen, 1.0);
        add("greedy, ties", greedy(), Rows::Ties, 1000, 1.0);
        add("greedy, ties, penalties", withPenalties(greedy(), 1.2, 0.4, 0.0), Rows::Ties, 1000, 0.0);
        add("qwen non-thinking", sampling(20, 0.7, 0.8, 0.0, 1), Rows::ModelLike, qwen, 0.95);
        add("qwen thinking", sampling(20, 0.6, 0.95, 0.0, 2), Rows::ModelLike, qwen, 0.95);
        add("presence 1.5", withPenalties(sampling(20, 0.7, 0.8, 0.0, 3), 1.0, 1.5, 0.0), Rows::ModelLike, qwen, 0.9);
        add("all penalties, min-p", withPenalties(sampling(40, 1.0, 0.9, 0.05, 4), 1.1, 0.3, 0.2), Rows::ModelLike,
            qwen, 0.5);
        add("top-k 64, no top-p", sampling(64, 1.0, 1.0, 0.0, 5), Rows::ModelLike, 20000, 0.95);
        add("ties", sampling(5, 1.0, 0.9, 0.0, 6), Rows::Ties, 1000, 0.0);
        add("fewer finite than k", sampling(20, 0.8, 0.9, 0.0, 7), Rows::FewFinite, 5000, 1.0);
        add("fewer finite, penalties", withPenalties(sampling(20, 0.8, 1.0, 0.0, 8), 1.5, 0.5, 0.5), Rows::FewFinite,
            5000, 1.0);
        add("small vocabulary", sampling(20, 1.0, 0.95, 0.0, 9), Rows::ModelLike, 67, 1.0);
        add("k above the vocabulary", withPenalties(sampling(100, 1.0, 0.95, 0.0, 10), 1.2, 0.0, 0.0),
            Rows::ModelLike, 67, 1.0);
    }

    void sameTokensOnBothPaths()
    {
        QFETCH(SamplingParams, params);
        QFETCH(int, rows);
        QFETCH(int, vocabulary);
        QFETCH(double, settledAtLeast);
        const int steps = vocabulary > 50000 ? 150 : 400;
        const Comparison c = compare(params, static_cast<Rows>(rows), static_cast<std::size_t>(vocabulary), steps);
        QCOMPARE(c.steps, steps);
        QVERIFY2(c.settled >= settledAtLeast * steps,
                 qPrintable(QString("the candidates settled %1 of %2 tokens").arg(c.settled).arg(steps)));
    }

    // Too few candidates for the penalised ones among the highest: the path notices and falls back, and the
    // random numbers stay in step (the sequences still match).
    void fewCandidatesFallBackExactly()
    {
        const SamplingParams p = withPenalties(sampling(20, 0.7, 0.8, 0.0, 12), 1.5, 1.0, 0.5);
        const Comparison c = compare(p, Rows::ModelLike, 151936, 150, 21, 0);
        QCOMPARE(c.steps, 150);
        QVERIFY(c.settled < 150); // some were not settled by 21 candidates...
        QVERIFY(c.settled > 0);   // ...and some were
        const Comparison g = compare(withPenalties(greedy(), 2.0, 2.0, 0.0), Rows::ModelLike, 151936, 150, 1, 0);
        QCOMPARE(g.steps, 150);
        QVERIFY(g.settled < 150);
    }

    void declinesWhatItCannotDoExactly()
    {
        const std::vector<std::int32_t> none;
        QCOMPARE(Sampler(sampling(0, 0.7, 0.8, 0.0, 1)).candidatesWanted(none, none, 1000, kLimit), std::int64_t(0));
        QCOMPARE(Sampler(withPenalties(greedy(), 0.9, 0.0, 0.0)).candidatesWanted(none, none, 1000, kLimit),
                 std::int64_t(0));
        QCOMPARE(Sampler(withPenalties(greedy(), 1.0, -0.5, 0.0)).candidatesWanted(none, none, 1000, kLimit),
                 std::int64_t(0));
        QCOMPARE(Sampler(withPenalties(greedy(), 1.0, 0.0, -0.5)).candidatesWanted(none, none, 1000, kLimit),
                 std::int64_t(0));
        QCOMPARE(Sampler(sampling(256, 0.7, 0.8, 0.0, 1)).candidatesWanted(none, none, 1000, kLimit),
                 std::int64_t(0));
        // What it does ask for: one for greedy, a power of two above k otherwise, more with penalties.
        QCOMPARE(Sampler(greedy()).candidatesWanted(none, none, 1000, kLimit), std::int64_t(1));
        QCOMPARE(Sampler(sampling(20, 0.7, 0.8, 0.0, 1)).candidatesWanted(none, none, 1000, kLimit), std::int64_t(32));
        const std::vector<std::int32_t> ten(10, 4);
        QCOMPARE(Sampler(withPenalties(greedy(), 1.0, 0.5, 0.0)).candidatesWanted(none, ten, 1000, kLimit),
                 std::int64_t(16));
        QCOMPARE(Sampler(withPenalties(greedy(), 1.1, 0.0, 0.0)).candidatesWanted(std::vector<std::int32_t>(500, 1),
                                                                                  none, 1000, kLimit),
                 kLimit);
        // A small vocabulary: the whole row, which settles any k.
        QCOMPARE(Sampler(sampling(300, 0.7, 0.8, 0.0, 1)).candidatesWanted(none, none, 67, kLimit), std::int64_t(67));

        // Rows sample() rejects are never settled by candidates: sample() then reports the error.
        Sampler sampler(sampling(20, 0.7, 0.8, 0.0, 1));
        std::vector<float> row(100, 0.5f);
        row[40] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(!sampler.sampleFromCandidates(highestLogits(row, 32), row.size(), none, none));
        row[40] = std::numeric_limits<float>::infinity();
        QVERIFY(!sampler.sampleFromCandidates(highestLogits(row, 32), row.size(), none, none));
        std::fill(row.begin(), row.end(), kMasked);
        QVERIFY(!sampler.sampleFromCandidates(highestLogits(row, 32), row.size(), none, none));
        row[3] = 1.0f;
        const std::vector<std::int32_t> outside{100};
        QVERIFY(!sampler.sampleFromCandidates(highestLogits(row, 32), row.size(), outside, none));
        QCOMPARE(*sampler.sampleFromCandidates(highestLogits(row, 32), row.size(), none, none), 3);
    }
};

QTEST_GUILESS_MAIN(TestSamplerCandidates)
#include "test_sampler_candidates.moc"
