// The distributions the Sampler draws from. Each test draws many tokens with a fixed seed and compares the
// counts with the probabilities the step should produce, worked out by hand or by a slow, obvious reference
// (full sort, double precision, Hugging Face's definitions), using Pearson's chi-square statistic against its
// 0.999 quantile: a correct sampler fails one of these checks with probability 0.001, a wrong one by far.
#include "sampling/sampler.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <vector>

using namespace ponder;

namespace {

// Qwen-like probabilities for hand-worked cases, in rank order; cumulative .35 .60 .75 .85 .92 .97 .99 1.
const std::vector<double> kRankedProbabilities{0.35, 0.25, 0.15, 0.10, 0.07, 0.05, 0.02, 0.01};
// Where each rank lives in the vocabulary: shuffled, so the sampler has to rank them itself.
const std::vector<std::int32_t> kRankToId{5, 2, 7, 0, 3, 6, 1, 4};

std::vector<float> rankedLogits()
{
    std::vector<float> logits(kRankToId.size());
    for (std::size_t rank = 0; rank < kRankToId.size(); ++rank)
        logits[kRankToId[rank]] = static_cast<float>(std::log(kRankedProbabilities[rank]));
    return logits;
}

// The probabilities of the first `ranks` ranks, renormalised, by id.
std::vector<double> firstRanks(std::size_t ranks)
{
    std::vector<double> probabilities(kRankToId.size(), 0.0);
    const double total = std::accumulate(kRankedProbabilities.begin(), kRankedProbabilities.begin() + ranks, 0.0);
    for (std::size_t rank = 0; rank < ranks; ++rank)
        probabilities[kRankToId[rank]] = kRankedProbabilities[rank] / total;
    return probabilities;
}

SamplingParams plain(double temperature)
{
    SamplingParams params;
    params.temperature = temperature;
    params.topK = 0;
    params.topP = 1.0;
    params.minP = 0.0;
    params.seed = 20250429;
    return params;
}

std::vector<double> softmax(const std::vector<float>& logits, double temperature)
{
    const double largest = *std::max_element(logits.begin(), logits.end());
    std::vector<double> probabilities;
    for (float logit : logits)
        probabilities.push_back(std::exp((logit - largest) / temperature));
    const double total = std::accumulate(probabilities.begin(), probabilities.end(), 0.0);
    for (double& p : probabilities)
        p /= total;
    return probabilities;
}

// What the sampler should draw from, the slow way: temperature, top-k (ties with the k-th kept), top-p
// (a token stays while those ranked above it hold less than top-p), min-p, renormalised.
std::vector<double> reference(const std::vector<float>& logits, const SamplingParams& params)
{
    std::vector<std::int32_t> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return logits[a] > logits[b]; });
    std::size_t kept = order.size();
    if (params.topK > 0 && static_cast<std::size_t>(params.topK) < kept) {
        const float kth = logits[order[params.topK - 1]];
        kept = static_cast<std::size_t>(std::count_if(logits.begin(), logits.end(), [&](float l) { return l >= kth; }));
    }
    std::vector<double> probabilities(logits.size(), 0.0);
    double total = 0.0;
    for (std::size_t i = 0; i < kept; ++i)
        total += probabilities[order[i]] = std::exp((logits[order[i]] - logits[order[0]]) / params.temperature);
    double above = 0.0;
    std::size_t nucleus = 0;
    while (nucleus < kept && (nucleus == 0 || above < params.topP)) {
        probabilities[order[nucleus]] /= total;
        above += probabilities[order[nucleus]];
        ++nucleus;
    }
    const double largest = probabilities[order[0]];
    double remaining = 0.0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        double& p = probabilities[order[i]];
        if (i >= nucleus || p < params.minP * largest)
            p = 0.0;
        remaining += p;
    }
    for (double& p : probabilities)
        p /= remaining;
    return probabilities;
}

std::vector<std::int64_t> drawCounts(const SamplingParams& params, const std::vector<float>& logits, int draws)
{
    Sampler sampler(params);
    std::vector<std::int64_t> counts(logits.size(), 0);
    for (int i = 0; i < draws; ++i)
        ++counts.at(static_cast<std::size_t>(sampler.sample(logits, {}, {})));
    return counts;
}

// The 0.999 quantile of chi-square with `df` degrees of freedom: tabulated up to 10, Wilson–Hilferty beyond
// (within 0.5 % there).
double chiSquareLimit(std::size_t df)
{
    static const double table[] = {10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588};
    if (df >= 1 && df <= 10)
        return table[df - 1];
    const double k = static_cast<double>(df);
    const double z = 3.0902; // the 0.999 quantile of the standard normal
    return k * std::pow(1.0 - 2.0 / (9.0 * k) + z * std::sqrt(2.0 / (9.0 * k)), 3.0);
}

