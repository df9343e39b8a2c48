// The CPU backend's row-wise operations (matmul in every weight type, embed, RMSNorm, SwiGLU, residual add,
// readRow, topLogits) against straightforward double-precision implementations written here, on random inputs of
// awkward sizes.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/weight_rows.h"
#include "backend_test_util.h"
#include "core/error.h"
#include "top_logits_cases.h"

#include <QTest>

using namespace ponder;
using namespace ponder::test;

namespace {

// sum_i w[row][i] * x[i] in double, and sum_i |w[row][i] * x[i]| (the scale rounding errors are relative to).
std::pair<double, double> referenceDot(const TestTensor& w, std::int64_t row, const float* x)
{
    double dot = 0, magnitude = 0;
    for (std::int64_t i = 0; i < w.rowLength; ++i) {
        dot += w.at(row, i) * x[i];
        magnitude += std::abs(w.at(row, i) * x[i]);
    }
    return {dot, magnitude};
}

} // namespace

class TestCpuOps : public QObject {
    Q_OBJECT

private slots:
    // The decoders matmul uses must read every type exactly as formats/quant.h dequantizeRow does.
    void decodersMatchDequantizeRow()
    {
        Random rng(1);
        for (TensorType type : kAllTypes) {
            const std::int64_t n = awkwardRowLength(type);
            const TestTensor w = randomTensor(rng, "w", type, n, 3, -3.0f, 3.0f);
            const cpu::WeightRows rows(w.view, "test");
            std::vector<float> got(static_cast<std::size_t>(n));
            for (std::int64_t r = 0; r < 3; ++r) {
                rows.dequantize(r, got.data());
                const std::vector<float> want(w.values.begin() + r * n, w.values.begin() + (r + 1) * n);
                QVERIFY2(sameBits(got, want, tensorTypeName(type).c_str()), tensorTypeName(type).c_str());
            }
        }
        // Every fp16 bit pattern, subnormals, infinities and NaNs included.
        std::vector<std::uint8_t> bytes;
        for (std::uint32_t h = 0; h < 65536; ++h) {
            bytes.push_back(static_cast<std::uint8_t>(h & 0xFF));
            bytes.push_back(static_cast<std::uint8_t>(h >> 8));
        }
        TensorView all{"all", TensorType::F16, {65536}, std::span<const std::uint8_t>(bytes)};
        std::vector<float> got(65536), want(65536);
        cpu::WeightRows(all, "test").dequantize(0, got.data());
        dequantizeRow(TensorType::F16, bytes.data(), want.data(), 65536);
        QVERIFY(sameBits(got, want, "every fp16 pattern"));
    }

    void matmulEveryType()
    {
        auto backend = createCpuBackend(2);
        Random rng(2);
        for (TensorType type : kAllTypes) {
            const std::int64_t in = awkwardRowLength(type), outCols = 37;
            const TestTensor w = randomTensor(rng, "w", type, in, outCols);
            for (std::int64_t rows : {1, 7}) {
                const std::vector<float> xs = rng.values(rows * in, -2.0f, 2.0f);
                const Activation x = makeActivation(*backend, rows, in, xs);
                Activation out = backend->allocate(rows, outCols);
                backend->matmul(x, w.view, out);
                const std::vector<float> got = readAll(*backend, out);
                for (std::int64_t r = 0; r < rows; ++r)
                    for (std::int64_t j = 0; j < outCols; ++j) {
                        const auto [want, magnitude] = referenceDot(w, j, xs.data() + r * in);
                        QVERIFY(near(got[r * outCols + j], want, 1e-5 * magnitude,
                                     tensorTypeName(type) + " rows " + std::to_string(rows), r * outCols + j));
                    }
            }
        }
    }

    // A chunk of rows gives each row exactly what it gets alone, and 1, 2 or 3 threads agree bit for bit.
    void matmulIndependentOfBatchAndThreads()
    {
        Random rng(3);
        for (TensorType type : {TensorType::Q4_K, TensorType::F16, TensorType::Q8_0, TensorType::Q6_K}) {
            const std::int64_t in = 1024, outCols = 301, rows = 7;
            const TestTensor w = randomTensor(rng, "w", type, in, outCols);
            const std::vector<float> xs = rng.values(rows * in);
            std::vector<float> reference;
            for (unsigned threads : {1u, 2u, 3u}) {
                auto backend = createCpuBackend(threads);
                const Activation x = makeActivation(*backend, rows, in, xs);
                Activation out = backend->allocate(rows, outCols);
                backend->matmul(x, w.view, out);
                const std::vector<float> got = readAll(*backend, out);
                if (reference.empty())
                    reference = got;
                QVERIFY(sameBits(got, reference, "threads"));
                for (std::int64_t r = 0; r < rows; ++r) {
                    const Activation one = makeActivation(
                        *backend, 1, in, std::vector<float>(xs.begin() + r * in, xs.begin() + (r + 1) * in));
                    Activation oneOut = backend->allocate(1, outCols);
                    backend->matmul(one, w.view, oneOut);
                    QVERIFY(sameBits(readAll(*backend, oneOut),
                                     std::vector<float>(got.begin() + r * outCols, got.begin() + (r + 1) * outCols),
                                     "single row"));
                }
            }
        }
    }

