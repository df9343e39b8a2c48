// Sampler: greedy decoding, the three penalties against values worked out by hand, seeds, rejected parameters
// and inputs, and a full 151936-entry Qwen3 vocabulary (with a rough speed print). The distributions the
// sampling steps produce are checked in test_sampler_distribution.cpp.
#include "core/error.h"
#include "sampling/sampler.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <span>
#include <string>
#include <vector>

using namespace ponder;

namespace {

constexpr std::int64_t kQwenVocabulary = 151936;
constexpr float kMasked = -std::numeric_limits<float>::infinity();

SamplingParams greedyParams()
{
    SamplingParams params;
    params.greedy = true;
    return params;
}

std::int32_t sampleOnce(const SamplingParams& params, const std::vector<float>& logits,
                        const std::vector<std::int32_t>& context = {}, const std::vector<std::int32_t>& generated = {})
{
    Sampler sampler(params);
    return sampler.sample(logits, context, generated);
}

std::vector<std::int32_t> sequence(const SamplingParams& params, const std::vector<float>& logits, int length)
{
    Sampler sampler(params);
    std::vector<std::int32_t> ids;
    for (int i = 0; i < length; ++i)
        ids.push_back(sampler.sample(logits, {}, {}));
    return ids;
}

// Runs `action`, which must throw ponder::Error with every one of `fragments` in its message.
void expectError(const std::function<void()>& action, std::initializer_list<const char*> fragments)
{
    try {
        action();
    } catch (const Error& error) {
        const std::string message = error.what();
        for (const char* fragment : fragments)
            QVERIFY2(message.find(fragment) != std::string::npos,
                     qPrintable(QString("message \"%1\" lacks \"%2\"").arg(message.c_str(), fragment)));
        return;
    }
    QFAIL(qPrintable(QString("no ponder::Error; expected one mentioning \"%1\"").arg(*fragments.begin())));
}

void expectParamError(const std::function<void(SamplingParams&)>& change, const char* parameter)
{
    SamplingParams params;
    change(params);
    expectError([&] { Sampler sampler(params); }, {parameter});
}

// Logits like a real model's: mostly small, a few standing out. Fixed seed.
std::vector<float> realisticLogits(std::int64_t vocabulary, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> noise(0.0f, 2.0f);
    std::vector<float> logits(static_cast<std::size_t>(vocabulary));
    for (auto& logit : logits)
        logit = noise(rng);
    for (int i = 0; i < 30; ++i)
        logits[rng() % logits.size()] += 12.0f;
    return logits;
}

} // namespace

class TestSampler : public QObject {
    Q_OBJECT

private slots:
    void greedyPicksTheLargestLogit()
    {
        QCOMPARE(sampleOnce(greedyParams(), {0.1f, -2.0f, 3.5f, 3.4f, 1.0f}), 2);
        QCOMPARE(sampleOnce(greedyParams(), {7.0f}), 0);
        QCOMPARE(sampleOnce(greedyParams(), {kMasked, -100.0f, kMasked}), 1);
    }

    void greedyTiesGoToTheLowestId()
    {
        QCOMPARE(sampleOnce(greedyParams(), {1.0f, 5.0f, 2.0f, 5.0f, 5.0f}), 1);
        QCOMPARE(sampleOnce(greedyParams(), {4.0f, 4.0f}), 0);
    }

    // Greedy ignores the sampling steps entirely (top-k 1 of a tie would otherwise be a coin toss).
    void greedyIgnoresTemperatureAndFilters()
    {
        SamplingParams params = greedyParams();
        params.temperature = 2.0;
        params.topK = 3;
        params.topP = 0.1;
        params.minP = 0.9;
        const std::vector<float> logits{1.0f, 6.0f, 6.0f, 0.0f};
        QCOMPARE(sequence(params, logits, 50), std::vector<std::int32_t>(50, 1));
    }

    void temperatureZeroIsGreedy()
    {
        const std::vector<float> logits = realisticLogits(5000, 7);
        SamplingParams zero;
        zero.temperature = 0.0;
        zero.topK = 0;
        zero.topP = 1.0;
        const auto expected = static_cast<std::int32_t>(std::max_element(logits.begin(), logits.end()) -
                                                        logits.begin());
        QCOMPARE(sequence(zero, logits, 20), std::vector<std::int32_t>(20, expected));
        QCOMPARE(sampleOnce(zero, {3.0f, 9.0f, 9.0f}), sampleOnce(greedyParams(), {3.0f, 9.0f, 9.0f}));
        QCOMPARE(sampleOnce(zero, {3.0f, 9.0f, 9.0f}), 1);
    }

