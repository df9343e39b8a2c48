// fp16 and bf16 conversions (core/half.h). fp16 -> float is checked against the IEEE definition for all
// 65536 bit patterns; float -> fp16 is checked for round-to-nearest-even at every halfway point between two
// adjacent fp16 values (and just either side of it), on random floats against a nearest-value search over
// the fp16 table, and on the edge cases (overflow at 65520, subnormals, signed zero, NaN).
#include "core/half.h"

#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace ponder;

namespace {

std::uint32_t bitsOf(float f) { return std::bit_cast<std::uint32_t>(f); }
float fromBits(std::uint32_t b) { return std::bit_cast<float>(b); }

bool isHalfNaN(std::uint16_t h) { return (h & 0x7C00u) == 0x7C00u && (h & 0x3FFu) != 0; }

// The IEEE 754 binary16 value of a bit pattern, computed in double from the definition.
double halfValue(std::uint16_t h)
{
    const double sign = (h & 0x8000u) ? -1.0 : 1.0;
    const int exponent = (h >> 10) & 0x1F;
    const int mantissa = h & 0x3FF;
    if (exponent == 0x1F)
        return mantissa == 0 ? sign * std::numeric_limits<double>::infinity()
                             : std::numeric_limits<double>::quiet_NaN();
    if (exponent == 0)
        return sign * std::ldexp(mantissa, -24);
    return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

// The correctly rounded fp16 of a finite float: the nearest of all finite fp16 values by exact comparison
// in double, ties to the even bit pattern; magnitudes at or past 65520 (halfway to 2^16) become infinity.
std::uint16_t nearestHalf(float f, const std::vector<double>& positive)
{
    const std::uint16_t sign = std::signbit(f) ? 0x8000 : 0;
    const double a = std::fabs(static_cast<double>(f));
    if (a >= 65520.0)
        return sign | 0x7C00;
    // positive[h] is the value of pattern h for h in 0..0x7BFF, increasing with h.
    const auto above = std::lower_bound(positive.begin(), positive.end(), a);
    if (above == positive.end())
        return sign | 0x7BFF; // between 65504 and 65520: the largest finite value
    const auto hi = static_cast<std::uint16_t>(above - positive.begin());
    if (hi == 0 || positive[hi] == a)
        return sign | hi;
    const auto lo = static_cast<std::uint16_t>(hi - 1);
    const double dl = a - positive[lo], dh = positive[hi] - a;
    if (dl < dh)
        return sign | lo;
    if (dh < dl)
        return sign | hi;
    return sign | ((lo & 1) ? hi : lo);
}

} // namespace

class TestHalf : public QObject {
    Q_OBJECT

private slots:
    void fp16ToFloatMatchesDefinitionForEveryPattern()
    {
        for (std::uint32_t h = 0; h <= 0xFFFF; ++h) {
            const float f = fp16ToFloat(static_cast<std::uint16_t>(h));
            const double want = halfValue(static_cast<std::uint16_t>(h));
            if (std::isnan(want)) {
                QVERIFY2(std::isnan(f), qPrintable(QString::number(h, 16)));
                QCOMPARE(std::signbit(f), (h & 0x8000u) != 0);
            } else {
                // Every fp16 value is exactly a float, so the bit patterns must agree (signed zero too).
                QCOMPARE(bitsOf(f), bitsOf(static_cast<float>(want)));
            }
        }
    }

    void fp16RoundTripsThroughFloat()
    {
        for (std::uint32_t h = 0; h <= 0xFFFF; ++h) {
            const auto half = static_cast<std::uint16_t>(h);
            const std::uint16_t back = floatToFp16(fp16ToFloat(half));
            if (isHalfNaN(half)) {
                QVERIFY2(isHalfNaN(back), qPrintable(QString::number(h, 16)));
                QCOMPARE(back & 0x8000u, half & 0x8000u);
            } else {
                QCOMPARE(back, half);
            }
        }
    }

    void floatToFp16RoundsHalfwayCasesToEven()
    {
        // Between every pair of adjacent finite fp16 values: the exact midpoint goes to the even pattern,
        // the next float below it to the lower value and the next float above it to the upper value.
        for (std::uint16_t h = 0; h < 0x7BFF; ++h) {
            for (std::uint16_t sign : {std::uint16_t(0), std::uint16_t(0x8000)}) {
                const double lo = halfValue(h), hi = halfValue(static_cast<std::uint16_t>(h + 1));
                const float mid = static_cast<float>((lo + hi) / 2); // needs 12 significant bits: exact
                QCOMPARE(static_cast<double>(mid), (lo + hi) / 2);
                const float s = sign ? -1.0f : 1.0f;
                const std::uint16_t even = (h & 1) ? h + 1 : h;
                QCOMPARE(floatToFp16(s * mid), static_cast<std::uint16_t>(sign | even));
                QCOMPARE(floatToFp16(s * std::nextafter(mid, 0.0f)), static_cast<std::uint16_t>(sign | h));
                QCOMPARE(floatToFp16(s * std::nextafter(mid, 1e9f)), static_cast<std::uint16_t>(sign | (h + 1)));
            }
        }
    }

