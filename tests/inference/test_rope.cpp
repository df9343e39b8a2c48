// RoPE inverse frequencies and YaRN, checked against the formulas evaluated here in double: the plain
// theta^(-2i/d) table, and for YaRN the correction range Qwen3's 128K configs give (dims below 23 kept, from
// 40 on divided by the factor, a linear ramp between), transformers' guard for an empty ramp, and the
// attention factor 0.1 ln(factor) + 1.
#include "core/error.h"
#include "inference/rope.h"

#include <QTest>

#include <cmath>

using namespace ponder;

namespace {

ModelConfig qwen3Shape(double factor = 0, std::int64_t originalContext = 0, std::int64_t headDim = 128)
{
    ModelConfig c;
    c.headDim = headDim;
    c.ropeTheta = 1e6;
    if (factor > 0) {
        c.ropeScaling.type = "yarn";
        c.ropeScaling.factor = factor;
        c.ropeScaling.originalContext = originalContext;
    }
    return c;
}

double plain(int i, int dim) { return std::pow(1e6, -2.0 * i / dim); }

} // namespace

class TestRope : public QObject {
    Q_OBJECT

private slots:
    void plainFrequencies()
    {
        const RopeParameters rope = ropeParameters(qwen3Shape());
        QCOMPARE(rope.inverseFrequencies.size(), std::size_t(64));
        QCOMPARE(rope.attentionFactor, 1.0f);
        QCOMPARE(rope.inverseFrequencies[0], 1.0f);
        for (int i = 0; i < 64; ++i) {
            const double error = std::fabs(rope.inverseFrequencies[i] / plain(i, 128) - 1);
            QVERIFY2(error < 4e-7, qPrintable(QString("pair %1: relative error %2").arg(i).arg(error)));
        }
    }

    void yarnForQwen3At128k()
    {
        const RopeParameters plainRope = ropeParameters(qwen3Shape());
        const RopeParameters rope = ropeParameters(qwen3Shape(4.0, 32768));
        QCOMPARE(rope.inverseFrequencies.size(), std::size_t(64));
        QVERIFY(std::fabs(rope.attentionFactor - (0.1 * std::log(4.0) + 1.0)) < 1e-7);
        // Correction range for beta 32 / 1 over 32768 positions: floor(23.6) = 23, ceil(39.7) = 40.
        for (int i = 0; i < 64; ++i) {
            const double ramp = std::clamp((i - 23) / 17.0, 0.0, 1.0);
            const double expected = plain(i, 128) * (1 - ramp) + plain(i, 128) / 4 * ramp;
            const float got = rope.inverseFrequencies[i];
            QVERIFY2(std::fabs(got / expected - 1) < 1e-6,
                     qPrintable(QString("pair %1: %2 vs %3").arg(i).arg(got).arg(expected)));
            if (i < 23) // fully extrapolated: transformers' expression leaves the plain frequency exact
                QCOMPARE(got, plainRope.inverseFrequencies[i]);
        }
    }

    void yarnWithAnEmptyRamp()
    {
        // Over 4 original positions both correction dims land at 0; the ramp's +0.001 guard then keeps pair 0
        // and interpolates every other pair.
        const RopeParameters plainRope = ropeParameters(qwen3Shape(0, 0, 32));
        const RopeParameters rope = ropeParameters(qwen3Shape(2.0, 4, 32));
        QCOMPARE(rope.inverseFrequencies[0], 1.0f);
        for (int i = 1; i < 16; ++i)
            QVERIFY(std::fabs(rope.inverseFrequencies[i] / (plainRope.inverseFrequencies[i] / 2.0) - 1) < 1e-6);
    }

    void yarnFactorOneKeepsAttentionScale()
    {
        const RopeParameters rope = ropeParameters(qwen3Shape(1.0, 32768));
        QCOMPARE(rope.attentionFactor, 1.0f);
        const RopeParameters plainRope = ropeParameters(qwen3Shape());
        for (int i = 0; i < 64; ++i) // the same up to fp32 rounding of the blend
            QVERIFY(std::fabs(rope.inverseFrequencies[i] / plainRope.inverseFrequencies[i] - 1) < 1e-6);
    }

    void badConfigsAreRejected()
    {
        QVERIFY_THROWS_EXCEPTION(ponder::Error, ropeParameters(qwen3Shape(0, 0, 127)));
        QVERIFY_THROWS_EXCEPTION(ponder::Error, ropeParameters(qwen3Shape(0, 0, 0)));
        QVERIFY_THROWS_EXCEPTION(ponder::Error, ropeParameters(qwen3Shape(4.0, 0)));
        ModelConfig linear = qwen3Shape();
        linear.ropeScaling.type = "linear";
        QVERIFY_THROWS_EXCEPTION(ponder::Error, ropeParameters(linear));
        ModelConfig noBase = qwen3Shape();
        noBase.ropeTheta = 0;
        QVERIFY_THROWS_EXCEPTION(ponder::Error, ropeParameters(noBase));
    }
};

QTEST_GUILESS_MAIN(TestRope)
#include "test_rope.moc"
