// The CPU backend's QK-norm + NeoX RoPE + KV-cache write and causal GQA attention against double-precision
// implementations written here, and attention over a cache filled in several calls against one call over the
// whole sequence.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/cpu_storage.h"
#include "backend_test_util.h"
#include "core/error.h"

#include <QTest>

#include <algorithm>

using namespace ponder;
using namespace ponder::test;

namespace {

RopeParameters ropeFor(std::int64_t headDim, float attentionFactor)
{
    RopeParameters rope;
    for (std::int64_t i = 0; i < headDim / 2; ++i)
        rope.inverseFrequencies.push_back(
            static_cast<float>(std::pow(1e6, -2.0 * static_cast<double>(i) / static_cast<double>(headDim))));
    rope.attentionFactor = attentionFactor;
    return rope;
}

// One head: RMSNorm with `weight`, then rotate-half RoPE at `position`. The angle is the fp32 product
// position * inv_freq, which is how Hugging Face defines it; everything else is in double.
std::vector<double> referenceNormRope(const float* x, const TestTensor& weight, double eps, const RopeParameters& rope,
                                      std::int64_t position)
{
    const auto headDim = weight.rowLength;
    const std::int64_t half = headDim / 2;
    double sum = 0;
    for (std::int64_t i = 0; i < headDim; ++i)
        sum += static_cast<double>(x[i]) * x[i];
    const double inverse = 1.0 / std::sqrt(sum / static_cast<double>(headDim) + eps);
    std::vector<double> n(static_cast<std::size_t>(headDim)), out(n.size());
    for (std::int64_t i = 0; i < headDim; ++i)
        n[i] = x[i] * inverse * weight.at(0, i);
    for (std::int64_t i = 0; i < half; ++i) {
        const double angle = static_cast<float>(position) * rope.inverseFrequencies[i];
        const double c = std::cos(angle) * rope.attentionFactor, s = std::sin(angle) * rope.attentionFactor;
        out[i] = n[i] * c - n[i + half] * s;
        out[i + half] = n[i + half] * c + n[i] * s;
    }
    return out;
}

// Causal attention of every row of q over keys/values 0..its own position (all rows at positions 0..).
std::vector<double> referenceAttention(const std::vector<float>& q, const std::vector<float>& k,
                                       const std::vector<float>& v, std::int64_t rows, std::int64_t heads,
                                       std::int64_t kvHeads, std::int64_t headDim)
{
    std::vector<double> out(static_cast<std::size_t>(rows * heads * headDim));
    const std::int64_t kvCols = kvHeads * headDim;
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t h = 0; h < heads; ++h) {
            const std::int64_t g = h / (heads / kvHeads);
            std::vector<double> scores;
            for (std::int64_t p = 0; p <= r; ++p) {
                double dot = 0;
                for (std::int64_t d = 0; d < headDim; ++d)
                    dot += static_cast<double>(q[(r * heads + h) * headDim + d]) * k[p * kvCols + g * headDim + d];
                scores.push_back(dot / std::sqrt(static_cast<double>(headDim)));
            }
            const double maxScore = *std::max_element(scores.begin(), scores.end());
            double sum = 0;
            for (auto& s : scores)
                sum += (s = std::exp(s - maxScore));
            for (std::int64_t d = 0; d < headDim; ++d) {
                double acc = 0;
                for (std::int64_t p = 0; p <= r; ++p)
                    acc += scores[p] / sum * v[p * kvCols + g * headDim + d];
                out[(r * heads + h) * headDim + d] = acc;
            }
        }
    return out;
}

ModelConfig cacheConfig(std::int64_t layers, std::int64_t kvHeads, std::int64_t headDim)
{
    ModelConfig config;
    config.layerCount = layers;
    config.kvHeadCount = kvHeads;
    config.headDim = headDim;
    return config;
}

// Writes rows of keys and values straight into a layer of a CPU cache at positions first.., so attention is
// checked on its own against the reference over exactly those values.
void fillCache(KvCache& cache, std::int64_t layer, std::int64_t first, std::int64_t rows, const std::vector<float>& ks,
               const std::vector<float>& vs)
{
    auto& c = dynamic_cast<cpu::CpuKvCache&>(cache);
    const std::int64_t cols = c.kvHeads() * c.headDim();
    for (std::int64_t r = 0; r < rows; ++r) {
        std::copy_n(ks.begin() + r * cols, cols, c.keys(layer, first + r));
        std::copy_n(vs.begin() + r * cols, cols, c.values(layer, first + r));
    }
}