    void floatToFp16EdgeCases()
    {
        QCOMPARE(floatToFp16(0.0f), std::uint16_t(0x0000));
        QCOMPARE(floatToFp16(-0.0f), std::uint16_t(0x8000));
        QCOMPARE(floatToFp16(1.0f), std::uint16_t(0x3C00));
        QCOMPARE(floatToFp16(1.0f + 0x1p-11f), std::uint16_t(0x3C00));         // tie, 0x3C00 is even
        QCOMPARE(floatToFp16(1.0f + 3 * 0x1p-11f), std::uint16_t(0x3C02));     // tie, 0x3C02 is even
        QCOMPARE(floatToFp16(1.0f + 0x1p-11f + 0x1p-23f), std::uint16_t(0x3C01));
        QCOMPARE(floatToFp16(2.0f - 0x1p-11f), std::uint16_t(0x4000));         // tie carries into the exponent
        // Overflow: 65504 is the largest fp16; 65520 is halfway to 2^16 and ties to even (infinity).
        QCOMPARE(floatToFp16(65504.0f), std::uint16_t(0x7BFF));
        QCOMPARE(floatToFp16(std::nextafter(65520.0f, 0.0f)), std::uint16_t(0x7BFF));
        QCOMPARE(floatToFp16(65520.0f), std::uint16_t(0x7C00));
        QCOMPARE(floatToFp16(-65520.0f), std::uint16_t(0xFC00));
        QCOMPARE(floatToFp16(1e10f), std::uint16_t(0x7C00));
        QCOMPARE(floatToFp16(std::numeric_limits<float>::max()), std::uint16_t(0x7C00));
        QCOMPARE(floatToFp16(std::numeric_limits<float>::infinity()), std::uint16_t(0x7C00));
        QCOMPARE(floatToFp16(-std::numeric_limits<float>::infinity()), std::uint16_t(0xFC00));
        // Subnormals: steps of 2^-24; 2^-25 is halfway to the smallest and ties to zero.
        QCOMPARE(floatToFp16(0x1p-24f), std::uint16_t(0x0001));
        QCOMPARE(floatToFp16(0x1p-25f), std::uint16_t(0x0000));
        QCOMPARE(floatToFp16(std::nextafter(0x1p-25f, 1.0f)), std::uint16_t(0x0001));
        QCOMPARE(floatToFp16(-0x1p-25f), std::uint16_t(0x8000));
        QCOMPARE(floatToFp16(3 * 0x1p-25f), std::uint16_t(0x0002)); // tie between 1 and 2
        QCOMPARE(floatToFp16(5 * 0x1p-25f), std::uint16_t(0x0002)); // tie between 2 and 3
        QCOMPARE(floatToFp16(1023 * 0x1p-24f), std::uint16_t(0x03FF));
        QCOMPARE(floatToFp16(0x1p-14f - 0x1p-25f), std::uint16_t(0x0400)); // tie into the smallest normal
        QCOMPARE(floatToFp16(0x1p-14f), std::uint16_t(0x0400));
        QCOMPARE(floatToFp16(std::numeric_limits<float>::denorm_min()), std::uint16_t(0x0000));
        QCOMPARE(floatToFp16(-1e-30f), std::uint16_t(0x8000));
        // NaN stays NaN and keeps its sign.
        QVERIFY(isHalfNaN(floatToFp16(std::numeric_limits<float>::quiet_NaN())));
        QVERIFY(isHalfNaN(floatToFp16(fromBits(0x7F800001u)))); // signalling NaN with a low payload
        QVERIFY(isHalfNaN(floatToFp16(fromBits(0xFFC00000u))));
        QCOMPARE(floatToFp16(fromBits(0xFFC00000u)) & 0x8000, 0x8000);
    }