    // CTRL: positive logits divided by the penalty, the others multiplied; each distinct context id once.
    void repetitionPenaltyByHand()
    {
        SamplingParams params = greedyParams();
        params.repetitionPenalty = 2.0;
        // 2.0 / 2 = 1.0 < 1.5.
        QCOMPARE(sampleOnce(params, {2.0f, 1.5f, -1.0f}, {0}), 1);
        // A repeated id is penalised once: 2.0 / 2 = 1.0 > 0.9 (twice would give 0.5 < 0.9).
        QCOMPARE(sampleOnce(params, {2.0f, 0.9f}, {0, 0, 0}), 0);
        // Negative logits are multiplied: -1.0 * 2 = -2.0 < -1.5.
        QCOMPARE(sampleOnce(params, {-1.0f, -1.5f}, {0}), 1);
        // Penalties below 1 favour the context: 1.0 / 0.5 = 2.0 > 1.8.
        params.repetitionPenalty = 0.5;
        QCOMPARE(sampleOnce(params, {1.0f, 1.8f}, {0}), 0);
        // Only `context` counts for it, not `generated`.
        params.repetitionPenalty = 2.0;
        QCOMPARE(sampleOnce(params, {2.0f, 1.5f}, {}, {0}), 0);
    }

    // vLLM / OpenAI: logit -= presence * [count > 0] + frequency * count, over `generated` only.
    void presenceAndFrequencyPenaltiesByHand()
    {
        const std::vector<float> logits{3.0f, 2.0f, 1.0f};
        SamplingParams presence = greedyParams();
        presence.presencePenalty = 0.5;
        // Once however often it occurs: 3.0 - 0.5 = 2.5 > 2.0 (three times would give 1.5).
        QCOMPARE(sampleOnce(presence, logits, {}, {0, 0, 0}), 0);
        presence.presencePenalty = 1.5;
        QCOMPARE(sampleOnce(presence, logits, {}, {0}), 1); // 1.5 < 2.0
        QCOMPARE(sampleOnce(presence, logits, {0}, {}), 0); // the context alone does not count

        SamplingParams frequency = greedyParams();
        frequency.frequencyPenalty = 0.4;
        QCOMPARE(sampleOnce(frequency, logits, {}, {0, 2, 0}), 0);    // 3.0 - 0.8 = 2.2
        QCOMPARE(sampleOnce(frequency, logits, {}, {0, 2, 0, 0}), 1); // 3.0 - 1.2 = 1.8

        SamplingParams both = greedyParams();
        both.presencePenalty = 0.2;
        both.frequencyPenalty = 0.3;
        QCOMPARE(sampleOnce(both, logits, {}, {0, 0, 0}), 1); // 3.0 - 0.2 - 0.9 = 1.9
        both.presencePenalty = 0.05;
        QCOMPARE(sampleOnce(both, logits, {}, {0, 0, 0}), 0); // 3.0 - 0.05 - 0.9 = 2.05

        // A negative penalty encourages: 1.0 + 1.5 = 2.5 > 2.0 (token 0 is not generated).
        SamplingParams encourage = greedyParams();
        encourage.presencePenalty = -1.5;
        QCOMPARE(sampleOnce(encourage, {2.0f, 1.0f}, {}, {1}), 1);
    }

    // Repetition first, then presence: (4.0 / 2) - 0.2 = 1.8 < 1.9. The other order, (4.0 - 0.2) / 2 = 1.9,
    // would tie and give token 0.
    void repetitionPenaltyComesBeforePresence()
    {
        SamplingParams params = greedyParams();
        params.repetitionPenalty = 2.0;
        params.presencePenalty = 0.2;
        QCOMPARE(sampleOnce(params, {4.0f, 1.9f}, {0}, {0}), 1);
    }

    // The penalty bookkeeping must leave nothing behind between calls.
    void penaltiesDoNotLeakIntoLaterCalls()
    {
        SamplingParams params = greedyParams();
        params.presencePenalty = 1.5;
        params.frequencyPenalty = 1.0;
        params.repetitionPenalty = 3.0;
        Sampler sampler(params);
        const std::vector<float> logits{3.0f, 2.0f, 1.0f};
        const std::vector<std::int32_t> generated{0, 0, 1};
        QCOMPARE(sampler.sample(logits, generated, generated), 2);
        QCOMPARE(sampler.sample(logits, {}, {}), 0);
        QCOMPARE(sampler.sample(logits, generated, generated), 2);
    }