// Positions first.. of a layer's keys (or values) as one vector of rows.
std::vector<float> cacheRows(const KvCache& cache, std::int64_t layer, std::int64_t first, std::int64_t rows,
                             bool values)
{
    const auto& c = dynamic_cast<const cpu::CpuKvCache&>(cache);
    const std::int64_t cols = c.kvHeads() * c.headDim();
    const float* begin = values ? c.values(layer, first) : c.keys(layer, first);
    return {begin, begin + rows * cols};
}

std::vector<float> rowsOf(const std::vector<float>& values, std::int64_t cols, std::int64_t first, std::int64_t count)
{
    return {values.begin() + first * cols, values.begin() + (first + count) * cols};
}

} // namespace

class TestCpuAttention : public QObject {
    Q_OBJECT

private slots:
    // q normed and roped in place, k normed and roped into the cache beside v, k itself left alone.
    void qkNormRopeStore()
    {
        auto backend = createCpuBackend(2);
        Random rng(11);
        const float eps = 1e-6f;
        const std::int64_t heads = 4, kvHeads = 2;
        for (std::int64_t headDim : {32, 128})
            for (float factor : {1.0f, 1.1386294f})
                for (std::int64_t firstPosition : {0, 1, 1000})
                    for (std::int64_t rows : {1, 7}) {
                        const RopeParameters rope = ropeFor(headDim, factor);
                        const TestTensor qNorm = randomTensor(rng, "q_norm", TensorType::F32, headDim, 0, 0.5f, 1.5f);
                        const TestTensor kNorm = randomTensor(rng, "k_norm", TensorType::BF16, headDim, 0, 0.5f, 1.5f);
                        const std::int64_t kvCols = kvHeads * headDim;
                        const std::vector<float> qs = rng.values(rows * heads * headDim, -3.0f, 3.0f);
                        const std::vector<float> ks = rng.values(rows * kvCols, -3.0f, 3.0f);
                        const std::vector<float> vs = rng.values(rows * kvCols, -3.0f, 3.0f);
                        Activation q = makeActivation(*backend, rows, heads * headDim, qs);
                        const Activation k = makeActivation(*backend, rows, kvCols, ks);
                        const Activation v = makeActivation(*backend, rows, kvCols, vs);
                        auto cache = backend->createKvCache(cacheConfig(2, kvHeads, headDim), firstPosition + rows);
                        backend->qkNormRopeStore(q, k, v, qNorm.view, kNorm.view, eps, headDim, rope, *cache, 1,
                                                 firstPosition);
                        const std::vector<float> gotQ = readAll(*backend, q);
                        const std::vector<float> gotK = cacheRows(*cache, 1, firstPosition, rows, false);
                        const std::string what = "headDim " + std::to_string(headDim) + " position " +
                                                 std::to_string(firstPosition) + " factor " + std::to_string(factor);
                        for (std::int64_t r = 0; r < rows; ++r)
                            for (std::int64_t h = 0; h < heads + kvHeads; ++h) {
                                const bool isQ = h < heads;
                                const std::int64_t offset =
                                    isQ ? (r * heads + h) * headDim : (r * kvHeads + h - heads) * headDim;
                                const std::vector<double> want =
                                    referenceNormRope((isQ ? qs : ks).data() + offset, isQ ? qNorm : kNorm, eps, rope,
                                                      firstPosition + r);
                                const std::vector<float>& got = isQ ? gotQ : gotK;
                                // Results are at most ~6 in size; fp32 rounding stays near 1e-6, a wrong
                                // pairing or angle is off by O(1).
                                for (std::int64_t d = 0; d < headDim; ++d)
                                    QVERIFY(near(got[offset + d], want[d], 1e-5, what, offset + d));
                            }
                        QVERIFY(sameBits(cacheRows(*cache, 1, firstPosition, rows, true), vs, "values as they are"));
                        QVERIFY(sameBits(readAll(*backend, k), ks, "k untouched"));
                    }
    }

