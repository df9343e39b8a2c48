// The CPU backend's thread pool, and that every operation gives bit-identical results with 1, 2 and 3
// threads (each output value is computed by one thread in a fixed order, whichever thread that is).
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/cpu_storage.h"
#include "backend/cpu/thread_pool.h"
#include "backend_test_util.h"

#include <QTest>

#include <atomic>
#include <stdexcept>

using namespace ponder;
using namespace ponder::test;

namespace {

// Runs a small layer's worth of operations (every Backend operation but embed) and returns all outputs.
std::vector<float> runLayer(unsigned threads)
{
    auto backend = createCpuBackend(threads);
    Random rng(31);
    const std::int64_t rows = 7, hidden = 256, heads = 4, kvHeads = 2, headDim = 64, ffn = 320, experts = 6, k = 2;
    const std::int64_t qCols = heads * headDim, kvCols = kvHeads * headDim;
    const TestTensor norm = randomTensor(rng, "norm", TensorType::F32, hidden, 0);
    const TestTensor headNorm = randomTensor(rng, "head_norm", TensorType::F32, headDim, 0);
    const TestTensor wq = randomTensor(rng, "q", TensorType::Q4_K, hidden, qCols);
    const TestTensor wk = randomTensor(rng, "k", TensorType::Q6_K, hidden, kvCols);
    const TestTensor wv = randomTensor(rng, "v", TensorType::Q8_0, hidden, kvCols);
    const TestTensor router = randomTensor(rng, "router", TensorType::F32, hidden, experts);
    std::vector<TestTensor> expertTensors;
    std::vector<ExpertWeights> expertViews;
    for (std::int64_t e = 0; e < experts; ++e) {
        expertTensors.push_back(randomTensor(rng, "gate", TensorType::F16, hidden, ffn));
        expertTensors.push_back(randomTensor(rng, "up", TensorType::BF16, hidden, ffn));
        expertTensors.push_back(randomTensor(rng, "down", TensorType::Q8_0, ffn, hidden));
    }
    for (std::int64_t e = 0; e < experts; ++e)
        expertViews.push_back({expertTensors[3 * e].view, expertTensors[3 * e + 1].view, expertTensors[3 * e + 2].view});
    RopeParameters rope;
    for (std::int64_t i = 0; i < headDim / 2; ++i)
        rope.inverseFrequencies.push_back(std::pow(10000.0f, -2.0f * static_cast<float>(i) / headDim));

    const Activation x = makeActivation(*backend, rows, hidden, rng.values(rows * hidden, -2.0f, 2.0f));
    Activation normed = backend->allocate(rows, hidden);
    Activation q = backend->allocate(rows, qCols), kAct = backend->allocate(rows, kvCols);
    Activation v = backend->allocate(rows, kvCols), attended = backend->allocate(rows, qCols);
    Activation logits = backend->allocate(rows, experts), moe = backend->allocate(rows, hidden);
    Activation swi = backend->allocate(rows, qCols);
    ModelConfig config;
    config.layerCount = 1;
    config.kvHeadCount = kvHeads;
    config.headDim = headDim;
    auto cache = backend->createKvCache(config, 3 + rows);
    auto routing = backend->createExpertRouting(rows, k);

    backend->rmsNorm(x, norm.view, 1e-6f, normed);
    backend->matmul(normed, wq.view, q);
    backend->matmul(normed, wk.view, kAct);
    backend->matmul(normed, wv.view, v);
    // Positions 0..2 come from an earlier call, so the attention spans a cache filled in two steps.
    Activation earlierQ = makeActivation(*backend, 3, qCols, rng.values(3 * qCols));
    const Activation earlierKv = makeActivation(*backend, 3, kvCols, rng.values(3 * kvCols));
    Activation earlier = backend->allocate(3, qCols);
    backend->qkNormRopeStore(earlierQ, earlierKv, earlierKv, headNorm.view, headNorm.view, 1e-6f, headDim, rope, *cache,
                             0, 0);
    backend->attention(earlierQ, *cache, 0, 0, headDim, earlier);
    backend->qkNormRopeStore(q, kAct, v, headNorm.view, headNorm.view, 1e-6f, headDim, rope, *cache, 0, 3);
    backend->attention(q, *cache, 0, 3, headDim, attended);
    backend->swiglu(attended, q, swi);
    backend->matmul(normed, router.view, logits);
    backend->moeRoute(logits, true, *routing);
    backend->moeExperts(normed, expertViews, *routing, moe);
    backend->addInPlace(moe, x);

    std::vector<float> all;
    for (const Activation* a : {&normed, &q, &kAct, &v, &earlier, &attended, &swi, &logits, &moe}) {
        const std::vector<float> values = readAll(*backend, *a);
        all.insert(all.end(), values.begin(), values.end());
    }
    const auto& stored = dynamic_cast<const cpu::CpuKvCache&>(*cache); // the roped keys, as stored
    all.insert(all.end(), stored.keys(0, 0), stored.keys(0, 0) + (3 + rows) * kvCols);
    return all;
}

} // namespace

class TestCpuThreads : public QObject {
    Q_OBJECT

private slots:
    void everyIndexOnce()
    {
        for (unsigned threads : {1u, 2u, 3u, 4u}) {
            ThreadPool pool(threads);
            QCOMPARE(pool.size(), threads);
            for (std::int64_t count : {0, 1, 5, 64, 1000, 4099})
                for (std::int64_t grain : {1, 3, 64, 5000}) {
                    std::vector<std::atomic<int>> hits(static_cast<std::size_t>(count));
                    std::atomic<bool> badWorker = false;
                    pool.parallelFor(count, grain, [&](std::int64_t begin, std::int64_t end, unsigned worker) {
                        if (worker >= threads || end - begin > grain || begin >= end)
                            badWorker = true;
                        for (std::int64_t i = begin; i < end; ++i)
                            hits[i].fetch_add(1);
                    });
                    QVERIFY(!badWorker);
                    for (std::int64_t i = 0; i < count; ++i)
                        QCOMPARE(hits[i].load(), 1);
                }
        }
        QCOMPARE(ThreadPool(0).size(), std::max(1u, std::thread::hardware_concurrency()));
    }

    // Many short loops back to back (a decode step's pattern) lose no work and do not deadlock.
    void manyShortLoops()
    {
        ThreadPool pool(3);
        std::atomic<std::int64_t> total = 0;
        for (int loop = 0; loop < 20000; ++loop)
            pool.parallelFor(4, 1, [&](std::int64_t begin, std::int64_t end, unsigned) { total += end - begin; });
        QCOMPARE(total.load(), std::int64_t{80000});
    }

    void exceptionsReachTheCaller()
    {
        ThreadPool pool(2);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 pool.parallelFor(100, 1, [](std::int64_t begin, std::int64_t, unsigned) {
                                     if (begin == 57)
                                         throw std::runtime_error("index 57");
                                 }));
        // The pool still works afterwards.
        std::atomic<int> count = 0;
        pool.parallelFor(100, 1, [&](std::int64_t, std::int64_t, unsigned) { ++count; });
        QCOMPARE(count.load(), 100);
    }

    void threadCountsGiveIdenticalBits()
    {
        const std::vector<float> one = runLayer(1);
        QVERIFY(sameBits(runLayer(2), one, "2 threads"));
        QVERIFY(sameBits(runLayer(3), one, "3 threads"));
    }
};

QTEST_GUILESS_MAIN(TestCpuThreads)
#include "test_cpu_threads.moc"