    void matmulRejectsBadShapes()
    {
        auto backend = createCpuBackend(1);
        Random rng(4);
        const TestTensor w = randomTensor(rng, "w", TensorType::Q8_0, 64, 5);
        Activation x = backend->allocate(2, 64);
        Activation wrongIn = backend->allocate(2, 32);
        Activation out = backend->allocate(2, 5);
        Activation wrongOut = backend->allocate(2, 6);
        Activation wrongRows = backend->allocate(3, 5);
        QVERIFY_THROWS_EXCEPTION(Error, backend->matmul(wrongIn, w.view, out));
        QVERIFY_THROWS_EXCEPTION(Error, backend->matmul(x, w.view, wrongOut));
        QVERIFY_THROWS_EXCEPTION(Error, backend->matmul(x, w.view, wrongRows));
        TensorView truncated = w.view;
        truncated.data = truncated.data.first(truncated.data.size() - 1);
        QVERIFY_THROWS_EXCEPTION(Error, backend->matmul(x, truncated, out));
        Activation foreign; // not made by any backend
        QVERIFY_THROWS_EXCEPTION(Error, backend->matmul(foreign, w.view, out));
    }

    void embedRowsAndRange()
    {
        auto backend = createCpuBackend(2);
        Random rng(5);
        const std::int64_t hidden = 64, vocab = 11;
        for (TensorType type : {TensorType::Q8_0, TensorType::F16, TensorType::Q4_0}) {
            const TestTensor table = randomTensor(rng, "token_embd.weight", type, hidden, vocab);
            const std::vector<std::int32_t> ids = {3, 0, 10, 3, 7};
            Activation out = backend->allocate(static_cast<std::int64_t>(ids.size()), hidden);
            backend->embed(table.view, ids, out);
            const std::vector<float> got = readAll(*backend, out);
            std::vector<float> want;
            for (std::int32_t id : ids)
                want.insert(want.end(), table.values.begin() + id * hidden, table.values.begin() + (id + 1) * hidden);
            QVERIFY(sameBits(got, want, "embed"));

            Activation one = backend->allocate(1, hidden);
            const std::int32_t past[] = {static_cast<std::int32_t>(vocab)};
            const std::int32_t negative[] = {-1};
            QVERIFY_THROWS_EXCEPTION(Error, backend->embed(table.view, past, one));
            QVERIFY_THROWS_EXCEPTION(Error, backend->embed(table.view, negative, one));
            QVERIFY_THROWS_EXCEPTION(Error, backend->embed(table.view, ids, one)); // 5 ids, 1 row
        }
    }

    void rmsNorm()
    {
        auto backend = createCpuBackend(2);
        Random rng(6);
        const float eps = 1e-6f;
        for (TensorType type : {TensorType::F32, TensorType::BF16}) {
            for (std::int64_t cols : {33, 1024}) {
                const TestTensor w = randomTensor(rng, "norm", type, cols, 0, 0.5f, 1.5f);
                for (std::int64_t rows : {1, 7}) {
                    std::vector<float> xs = rng.values(rows * cols, -3.0f, 3.0f);
                    const Activation x = makeActivation(*backend, rows, cols, xs);
                    Activation out = backend->allocate(rows, cols);
                    backend->rmsNorm(x, w.view, eps, out);
                    const std::vector<float> got = readAll(*backend, out);
                    for (std::int64_t r = 0; r < rows; ++r) {
                        double sum = 0;
                        for (std::int64_t c = 0; c < cols; ++c)
                            sum += static_cast<double>(xs[r * cols + c]) * xs[r * cols + c];
                        const double inverse = 1.0 / std::sqrt(sum / cols + eps);
                        for (std::int64_t c = 0; c < cols; ++c) {
                            const double want = xs[r * cols + c] * inverse * w.at(0, c);
                            QVERIFY(near(got[r * cols + c], want, 1e-6 * std::abs(want) + 1e-30, "rmsNorm",
                                         r * cols + c));
                        }
                    }
                    // In place gives the same values.
                    Activation inPlace = makeActivation(*backend, rows, cols, xs);
                    backend->rmsNorm(inPlace, w.view, eps, inPlace);
                    QVERIFY(sameBits(readAll(*backend, inPlace), got, "rmsNorm in place"));
                }
            }
        }
        Activation x = backend->allocate(1, 32);
        Activation out = backend->allocate(1, 32);
        const TestTensor wrong = randomTensor(rng, "norm", TensorType::F32, 33, 0);
        QVERIFY_THROWS_EXCEPTION(Error, backend->rmsNorm(x, wrong.view, 1e-6f, out));
    }