    void floatToFp16MatchesNearestValueOnRandomFloats()
    {
        std::vector<double> positive(0x7C00);
        for (std::uint16_t h = 0; h < 0x7C00; ++h)
            positive[h] = halfValue(h);
        std::mt19937 rng(20240611);
        // Float exponents from far below the fp16 subnormals to beyond its overflow, all mantissas.
        std::uniform_int_distribution<std::uint32_t> exponent(90, 150), mantissa(0, 0x7FFFFF), sign(0, 1);
        for (int i = 0; i < 1'000'000; ++i) {
            const float f = fromBits((sign(rng) << 31) | (exponent(rng) << 23) | mantissa(rng));
            const std::uint16_t want = nearestHalf(f, positive);
            if (floatToFp16(f) != want)
                QFAIL(qPrintable(QString("float %1 (0x%2): got 0x%3, want 0x%4")
                                     .arg(static_cast<double>(f), 0, 'g', 9)
                                     .arg(bitsOf(f), 8, 16, QChar('0'))
                                     .arg(floatToFp16(f), 4, 16, QChar('0'))
                                     .arg(want, 4, 16, QChar('0'))));
        }
    }

    void bf16RoundTripsThroughFloat()
    {
        for (std::uint32_t b = 0; b <= 0xFFFF; ++b) {
            const auto bf = static_cast<std::uint16_t>(b);
            const float f = bf16ToFloat(bf);
            QCOMPARE(bitsOf(f), b << 16); // bf16 is the top half of a float
            const bool nan = (b & 0x7F80u) == 0x7F80u && (b & 0x7Fu) != 0;
            if (nan) {
                QVERIFY(std::isnan(bf16ToFloat(floatToBf16(f))));
                QCOMPARE(floatToBf16(f) & 0x8000u, b & 0x8000u);
            } else {
                QCOMPARE(floatToBf16(f), bf);
            }
        }
    }

    void floatToBf16RoundsToNearestEven()
    {
        QCOMPARE(floatToBf16(1.0f), std::uint16_t(0x3F80));
        QCOMPARE(floatToBf16(1.0f + 0x1p-8f), std::uint16_t(0x3F80));          // tie, 0x3F80 is even
        QCOMPARE(floatToBf16(1.0f + 3 * 0x1p-8f), std::uint16_t(0x3F82));      // tie, 0x3F82 is even
        QCOMPARE(floatToBf16(1.0f + 0x1p-8f + 0x1p-23f), std::uint16_t(0x3F81));
        QCOMPARE(floatToBf16(1.0f + 0x1p-8f - 0x1p-23f), std::uint16_t(0x3F80));
        QCOMPARE(floatToBf16(-3.0f), std::uint16_t(0xC040));
        QCOMPARE(floatToBf16(fromBits(0x3FFF8000u)), std::uint16_t(0x4000)); // tie carries into the exponent
        QCOMPARE(floatToBf16(fromBits(0x7F7F7FFFu)), std::uint16_t(0x7F7F)); // just below the tie: largest
        QCOMPARE(floatToBf16(fromBits(0x7F7F8000u)), std::uint16_t(0x7F80)); // tie at the top: infinity
        QCOMPARE(floatToBf16(std::numeric_limits<float>::max()), std::uint16_t(0x7F80));
        QCOMPARE(floatToBf16(-std::numeric_limits<float>::infinity()), std::uint16_t(0xFF80));
        QCOMPARE(floatToBf16(fromBits(0x00018000u)), std::uint16_t(0x0002)); // subnormal tie, 1 -> 2
        QCOMPARE(floatToBf16(fromBits(0x00008000u)), std::uint16_t(0x0000)); // subnormal tie, 0 stays
        QCOMPARE(floatToBf16(-0.0f), std::uint16_t(0x8000));
        // NaNs stay NaN (a low-payload NaN must not round into infinity) and keep their sign.
        for (std::uint32_t nan : {0x7F800001u, 0x7FC00000u, 0xFF800001u, 0x7FFFFFFFu}) {
            const std::uint16_t b = floatToBf16(fromBits(nan));
            QVERIFY((b & 0x7F80u) == 0x7F80u && (b & 0x7Fu) != 0);
            QCOMPARE(b & 0x8000u, (nan >> 16) & 0x8000u);
        }
        // Random floats against exact rounding of the 32-bit pattern.
        std::mt19937 rng(7);
        for (int i = 0; i < 1'000'000; ++i) {
            const std::uint32_t x = rng();
            if ((x & 0x7FFFFFFFu) > 0x7F800000u)
                continue;
            const std::uint32_t low = x & 0xFFFFu, high = x >> 16;
            const std::uint32_t want = low > 0x8000u || (low == 0x8000u && (high & 1u)) ? high + 1 : high;
            QCOMPARE(static_cast<std::uint32_t>(floatToBf16(fromBits(x))), want);
        }
    }
};

QTEST_GUILESS_MAIN(TestHalf)
#include "test_half.moc"