struct Fit {
    double statistic = 0;
    double limit = 0;
    bool drewImpossible = false;
    bool fits() const { return !drewImpossible && statistic < limit; }
};

Fit chiSquare(const std::vector<std::int64_t>& counts, const std::vector<double>& expected)
{
    Fit fit;
    double draws = 0;
    for (auto count : counts)
        draws += static_cast<double>(count);
    std::size_t categories = 0;
    for (std::size_t id = 0; id < counts.size(); ++id) {
        if (expected[id] == 0.0) {
            fit.drewImpossible = fit.drewImpossible || counts[id] != 0;
            continue;
        }
        const double e = expected[id] * draws;
        fit.statistic += (counts[id] - e) * (counts[id] - e) / e;
        ++categories;
    }
    // With one possible token there is no spread to test, only that nothing else was drawn.
    fit.limit = categories > 1 ? chiSquareLimit(categories - 1) : std::numeric_limits<double>::infinity();
    return fit;
}

void expectFit(const SamplingParams& params, const std::vector<float>& logits, const std::vector<double>& expected,
               int draws = 20000)
{
    const Fit fit = chiSquare(drawCounts(params, logits, draws), expected);
    QVERIFY2(!fit.drewImpossible, "drew a token whose probability is 0");
    QVERIFY2(fit.fits(), qPrintable(QString("chi-square %1 >= %2").arg(fit.statistic).arg(fit.limit)));
}

std::set<std::int32_t> drawnIds(const std::vector<std::int64_t>& counts)
{
    std::set<std::int32_t> ids;
    for (std::size_t id = 0; id < counts.size(); ++id)
        if (counts[id] > 0)
            ids.insert(static_cast<std::int32_t>(id));
    return ids;
}

std::set<std::int32_t> possibleIds(const std::vector<double>& probabilities)
{
    std::set<std::int32_t> ids;
    for (std::size_t id = 0; id < probabilities.size(); ++id)
        if (probabilities[id] > 0.0)
            ids.insert(static_cast<std::int32_t>(id));
    return ids;
}

const std::vector<float> kEightLogits{1.0f, 2.0f, 0.5f, -1.0f, 1.5f, 0.0f, -0.5f, 2.5f};

} // namespace

class TestSamplerDistribution : public QObject {
    Q_OBJECT

private slots:
    void temperatureOneIsTheSoftmax() { expectFit(plain(1.0), kEightLogits, softmax(kEightLogits, 1.0)); }

    void lowerTemperatureSharpens()
    {
        const auto sharp = softmax(kEightLogits, 0.5);
        QVERIFY(sharp[7] > softmax(kEightLogits, 1.0)[7] + 0.15); // the premise: id 7 gains a lot
        expectFit(plain(0.5), kEightLogits, sharp);
        expectFit(plain(2.0), kEightLogits, softmax(kEightLogits, 2.0));
    }

    // The check itself has power: T = 0.5 draws do not pass for the T = 1 distribution.
    void chiSquareTellsTemperaturesApart()
    {
        const Fit fit = chiSquare(drawCounts(plain(0.5), kEightLogits, 20000), softmax(kEightLogits, 1.0));
        QVERIFY2(fit.statistic > 10 * fit.limit, qPrintable(QString::number(fit.statistic)));
    }

    // The two largest (ids 7 and 1) only, in the ratio e^(2.5 - 2.0).
    void topKKeepsTheKLargest()
    {
        SamplingParams params = plain(1.0);
        params.topK = 2;
        const auto counts = drawCounts(params, kEightLogits, 20000);
        QCOMPARE(drawnIds(counts), (std::set<std::int32_t>{1, 7}));
        std::vector<double> expected(8, 0.0);
        expected[7] = 1.0 / (1.0 + std::exp(-0.5));
        expected[1] = 1.0 - expected[7];
        const Fit fit = chiSquare(counts, expected);
        QVERIFY2(fit.fits(), qPrintable(QString::number(fit.statistic)));

        params.topK = 1;
        QCOMPARE(drawnIds(drawCounts(params, kEightLogits, 500)), (std::set<std::int32_t>{7}));
        params.topK = 100; // more than the vocabulary: no cut
        expectFit(params, kEightLogits, softmax(kEightLogits, 1.0));
    }