    void swigluAndAdd()
    {
        auto backend = createCpuBackend(2);
        Random rng(7);
        for (std::int64_t rows : {1, 7}) {
            const std::int64_t cols = 1531; // rows x cols spans several of the pool's ranges
            std::vector<float> gs = rng.values(rows * cols, -12.0f, 12.0f), us = rng.values(rows * cols, -2.0f, 2.0f);
            gs[0] = -100.0f; // exp(100) overflows fp32: silu must still be -0, not NaN
            gs[1] = 100.0f;
            const Activation g = makeActivation(*backend, rows, cols, gs);
            Activation u = makeActivation(*backend, rows, cols, us);
            Activation out = backend->allocate(rows, cols);
            backend->swiglu(g, u, out);
            std::vector<float> got = readAll(*backend, out);
            for (std::int64_t i = 0; i < rows * cols; ++i) {
                const double want = gs[i] / (1.0 + std::exp(-static_cast<double>(gs[i]))) * us[i];
                QVERIFY(near(got[i], want, 1e-6 * std::abs(want) + 1e-30, "swiglu", i));
            }
            backend->addInPlace(u, out);
            const std::vector<float> sum = readAll(*backend, u);
            for (std::int64_t i = 0; i < rows * cols; ++i)
                QCOMPARE(sum[i], us[i] + got[i]); // one fp32 addition: exact
        }
        Activation a = backend->allocate(2, 8), b = backend->allocate(3, 8);
        QVERIFY_THROWS_EXCEPTION(Error, backend->addInPlace(a, b));
        QVERIFY_THROWS_EXCEPTION(Error, backend->swiglu(a, b, a));
    }

    void readRowChecks()
    {
        auto backend = createCpuBackend(1);
        const Activation x = makeActivation(*backend, 2, 3, {1, 2, 3, 4, 5, 6});
        std::vector<float> row(3);
        backend->readRow(x, 1, row);
        QCOMPARE(row, (std::vector<float>{4, 5, 6}));
        QVERIFY_THROWS_EXCEPTION(Error, backend->readRow(x, 2, row));
        std::vector<float> small(2);
        QVERIFY_THROWS_EXCEPTION(Error, backend->readRow(x, 0, small));
        QVERIFY_THROWS_EXCEPTION(Error, backend->allocate(1, 0));
    }

    // The highest values of one row of three, against a full sort, on every kind of row and awkward lengths.
    void topLogitsMatchAFullSort()
    {
        auto backend = createCpuBackend(1);
        for (const std::int64_t length : {1, 67, 1000, 1025, 151936})
            for (const LogitRow kind : kAllLogitRows) {
                std::vector<float> rows = logitRow(LogitRow::Random, 2 * length, 1);
                const std::vector<float> row = logitRow(kind, length, static_cast<std::uint32_t>(length));
                rows.insert(rows.begin() + length, row.begin(), row.end()); // the middle row
                const Activation x = makeActivation(*backend, 3, length, rows);
                for (const std::int64_t k : {1, 20, 64, 256})
                    if (k <= length)
                        QVERIFY(sameCandidates(backend->topLogits(x, 1, k),
                                               referenceTopLogits(row, static_cast<std::size_t>(k)),
                                               std::string(logitRowName(kind)) + " length " + std::to_string(length) +
                                                   " k " + std::to_string(k)));
            }
    }

    void topLogitsChecks()
    {
        auto backend = createCpuBackend(1);
        const Activation x = makeActivation(*backend, 2, 3, {1, 2, 3, 4, 5, 6});
        QVERIFY_THROWS_EXCEPTION(Error, backend->topLogits(x, 2, 1));
        QVERIFY_THROWS_EXCEPTION(Error, backend->topLogits(x, 0, 0));
        QVERIFY_THROWS_EXCEPTION(Error, backend->topLogits(x, 0, 4)); // more than the row holds
        const Activation wide = backend->allocate(1, kMaxTopLogits + 1);
        QVERIFY_THROWS_EXCEPTION(Error, backend->topLogits(wide, 0, kMaxTopLogits + 1));
    }
};

QTEST_GUILESS_MAIN(TestCpuOps)
#include "test_cpu_ops.moc"