    void qkNormRopeStoreRejectsBadShapes()
    {
        auto backend = createCpuBackend(1);
        Random rng(12);
        const TestTensor norm = randomTensor(rng, "norm", TensorType::F32, 32, 0);
        auto cache = backend->createKvCache(cacheConfig(2, 2, 32), 4);
        auto cache64 = backend->createKvCache(cacheConfig(2, 1, 64), 4);
        Activation q = backend->allocate(2, 128), k = backend->allocate(2, 64), k3 = backend->allocate(3, 64);
        Activation k96 = backend->allocate(2, 96);
        const RopeParameters rope = ropeFor(32, 1);
        auto store = [&](const Activation& key, const RopeParameters& r, std::int64_t headDim, KvCache& c,
                         std::int64_t layer, std::int64_t first) {
            backend->qkNormRopeStore(q, key, key, norm.view, norm.view, 1e-6f, headDim, r, c, layer, first);
        };
        QVERIFY_THROWS_EXCEPTION(Error, store(k, ropeFor(64, 1), 32, *cache, 0, 0)); // frequencies
        QVERIFY_THROWS_EXCEPTION(Error, store(k3, rope, 32, *cache, 0, 0));          // rows differ
        QVERIFY_THROWS_EXCEPTION(Error, store(k96, rope, 32, *cache, 0, 0));         // not the cache's KV heads
        QVERIFY_THROWS_EXCEPTION(Error, store(k, ropeFor(64, 1), 64, *cache64, 0, 0)); // norm of 32 for heads of 64
        QVERIFY_THROWS_EXCEPTION(Error, store(k, rope, 32, *cache64, 0, 0));         // the cache's head size
        QVERIFY_THROWS_EXCEPTION(Error, store(k, rope, 32, *cache, 2, 0));           // no layer 2
        QVERIFY_THROWS_EXCEPTION(Error, store(k, rope, 32, *cache, 0, 3));           // past capacity
        store(k, rope, 32, *cache, 1, 2); // the good call works: the last positions that fit
    }

    // Attention over the whole sequence in one call against the reference, for MHA, GQA and MQA.
    void attentionMatchesReference()
    {
        auto backend = createCpuBackend(2);
        Random rng(13);
        const std::int64_t heads = 4, rows = 9;
        for (std::int64_t headDim : {32, 128})
            for (std::int64_t kvHeads : {1, 2, 4}) {
                const std::int64_t kvCols = kvHeads * headDim;
                const std::vector<float> qs = rng.values(rows * heads * headDim, -3.0f, 3.0f);
                const std::vector<float> ks = rng.values(rows * kvCols, -3.0f, 3.0f);
                const std::vector<float> vs = rng.values(rows * kvCols, -1.0f, 1.0f);
                auto cache = backend->createKvCache(cacheConfig(2, kvHeads, headDim), 16);
                fillCache(*cache, 1, 0, rows, ks, vs);
                const Activation q = makeActivation(*backend, rows, heads * headDim, qs);
                Activation out = backend->allocate(rows, heads * headDim);
                backend->attention(q, *cache, 1, 0, headDim, out);
                const std::vector<float> got = readAll(*backend, out);
                const std::vector<double> want = referenceAttention(qs, ks, vs, rows, heads, kvHeads, headDim);
                const std::string what = "headDim " + std::to_string(headDim) + " kvHeads " + std::to_string(kvHeads);
                // Outputs are averages of values in [-1, 1]: fp32 error ~1e-6, a wrong head or mask O(0.1).
                for (std::size_t i = 0; i < want.size(); ++i)
                    QVERIFY(near(got[i], want[i], 1e-5, what, static_cast<std::int64_t>(i)));
            }
    }