    // Hugging Face keeps every token tied with the k-th largest logit.
    void topKKeepsTiesWithTheKth()
    {
        SamplingParams params = plain(1.0);
        params.topK = 2;
        const std::vector<float> logits{1.0f, 3.0f, 2.0f, 2.0f, 0.0f};
        const double e = std::exp(-1.0);
        expectFit(params, logits, {0.0, 1.0 / (1 + 2 * e), e / (1 + 2 * e), e / (1 + 2 * e), 0.0});
    }

    // Cumulative .35 .60 .75 .85: at 0.8 the nucleus is the first four ranks (.85 >= .8, .75 is not).
    void topPKeepsTheSmallestSufficientNucleus()
    {
        SamplingParams params = plain(1.0);
        params.topP = 0.8;
        const auto counts = drawCounts(params, rankedLogits(), 20000);
        QCOMPARE(drawnIds(counts), possibleIds(firstRanks(4)));
        QVERIFY(chiSquare(counts, firstRanks(4)).fits());

        params.topP = 0.74; // .75 already suffices: three ranks
        expectFit(params, rankedLogits(), firstRanks(3));
        params.topP = 0.30; // the first token alone holds .35
        expectFit(params, rankedLogits(), firstRanks(1), 500);
        params.topP = 0.995; // needs all but the last (.99 < .995 <= 1)
        expectFit(params, rankedLogits(), firstRanks(8));
        params.topP = 0.985;
        expectFit(params, rankedLogits(), firstRanks(7));
    }

    // Relative to the most probable (.35): min-p 0.3 keeps p >= .105 (three ranks), 0.28 keeps p >= .098 (four).
    void minPDropsTheImprobable()
    {
        SamplingParams params = plain(1.0);
        params.minP = 0.3;
        const auto counts = drawCounts(params, rankedLogits(), 20000);
        QCOMPARE(drawnIds(counts), possibleIds(firstRanks(3)));
        QVERIFY(chiSquare(counts, firstRanks(3)).fits());
        params.minP = 0.28;
        expectFit(params, rankedLogits(), firstRanks(4));
        params.minP = 1.0;
        expectFit(params, rankedLogits(), firstRanks(1), 500);
    }

    // Min-p is measured after temperature: at T = 0.5 probabilities go as p^2, so .10 / .35 -> .0816 < 0.1.
    void minPComesAfterTemperature()
    {
        SamplingParams params = plain(0.5);
        params.minP = 0.1;
        const auto counts = drawCounts(params, rankedLogits(), 20000);
        QCOMPARE(drawnIds(counts), (std::set<std::int32_t>{kRankToId[0], kRankToId[1], kRankToId[2]}));
        QVERIFY(chiSquare(counts, reference(rankedLogits(), params)).fits());
    }

    // All steps together on eight logits, against the reference.
    void stepsCombineInHuggingFaceOrder()
    {
        SamplingParams params = plain(0.7);
        params.topK = 5;
        params.topP = 0.95;
        params.minP = 0.2;
        const auto expected = reference(kEightLogits, params);
        // Each step cuts here: top-k keeps 5; at T 0.7 their probabilities are .525 .257 .126 .062 .030, so
        // top-p keeps 4 (.908 < .95 <= .970) and min-p (>= .105) 3.
        QCOMPARE(possibleIds(expected).size(), std::size_t(3));
        expectFit(params, kEightLogits, expected);
    }

    // Top-k off and a nucleus of a few hundred tokens in a large vocabulary: the sampler ranks only part of
    // the vocabulary, in blocks. Every token of the nucleus must turn up (each is drawn ~30 times on average)
    // and nothing else, in the right proportions.
    void largeNucleusWithoutTopK()
    {
        std::mt19937_64 rng(99);
        std::uniform_real_distribution<float> tail(-5.0f, -3.0f), strong(5.0f, 5.1f);
        std::vector<float> logits(30000);
        for (auto& logit : logits)
            logit = tail(rng);
        for (int i = 0; i < 300; ++i)
            logits[rng() % logits.size()] = strong(rng);
        SamplingParams params = plain(0.8);
        params.topP = 0.9;
        const auto expected = reference(logits, params);
        const auto nucleus = possibleIds(expected);
        QVERIFY2(nucleus.size() > 200 && nucleus.size() < 300, qPrintable(QString::number(nucleus.size())));

        const auto counts = drawCounts(params, logits, 10000);
        QCOMPARE(drawnIds(counts), nucleus);
        const Fit fit = chiSquare(counts, expected);
        QVERIFY2(fit.fits(), qPrintable(QString("chi-square %1 >= %2").arg(fit.statistic).arg(fit.limit)));
    }
};

QTEST_GUILESS_MAIN(TestSamplerDistribution)
#include "test_sampler_distribution.moc"
