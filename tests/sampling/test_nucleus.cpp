// detail::keepNucleus, the Sampler's top-p step, exactly: which candidates it keeps must be what a full sort
// gives (Hugging Face's rule, ties to the lower id), across shapes that exercise each of its stages (weight
// classes, selection, the final sorted walk) and the already-ranked path after top-k.
#include "sampling/nucleus.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <vector>

using namespace ponder::detail;

namespace {

Candidates fromWeights(const std::vector<float>& weights)
{
    Candidates candidates;
    for (std::size_t id = 0; id < weights.size(); ++id)
        candidates.emplace_back(weights[id], static_cast<std::int32_t>(id));
    return candidates;
}

double sum(const std::vector<float>& weights)
{
    return std::accumulate(weights.begin(), weights.end(), 0.0);
}

// The obvious way: sort everything, walk while the tokens above weigh less than the target.
std::set<std::int32_t> referenceNucleus(const std::vector<float>& weights, double topP)
{
    Candidates ranked = fromWeights(weights);
    std::sort(ranked.begin(), ranked.end(), ranksBefore);
    const double target = topP * sum(weights);
    std::set<std::int32_t> kept;
    double above = 0.0;
    for (const auto& [weight, id] : ranked) {
        if (!kept.empty() && above >= target)
            break;
        kept.insert(id);
        above += weight;
    }
    return kept;
}

std::set<std::int32_t> nucleus(const std::vector<float>& weights, double topP, bool ranked = false)
{
    Candidates candidates = fromWeights(weights);
    if (ranked)
        std::sort(candidates.begin(), candidates.end(), ranksBefore);
    const std::size_t kept = keepNucleus(candidates, candidates.size(), ranked, sum(weights), topP);
    std::set<std::int32_t> ids;
    for (std::size_t i = 0; i < kept; ++i)
        ids.insert(candidates[i].second);
    return ids;
}

// Weights as the Sampler makes them: exp(logit - max), so the largest is exactly 1.
std::vector<float> weightsFromLogits(const std::vector<float>& logits)
{
    const float largest = *std::max_element(logits.begin(), logits.end());
    std::vector<float> weights;
    for (float logit : logits)
        weights.push_back(std::exp(logit - largest));
    return weights;
}

void compareWithReference(const std::vector<float>& weights, const char* shape)
{
    for (double topP : {1e-6, 0.1, 0.5, 0.8, 0.9, 0.95, 0.999, 1.0}) {
        const auto expected = referenceNucleus(weights, topP);
        QVERIFY2(nucleus(weights, topP) == expected, qPrintable(QString("%1, top-p %2").arg(shape).arg(topP)));
        QVERIFY2(nucleus(weights, topP, true) == expected,
                 qPrintable(QString("%1 ranked, top-p %2").arg(shape).arg(topP)));
    }
}

} // namespace

class TestNucleus : public QObject {
    Q_OBJECT

private slots:
    void handWorked()
    {
        // Cumulative .35 .60 .75 .85 in rank order; ids shuffled.
        const std::vector<float> weights{0.10f, 0.02f, 0.25f, 0.07f, 0.01f, 0.35f, 0.05f, 0.15f};
        QCOMPARE(nucleus(weights, 0.8), (std::set<std::int32_t>{5, 2, 7, 0}));
        QCOMPARE(nucleus(weights, 0.74), (std::set<std::int32_t>{5, 2, 7}));
        QCOMPARE(nucleus(weights, 0.3), (std::set<std::int32_t>{5}));
        QCOMPARE(nucleus(weights, 1.0).size(), std::size_t(8));
    }

    // Equal weights: the nucleus takes the lower ids first, and exactly as many as the target needs
    // (weights of 1/2 add up exactly, so the boundary is hit on the dot: 4 of 8 reach 0.5, the 5th is out).
    void tiesGoToTheLowerIds()
    {
        const std::vector<float> equal(8, 0.5f);
        QCOMPARE(nucleus(equal, 0.5), (std::set<std::int32_t>{0, 1, 2, 3}));
        QCOMPARE(nucleus(equal, 0.51), (std::set<std::int32_t>{0, 1, 2, 3, 4}));
        const std::vector<float> manyEqual(5000, 0.5f); // large enough for the selection stage
        std::set<std::int32_t> firstHalf;
        for (std::int32_t id = 0; id < 2500; ++id)
            firstHalf.insert(id);
        QCOMPARE(nucleus(manyEqual, 0.5), firstHalf);
    }

    void randomShapesMatchAFullSort()
    {
        std::mt19937_64 rng(42);
        for (int round = 0; round < 3; ++round) {
            std::normal_distribution<float> noise(0.0f, 1.0f + 2.0f * round);
            std::vector<float> logits(20000 + 7919 * round);
            for (auto& logit : logits)
                logit = noise(rng);
            compareWithReference(weightsFromLogits(logits), "normal logits");

            for (int i = 0; i < 40; ++i) // a few standing out, as in a confident model
                logits[rng() % logits.size()] += 15.0f;
            compareWithReference(weightsFromLogits(logits), "peaked logits");
        }
    }

    // Weights that underflow to 0 or are subnormal land in the last weight class; plateaus of equal logits
    // make ties across stages.
    void zerosAndPlateaus()
    {
        std::mt19937_64 rng(7);
        std::vector<float> logits(10000);
        for (auto& logit : logits)
            logit = static_cast<float>(rng() % 8) * -15.0f; // 0, -15, ..., -105: exp(-105) is 0 in float
        compareWithReference(weightsFromLogits(logits), "plateaus with zeros");
        compareWithReference(std::vector<float>(3000, 1.0f), "all equal");
        std::vector<float> one(1, 1.0f);
        QCOMPARE(nucleus(one, 0.5), (std::set<std::int32_t>{0}));
    }

    // A flat tail holding most of the mass: the nucleus is thousands of tokens across several classes.
    void wideNucleus()
    {
        std::mt19937_64 rng(3);
        std::uniform_real_distribution<float> spread(-6.0f, 0.0f);
        std::vector<float> logits(151936);
        for (auto& logit : logits)
            logit = spread(rng);
        const auto weights = weightsFromLogits(logits);
        QVERIFY(referenceNucleus(weights, 0.95).size() > 50000);
        compareWithReference(weights, "wide");
    }
};

QTEST_GUILESS_MAIN(TestNucleus)
#include "test_nucleus.moc"