    // Storing and attending a prefill chunk and then a row at a time gives exactly the full-sequence result,
    // and other layers of the cache stay out of it.
    void attentionContinuesFromCache()
    {
        auto backend = createCpuBackend(2);
        Random rng(14);
        const std::int64_t heads = 4, kvHeads = 2, headDim = 128, rows = 9, kvCols = kvHeads * headDim;
        const std::int64_t qCols = heads * headDim;
        const std::vector<float> qs = rng.values(rows * qCols, -3.0f, 3.0f);
        const std::vector<float> ks = rng.values(rows * kvCols, -3.0f, 3.0f);
        const std::vector<float> vs = rng.values(rows * kvCols);
        const TestTensor qNorm = randomTensor(rng, "q_norm", TensorType::F32, headDim, 0, 0.5f, 1.5f);
        const TestTensor kNorm = randomTensor(rng, "k_norm", TensorType::F32, headDim, 0, 0.5f, 1.5f);
        const RopeParameters rope = ropeFor(headDim, 1.0f);
        const ModelConfig config = cacheConfig(3, kvHeads, headDim);
        // Rows first..first+count-1 of the sequence: stored in `layer`, then attended into `out`.
        auto step = [&](KvCache& cache, std::int64_t layer, std::int64_t first, std::int64_t count,
                        const std::vector<float>& q, const std::vector<float>& k, const std::vector<float>& v) {
            Activation qa = makeActivation(*backend, count, qCols, rowsOf(q, qCols, first, count));
            backend->qkNormRopeStore(qa, makeActivation(*backend, count, kvCols, rowsOf(k, kvCols, first, count)),
                                     makeActivation(*backend, count, kvCols, rowsOf(v, kvCols, first, count)),
                                     qNorm.view, kNorm.view, 1e-6f, headDim, rope, cache, layer, first);
            Activation out = backend->allocate(count, qCols);
            backend->attention(qa, cache, layer, first, headDim, out);
            return readAll(*backend, out);
        };

        auto fullCache = backend->createKvCache(config, rows);
        const std::vector<float> full = step(*fullCache, 1, 0, rows, qs, ks, vs);

        auto cache = backend->createKvCache(config, rows);
        // Different data in the neighbouring layers must not leak into layer 1.
        for (std::int64_t layer : {0, 2})
            step(*cache, layer, 0, rows, rng.values(rows * qCols), rng.values(rows * kvCols),
                 rng.values(rows * kvCols));
        const std::int64_t prefill = 5;
        for (std::int64_t first = 0; first < rows;) {
            const std::int64_t count = first == 0 ? prefill : 1;
            QVERIFY(sameBits(step(*cache, 1, first, count, qs, ks, vs), rowsOf(full, qCols, first, count),
                             qPrintable("rows from " + QString::number(first))));
            first += count;
        }
    }

    // q may be overwritten by the output (rows and heads only read their own q values).
    void attentionInPlace()
    {
        auto backend = createCpuBackend(2);
        Random rng(15);
        const std::int64_t rows = 5, headDim = 32, qCols = 4 * headDim, kvCols = 2 * headDim;
        const std::vector<float> qs = rng.values(rows * qCols);
        auto cache = backend->createKvCache(cacheConfig(1, 2, headDim), rows);
        fillCache(*cache, 0, 0, rows, rng.values(rows * kvCols), rng.values(rows * kvCols));
        Activation q = makeActivation(*backend, rows, qCols, qs);
        Activation out = backend->allocate(rows, qCols);
        backend->attention(q, *cache, 0, 0, headDim, out);
        backend->attention(q, *cache, 0, 0, headDim, q);
        QVERIFY(sameBits(readAll(*backend, q), readAll(*backend, out), "in place"));
    }

    void attentionRejectsBadArguments()
    {
        auto backend = createCpuBackend(1);
        const std::int64_t headDim = 32;
        auto cache = backend->createKvCache(cacheConfig(2, 2, headDim), 4);
        fillCache(*cache, 0, 0, 4, std::vector<float>(4 * 2 * headDim), std::vector<float>(4 * 2 * headDim));
        Activation q = backend->allocate(2, 4 * headDim), out = backend->allocate(2, 4 * headDim);
        QVERIFY_THROWS_EXCEPTION(Error, backend->attention(q, *cache, 0, 3, headDim, out)); // past capacity
        QVERIFY_THROWS_EXCEPTION(Error, backend->attention(q, *cache, 2, 0, headDim, out)); // no layer 2
        QVERIFY_THROWS_EXCEPTION(Error, backend->attention(q, *cache, 0, 0, 64, out));      // head size
        Activation q3 = backend->allocate(2, 3 * headDim), out3 = backend->allocate(2, 3 * headDim);
        QVERIFY_THROWS_EXCEPTION(Error, backend->attention(q3, *cache, 0, 0, headDim, out3)); // 3 % 2 heads
        Activation out1 = backend->allocate(1, 4 * headDim);
        QVERIFY_THROWS_EXCEPTION(Error, backend->attention(q, *cache, 0, 0, headDim, out1)); // output rows
        backend->attention(q, *cache, 0, 2, headDim, out); // the last positions that fit
        QVERIFY_THROWS_EXCEPTION(Error, backend->createKvCache(cacheConfig(0, 2, headDim), 4));
    }
};

QTEST_GUILESS_MAIN(TestCpuAttention)
#include "test_cpu_attention.moc"