    // Penalties on a sampled (not greedy) draw: a frequency penalty large enough leaves only the others.
    void penaltiesApplyWhenSampling()
    {
        SamplingParams params;
        params.temperature = 1.0;
        params.topK = 2;
        params.topP = 1.0;
        params.frequencyPenalty = 2.0;
        const std::vector<std::int32_t> generated(20, 0); // 5.0 - 40 = -35: out of the top 2
        Sampler sampler(params);
        const std::vector<float> logits{5.0f, 1.0f, 1.0f, -3.0f};
        for (int i = 0; i < 200; ++i) {
            const auto id = sampler.sample(logits, {}, generated);
            QVERIFY2(id == 1 || id == 2, qPrintable(QString::number(id)));
        }
    }

    void sameSeedSameSequence()
    {
        std::mt19937_64 rng(3);
        std::normal_distribution<float> noise(0.0f, 1.0f);
        std::vector<float> logits(1000);
        for (auto& logit : logits)
            logit = noise(rng);
        SamplingParams params;
        params.temperature = 1.5;
        params.topK = 0;
        params.topP = 0.99;
        params.seed = 1234;
        const auto first = sequence(params, logits, 300);
        QCOMPARE(sequence(params, logits, 300), first);
        QVERIFY(std::set<std::int32_t>(first.begin(), first.end()).size() > 100); // it really samples

        params.seed = 1235;
        QVERIFY(sequence(params, logits, 300) != first);
    }

    // The steps work in a reused buffer; a smaller vocabulary after a larger one must not see stale entries.
    void vocabularySizeMayChangeBetweenCalls()
    {
        SamplingParams params;
        params.topK = 0;
        params.topP = 1.0;
        Sampler sampler(params);
        const std::vector<float> large(1000, 0.0f);
        for (int i = 0; i < 20; ++i)
            QVERIFY(sampler.sample(large, {}, {}) < 1000);
        for (int i = 0; i < 200; ++i)
            QVERIFY(sampler.sample(std::vector<float>{0.0f, 0.0f, 0.0f}, {}, {}) < 3);
    }

    void maskedTokensAreNeverDrawn()
    {
        SamplingParams params;
        params.temperature = 5.0;
        params.topK = 0;
        params.topP = 1.0;
        Sampler sampler(params);
        const std::vector<float> logits{kMasked, 0.0f, kMasked, -30.0f, kMasked};
        std::set<std::int32_t> seen;
        for (int i = 0; i < 2000; ++i)
            seen.insert(sampler.sample(logits, {}, {}));
        QCOMPARE(seen, (std::set<std::int32_t>{1, 3}));
    }

