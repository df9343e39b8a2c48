// The CPU backend's MoE routing (softmax, top-k with ties to the lower id, optional renormalisation) and
// routed experts against double-precision implementations written here.
#include "backend/cpu/cpu_backend.h"
#include "backend_test_util.h"
#include "core/error.h"

#include <QTest>

#include <algorithm>
#include <numeric>

using namespace ponder;
using namespace ponder::test;

namespace {

struct Routed {
    std::vector<std::int32_t> ids;
    std::vector<float> weights;
};

Routed routeRow(Backend& backend, const std::vector<float>& logits, std::int64_t k, bool normalize)
{
    const auto experts = static_cast<std::int64_t>(logits.size());
    auto routing = backend.createExpertRouting(1, k);
    backend.moeRoute(makeActivation(backend, 1, experts, logits), normalize, *routing);
    const auto& cpu = static_cast<const cpu::CpuExpertRouting&>(*routing);
    return {{cpu.ids.begin(), cpu.ids.begin() + k}, {cpu.weights.begin(), cpu.weights.begin() + k}};
}

// Experts over `hidden` values with SwiGLU width `ffn`; the weight types rotate so that several decoders run.
struct TestExperts {
    std::vector<TestTensor> gate, up, down;
    std::vector<ExpertWeights> views;
};

TestExperts makeExperts(Random& rng, std::int64_t count, std::int64_t hidden, std::int64_t ffn)
{
    constexpr TensorType kTypes[] = {TensorType::Q8_0, TensorType::F16, TensorType::Q4_0, TensorType::BF16,
                                     TensorType::F32};
    TestExperts e;
    for (std::int64_t i = 0; i < count; ++i) {
        const std::string prefix = "expert " + std::to_string(i) + " ";
        e.gate.push_back(randomTensor(rng, prefix + "gate", kTypes[i % 5], hidden, ffn));
        e.up.push_back(randomTensor(rng, prefix + "up", kTypes[(i + 1) % 5], hidden, ffn));
        e.down.push_back(randomTensor(rng, prefix + "down", kTypes[(i + 2) % 5], ffn, hidden));
    }
    for (std::int64_t i = 0; i < count; ++i)
        e.views.push_back({e.gate[i].view, e.up[i].view, e.down[i].view});
    return e;
}

} // namespace

class TestCpuMoe : public QObject {
    Q_OBJECT

private slots:
    void routeMatchesReference()
    {
        auto backend = createCpuBackend(2);
        Random rng(21);
        const std::int64_t experts = 8;
        for (std::int64_t k : {1, 2, 3})
            for (bool normalize : {false, true})
                for (int trial = 0; trial < 5; ++trial) {
                    const std::vector<float> logits = rng.values(experts, -4.0f, 4.0f);
                    double maxLogit = *std::max_element(logits.begin(), logits.end()), sum = 0;
                    std::vector<double> p(experts);
                    for (std::int64_t e = 0; e < experts; ++e)
                        sum += (p[e] = std::exp(logits[e] - maxLogit));
                    for (auto& x : p)
                        x /= sum;
                    std::vector<std::int32_t> order(experts);
                    std::iota(order.begin(), order.end(), 0);
                    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return p[a] > p[b]; });
                    double chosen = 0;
                    for (std::int64_t i = 0; i < k; ++i)
                        chosen += p[order[i]];

                    const Routed got = routeRow(*backend, logits, k, normalize);
                    for (std::int64_t i = 0; i < k; ++i) {
                        QCOMPARE(got.ids[i], order[i]);
                        const double want = normalize ? p[order[i]] / chosen : p[order[i]];
                        QVERIFY(near(got.weights[i], want, 1e-6 * want, "weight", i));
                    }
                }
    }

    void routeTiesGoToLowerIds()
    {
        auto backend = createCpuBackend(1);
        const std::vector<float> logits = {0, 2, 5, 5, 1, 5, -1, 0};
        Routed r = routeRow(*backend, logits, 2, false);
        QCOMPARE(r.ids, (std::vector<std::int32_t>{2, 3}));
        QCOMPARE(r.weights[0], r.weights[1]);
        r = routeRow(*backend, logits, 3, true);
        QCOMPARE(r.ids, (std::vector<std::int32_t>{2, 3, 5}));
        QVERIFY(near(r.weights[0], 1.0 / 3.0, 1e-7, "normalised tie", 0));

        // All equal: the first k, each with probability 1/8 (exactly representable), or 1/2 renormalised.
        r = routeRow(*backend, std::vector<float>(8, 0.25f), 2, false);
        QCOMPARE(r.ids, (std::vector<std::int32_t>{0, 1}));
        QCOMPARE(r.weights, (std::vector<float>{0.125f, 0.125f}));
        r = routeRow(*backend, std::vector<float>(8, 0.25f), 2, true);
        QCOMPARE(r.weights, (std::vector<float>{0.5f, 0.5f}));
    }

    void routeRejectsBadShapes()
    {
        auto backend = createCpuBackend(1);
        auto routing = backend->createExpertRouting(2, 4);
        QVERIFY_THROWS_EXCEPTION(Error, backend->moeRoute(backend->allocate(3, 8), true, *routing)); // 3 rows > 2
        QVERIFY_THROWS_EXCEPTION(Error, backend->moeRoute(backend->allocate(1, 3), true, *routing)); // k 4 > 3
        QVERIFY_THROWS_EXCEPTION(Error, backend->createExpertRouting(1, 0));
    }

    void expertsMatchNaiveSum()
    {
        auto backend = createCpuBackend(2);
        Random rng(22);
        const std::int64_t expertCount = 8, k = 2, hidden = 64, ffn = 96;
        const TestExperts experts = makeExperts(rng, expertCount, hidden, ffn);
        for (std::int64_t rows : {1, 7}) {
            const std::vector<float> xs = rng.values(rows * hidden, -2.0f, 2.0f);
            const Activation x = makeActivation(*backend, rows, hidden, xs);
            auto routing = backend->createExpertRouting(rows, k);
            backend->moeRoute(makeActivation(*backend, rows, expertCount, rng.values(rows * expertCount, -3.0f, 3.0f)),
                              true, *routing);
            Activation out = backend->allocate(rows, hidden);
            backend->moeExperts(x, experts.views, *routing, out);
            const std::vector<float> got = readAll(*backend, out);

            const auto& routed = static_cast<const cpu::CpuExpertRouting&>(*routing);
            for (std::int64_t r = 0; r < rows; ++r) {
                std::vector<double> want(hidden), magnitude(hidden);
                const float* xr = xs.data() + r * hidden;
                for (std::int64_t i = 0; i < k; ++i) {
                    const std::int32_t e = routed.ids[r * k + i];
                    const double w = routed.weights[r * k + i];
                    std::vector<double> h(ffn);
                    for (std::int64_t j = 0; j < ffn; ++j) {
                        double g = 0, u = 0;
                        for (std::int64_t c = 0; c < hidden; ++c) {
                            g += experts.gate[e].at(j, c) * xr[c];
                            u += experts.up[e].at(j, c) * xr[c];
                        }
                        h[j] = g / (1.0 + std::exp(-g)) * u;
                    }
                    for (std::int64_t c = 0; c < hidden; ++c)
                        for (std::int64_t j = 0; j < ffn; ++j) {
                            want[c] += w * experts.down[e].at(c, j) * h[j];
                            magnitude[c] += std::abs(w * experts.down[e].at(c, j) * h[j]);
                        }
                }
                for (std::int64_t c = 0; c < hidden; ++c)
                    QVERIFY(near(got[r * hidden + c], want[c], 1e-5 * magnitude[c], "rows " + std::to_string(rows),
                                 r * hidden + c));
            }
        }
    }

    void expertsRejectBadArguments()
    {
        auto backend = createCpuBackend(1);
        Random rng(23);
        const TestExperts experts = makeExperts(rng, 4, 64, 32);
        auto routing = backend->createExpertRouting(2, 2);
        backend->moeRoute(makeActivation(*backend, 2, 4, rng.values(8)), true, *routing);
        Activation x = backend->allocate(2, 64), out = backend->allocate(2, 64);
        const std::span<const ExpertWeights> three(experts.views.data(), 3);
        QVERIFY_THROWS_EXCEPTION(Error, backend->moeExperts(x, three, *routing, out)); // routed over 4
        Activation x3 = backend->allocate(3, 64), out3 = backend->allocate(3, 64);
        QVERIFY_THROWS_EXCEPTION(Error, backend->moeExperts(x3, experts.views, *routing, out3)); // routed 2 rows
        Activation wide = backend->allocate(2, 96), wideOut = backend->allocate(2, 96);
        QVERIFY_THROWS_EXCEPTION(Error, backend->moeExperts(wide, experts.views, *routing, wideOut)); // hidden 64
        QVERIFY_THROWS_EXCEPTION(Error, backend->moeExperts(x, experts.views, *routing, x)); // aliasing
        backend->moeExperts(x, experts.views, *routing, out);
    }
};

QTEST_GUILESS_MAIN(TestCpuMoe)
#include "test_cpu_moe.moc"