    void invalidParametersNameTheParameter()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        expectParamError([](SamplingParams& p) { p.temperature = -0.1; }, "temperature");
        expectParamError([&](SamplingParams& p) { p.temperature = nan; }, "temperature");
        expectParamError([&](SamplingParams& p) { p.temperature = inf; }, "temperature");
        expectParamError([](SamplingParams& p) { p.topK = -1; }, "topK");
        expectParamError([](SamplingParams& p) { p.topP = 0.0; }, "topP");
        expectParamError([](SamplingParams& p) { p.topP = -0.5; }, "topP");
        expectParamError([](SamplingParams& p) { p.topP = 1.01; }, "topP");
        expectParamError([&](SamplingParams& p) { p.topP = nan; }, "topP");
        expectParamError([](SamplingParams& p) { p.minP = -0.01; }, "minP");
        expectParamError([](SamplingParams& p) { p.minP = 1.5; }, "minP");
        expectParamError([&](SamplingParams& p) { p.minP = nan; }, "minP");
        expectParamError([](SamplingParams& p) { p.presencePenalty = 2.5; }, "presencePenalty");
        expectParamError([&](SamplingParams& p) { p.presencePenalty = nan; }, "presencePenalty");
        expectParamError([](SamplingParams& p) { p.frequencyPenalty = -2.5; }, "frequencyPenalty");
        expectParamError([&](SamplingParams& p) { p.frequencyPenalty = inf; }, "frequencyPenalty");
        expectParamError([](SamplingParams& p) { p.repetitionPenalty = 0.0; }, "repetitionPenalty");
        expectParamError([](SamplingParams& p) { p.repetitionPenalty = -1.0; }, "repetitionPenalty");
        expectParamError([&](SamplingParams& p) { p.repetitionPenalty = inf; }, "repetitionPenalty");
    }

    // The edges of each range are valid.
    void boundaryParametersAreAccepted()
    {
        SamplingParams params;
        params.temperature = 0.0;
        params.topK = 0;
        params.topP = 1.0;
        params.minP = 1.0;
        params.presencePenalty = -2.0;
        params.frequencyPenalty = 2.0;
        params.repetitionPenalty = 1e-3;
        Sampler greedy(params);
        QCOMPARE(greedy.sample(std::vector<float>{0.0f, 1.0f}, {}, {}), 1);
        params.temperature = 1e-30; // tiny but positive: sampling, effectively greedy
        params.topP = 1e-9;
        Sampler sharp(params);
        QCOMPARE(sharp.sample(std::vector<float>{0.0f, 1.0f, 0.999f}, {}, {}), 1);
        QCOMPARE(sharp.params().topP, 1e-9);
    }

    void badLogitsAreRejected()
    {
        SamplingParams sampling;
        for (const SamplingParams& params : {greedyParams(), sampling}) {
            Sampler sampler(params);
            const float nan = std::numeric_limits<float>::quiet_NaN();
            const float inf = std::numeric_limits<float>::infinity();
            expectError([&] { sampler.sample(std::vector<float>{0.0f, nan, 1.0f}, {}, {}); }, {"token 1", "NaN"});
            expectError([&] { sampler.sample(std::vector<float>{inf, 0.0f}, {}, {}); }, {"token 0", "+inf"});
            expectError([&] { sampler.sample(std::vector<float>{kMasked, kMasked}, {}, {}); }, {"-inf"});
            expectError([&] { sampler.sample(std::vector<float>{}, {}, {}); }, {"no logits"});
            const std::vector<float> logits{0.0f, 1.0f};
            expectError([&] { sampler.sample(logits, std::vector<std::int32_t>{0, 2}, {}); }, {"context", "2"});
            expectError([&] { sampler.sample(logits, {}, std::vector<std::int32_t>{-1}); }, {"generated", "-1"});
            QVERIFY(sampler.sample(logits, {}, {}) <= 1); // and it still works afterwards
        }
    }

    // Qwen3's vocabulary with the recommended settings, top-k off with a nucleus, and long penalty windows.
    // The draws must come from where they may; the speed print is information, not an assertion.
    void fullQwenVocabulary()
    {
        const std::vector<float> logits = realisticLogits(kQwenVocabulary, 11);
        std::vector<std::int32_t> byLogit(logits.size());
        std::iota(byLogit.begin(), byLogit.end(), 0);
        std::sort(byLogit.begin(), byLogit.end(), [&](auto a, auto b) { return logits[a] > logits[b]; });
        const std::set<std::int32_t> top20(byLogit.begin(), byLogit.begin() + 20);

        std::mt19937_64 rng(5);
        std::vector<std::int32_t> context(4000);
        for (auto& id : context)
            id = static_cast<std::int32_t>(rng() % logits.size());
        const std::span<const std::int32_t> generated(context.data() + 3000, 1000);

        struct Case {
            const char* name;
            SamplingParams params;
            bool onlyTop20;
        };
        SamplingParams thinking;
        thinking.temperature = 0.6;
        thinking.topP = 0.95;
        thinking.topK = 20;
        SamplingParams nucleus;
        nucleus.temperature = 1.0;
        nucleus.topK = 0;
        nucleus.topP = 0.95;
        SamplingParams unfiltered = nucleus;
        unfiltered.topP = 1.0;
        SamplingParams penalised = thinking;
        penalised.presencePenalty = 1.5;
        penalised.repetitionPenalty = 1.1;
        for (const Case& test : {Case{"top-k 20, top-p 0.95", thinking, true},
                                 Case{"top-k off, top-p 0.95", nucleus, false},
                                 Case{"no filters", unfiltered, false},
                                 Case{"top-k 20 + penalties over 4000 ids", penalised, false}}) {
            Sampler sampler(test.params);
            const int draws = 200;
            QElapsedTimer timer;
            timer.start();
            for (int i = 0; i < draws; ++i) {
                const auto id = sampler.sample(logits, context, generated);
                QVERIFY(id >= 0 && id < kQwenVocabulary);
                if (test.onlyTop20)
                    QVERIFY2(top20.count(id), qPrintable(QString::number(id)));
            }
            const double seconds = std::max(timer.nsecsElapsed() * 1e-9, 1e-9);
            qInfo("%s over %lld logits: %.0f samples/s", test.name, static_cast<long long>(kQwenVocabulary),
                  draws / seconds);
        }
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "test_sampler.moc"
