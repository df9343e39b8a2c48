// quantizeRow: random rows (fixed seeds, several distributions) must come back from quantise + dequantise
// within each format's error bound; values already on a format's grid must come back bit for bit; zero rows,
// outliers and values no format can hold are handled.
#include "core/error.h"
#include "core/half.h"
#include "formats/quant.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace ponder;

namespace {

using Bytes = std::vector<std::uint8_t>;

const TensorType kBlockTypes[] = {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0,
                                  TensorType::Q5_1, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K};

enum class Distribution { Gaussian, Uniform, Laplace, Positive, MixedScale };
const Distribution kDistributions[] = {Distribution::Gaussian, Distribution::Uniform, Distribution::Laplace,
                                       Distribution::Positive, Distribution::MixedScale};
const char* const kDistributionNames[] = {"gaussian", "uniform", "laplace", "positive", "mixed-scale"};

constexpr std::int64_t kRowLength = 65536;
constexpr int kChunk = 256; // MixedScale changes its scale every kChunk values (one super-block)

std::vector<float> makeRow(Distribution dist, std::int64_t n, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> gaussian(0.0f, 1.0f);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f), positive(0.0f, 1.0f), exponent(-2.0f, 3.0f);
    std::exponential_distribution<float> exponential(1.0f);
    std::vector<float> row(static_cast<std::size_t>(n));
    float chunkScale = 1.0f;
    for (std::int64_t i = 0; i < n; ++i) {
        float& v = row[static_cast<std::size_t>(i)];
        switch (dist) {
        case Distribution::Gaussian: v = gaussian(rng); break;
        case Distribution::Uniform: v = uniform(rng); break;
        case Distribution::Laplace: v = exponential(rng) * (rng() & 1 ? 1.0f : -1.0f); break;
        case Distribution::Positive: v = positive(rng); break;
        case Distribution::MixedScale:
            if (i % kChunk == 0)
                chunkScale = std::pow(10.0f, exponent(rng));
            v = gaussian(rng) * chunkScale;
            break;
        }
    }
    return row;
}

Bytes quantize(TensorType type, const std::vector<float>& x)
{
    Bytes bytes(*rowBytes(type, x.size()));
    quantizeRow(type, x.data(), bytes.data(), static_cast<std::int64_t>(x.size()));
    return bytes;
}

std::vector<float> dequantize(TensorType type, const Bytes& bytes, std::size_t count)
{
    std::vector<float> y(count);
    dequantizeRow(type, bytes.data(), y.data(), static_cast<std::int64_t>(count));
    return y;
}

std::vector<float> roundTrip(TensorType type, const std::vector<float>& x)
{
    return dequantize(type, quantize(type, x), x.size());
}

// RMS of (y - x) over RMS of x, for values [begin, end).
double relativeRms(const std::vector<float>& x, const std::vector<float>& y, std::size_t begin, std::size_t end)
{
    double err = 0.0, ref = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
        err += (static_cast<double>(y[i]) - x[i]) * (static_cast<double>(y[i]) - x[i]);
        ref += static_cast<double>(x[i]) * x[i];
    }
    return std::sqrt(err / ref);
}

// For MixedScale rows the error is measured per chunk (relative to that chunk's own RMS) so that the
// small-scale chunks count as much as the large ones; other rows are measured as a whole.
double rowError(Distribution dist, const std::vector<float>& x, const std::vector<float>& y)
{
    if (dist != Distribution::MixedScale)
        return relativeRms(x, y, 0, x.size());
    double sum = 0.0;
    const std::size_t chunks = x.size() / kChunk;
    for (std::size_t c = 0; c < chunks; ++c) {
        const double e = relativeRms(x, y, c * kChunk, (c + 1) * kChunk);
        sum += e * e;
    }
    return std::sqrt(sum / static_cast<double>(chunks));
}

// Upper bounds on rowError, per distribution in kDistributions order: the measured errors (in the comment,
// for these seeds and kRowLength) plus about 8%. Offset formats do far better on all-positive rows.
struct ErrorBounds {
    TensorType type;
    double bound[5];
};
const ErrorBounds kBounds[] = {
    {TensorType::Q8_0, {0.0058, 0.0041, 0.0073, 0.0041, 0.0058}}, // .00533 .00375 .00675 .00374 .00537
    {TensorType::Q4_0, {0.093, 0.070, 0.116, 0.065, 0.093}},      // .0858 .0649 .1072 .0595 .0862
    {TensorType::Q4_1, {0.085, 0.066, 0.099, 0.033, 0.085}},      // .0782 .0606 .0919 .0303 .0790
    {TensorType::Q5_0, {0.046, 0.034, 0.058, 0.032, 0.046}},      // .0426 .0312 .0535 .0297 .0429
    {TensorType::Q5_1, {0.041, 0.032, 0.048, 0.016, 0.041}},      // .0377 .0294 .0446 .0147 .0380
    {TensorType::Q4_K, {0.078, 0.060, 0.092, 0.032, 0.078}},      // .0718 .0551 .0850 .0293 .0723
    {TensorType::Q5_K, {0.039, 0.030, 0.046, 0.0156, 0.039}},     // .0360 .0277 .0429 .0144 .0363
    {TensorType::Q6_K, {0.0193, 0.0145, 0.0236, 0.0143, 0.0194}}, // .0179 .0134 .0219 .0132 .0179
};

std::uint32_t bitsOf(float f) { return std::bit_cast<std::uint32_t>(f); }

bool sameBits(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

int blockElems(TensorType type) { return static_cast<int>(tensorTypeInfo(type).blockElems); }

void putU16(std::uint8_t* at, std::uint16_t v)
{
    at[0] = static_cast<std::uint8_t>(v & 0xFF);
    at[1] = static_cast<std::uint8_t>(v >> 8);
}

// A random fp16 scale with magnitude in [2^-12, 2^2).
std::uint16_t randomScale(std::mt19937& rng)
{
    std::uniform_int_distribution<int> exponent(3, 16), mantissa(0, 0x3FF);
    return static_cast<std::uint16_t>((exponent(rng) << 10) | mantissa(rng));
}

// Q4_K/Q5_K blocks that satisfy what the quantiser produces: some sub-block has scale 63 and some min 63
// (the super-block scales are max/63) or all mins are 0 with dmin 0, no scale is 0, and every sub-block
// uses levels 0 and nmax. dmin stays within a few powers of two of d, as for real weights: a min far
// below one step would be lost in the float rounding of the decoded values themselves.
Bytes canonicalOffsetKBlocks(bool fiveBit, int blocks, std::mt19937& rng)
{
    const int nmax = fiveBit ? 31 : 15, bytesPer = fiveBit ? 176 : 144;
    Bytes out(static_cast<std::size_t>(blocks * bytesPer));
    std::uniform_int_distribution<int> six(1, 63), level(0, nmax), sub(0, 7), exponent(3, 14), ratio(-2, 4),
        mantissa(0, 0x3FF);
    for (int b = 0; b < blocks; ++b) {
        std::uint8_t* block = out.data() + b * bytesPer;
        const bool noMins = b % 8 == 7;
        const int e = exponent(rng);
        putU16(block, static_cast<std::uint16_t>((e << 10) | mantissa(rng)));
        putU16(block + 2, noMins ? 0 : static_cast<std::uint16_t>(((e + ratio(rng)) << 10) | mantissa(rng)));
        int sc[8], m[8], L[256];
        for (int j = 0; j < 8; ++j) {
            sc[j] = six(rng);
            m[j] = noMins ? 0 : six(rng) - 1; // mins may be 0
        }
        sc[sub(rng)] = 63;
        if (!noMins)
            m[sub(rng)] = 63;
        for (int j = 0; j < 8; ++j) {
            for (int i = 0; i < 32; ++i)
                L[32 * j + i] = level(rng);
            L[32 * j + 3] = 0;
            L[32 * j + 17] = nmax;
        }
        std::uint8_t* s = block + 4;
        for (int j = 0; j < 4; ++j) {
            s[j] = static_cast<std::uint8_t>(sc[j] | ((sc[j + 4] >> 4) << 6));
            s[j + 4] = static_cast<std::uint8_t>(m[j] | ((m[j + 4] >> 4) << 6));
            s[j + 8] = static_cast<std::uint8_t>((sc[j + 4] & 0xF) | ((m[j + 4] & 0xF) << 4));
        }
        std::uint8_t* qh = block + 16;
        std::uint8_t* qs = block + (fiveBit ? 48 : 16);
        for (int t = 0; t < 4; ++t) {
            for (int l = 0; l < 32; ++l) {
                const int lo = L[64 * t + l], hi = L[64 * t + 32 + l];
                qs[32 * t + l] = static_cast<std::uint8_t>((lo & 0xF) | ((hi & 0xF) << 4));
                if (fiveBit)
                    qh[l] = static_cast<std::uint8_t>(qh[l] | ((lo >> 4) << (2 * t)) | ((hi >> 4) << (2 * t + 1)));
            }
        }
    }
    return out;
}

// Q6_K blocks as the quantiser produces them: some sub-block has scale -128 and none 0, and in every
// sub-block one value sits on level -32 while the others stay within [-31, 31].
Bytes canonicalQ6KBlocks(int blocks, std::mt19937& rng)
{
    Bytes out(static_cast<std::size_t>(blocks * 210));
    std::uniform_int_distribution<int> scale(-127, 127), level(-31, 31), sub(0, 15), pos(0, 15);
    for (int b = 0; b < blocks; ++b) {
        std::uint8_t* block = out.data() + b * 210;
        int L[256];
        for (int j = 0; j < 16; ++j) {
            int s = 0;
            while (s == 0)
                s = scale(rng);
            block[192 + j] = static_cast<std::uint8_t>(static_cast<std::int8_t>(s));
            for (int i = 0; i < 16; ++i)
                L[16 * j + i] = level(rng) + 32;
            L[16 * j + pos(rng)] = 0;
        }
        block[192 + sub(rng)] = 0x80; // -128
        std::uint16_t d = randomScale(rng);
        if (rng() & 1)
            d |= 0x8000; // either sign
        putU16(block + 208, d);
        for (int h = 0; h < 2; ++h) {
            for (int l = 0; l < 32; ++l) {
                const int* q = L + 128 * h;
                block[64 * h + l] = static_cast<std::uint8_t>((q[l] & 0xF) | ((q[l + 64] & 0xF) << 4));
                block[64 * h + l + 32] = static_cast<std::uint8_t>((q[l + 32] & 0xF) | ((q[l + 96] & 0xF) << 4));
                block[128 + 32 * h + l] = static_cast<std::uint8_t>((q[l] >> 4) | ((q[l + 32] >> 4) << 2) |
                                                                    ((q[l + 64] >> 4) << 4) | ((q[l + 96] >> 4) << 6));
            }
        }
    }
    return out;
}

} // namespace

class TestQuantize : public QObject {
    Q_OBJECT

private slots:
    void errorWithinFormatBounds()
    {
        for (const auto& bounds : kBounds) {
            for (int d = 0; d < 5; ++d) {
                const auto x = makeRow(kDistributions[d], kRowLength, 1000 + d);
                const double err = rowError(kDistributions[d], x, roundTrip(bounds.type, x));
                qInfo("%s %-11s relative RMS error %.5f (bound %.4f)", tensorTypeName(bounds.type).c_str(),
                      kDistributionNames[d], err, bounds.bound[d]);
                QVERIFY2(err <= bounds.bound[d],
                         qPrintable(QString("%1 on %2 rows: relative RMS error %3 exceeds %4")
                                        .arg(QString::fromStdString(tensorTypeName(bounds.type)),
                                             kDistributionNames[d])
                                        .arg(err)
                                        .arg(bounds.bound[d])));
            }
        }
    }

    void simpleFormatsReproduceDecodedRows()
    {
        // A decoded row is on the grid: quantising it again must give the same bytes and values.
        for (TensorType type : {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0,
                                TensorType::Q5_1}) {
            for (int d = 0; d < 5; ++d) {
                const Bytes first = quantize(type, makeRow(kDistributions[d], 8192, 2000 + d));
                const auto decoded = dequantize(type, first, 8192);
                const Bytes second = quantize(type, decoded);
                QVERIFY2(sameBits(dequantize(type, second, 8192), decoded),
                         qPrintable(QString::fromStdString(tensorTypeName(type)) + " " + kDistributionNames[d]));
                QVERIFY(second == first);
            }
        }
    }

    void kQuantsReproduceBlocksOnTheirGrid()
    {
        std::mt19937 rng(99);
        const struct {
            TensorType type;
            Bytes blocks;
        } cases[] = {
            {TensorType::Q4_K, canonicalOffsetKBlocks(false, 64, rng)},
            {TensorType::Q5_K, canonicalOffsetKBlocks(true, 64, rng)},
            {TensorType::Q6_K, canonicalQ6KBlocks(64, rng)},
        };
        for (const auto& c : cases) {
            const auto decoded = dequantize(c.type, c.blocks, 64 * 256);
            const Bytes again = quantize(c.type, decoded);
            QVERIFY2(sameBits(dequantize(c.type, again, decoded.size()), decoded),
                     tensorTypeName(c.type).c_str());
            QVERIFY2(again == c.blocks, tensorTypeName(c.type).c_str());
        }
    }

    void zeroRowsStayZero()
    {
        const std::vector<float> zeros(512, 0.0f);
        for (TensorType type : kBlockTypes) {
            const auto y = roundTrip(type, zeros);
            for (float v : y)
                QCOMPARE(bitsOf(v), 0u); // +0.0 exactly, no NaN from a zero scale
        }
    }

    void valuesBelowFp16ScalesComeBackNearZero()
    {
        // Scales this small underflow fp16 (and 1e-44 is a float subnormal): no inf/NaN may appear.
        for (float magnitude : {1e-30f, 1e-44f}) {
            auto x = makeRow(Distribution::Uniform, 512, 3);
            for (float& v : x)
                v *= magnitude;
            for (TensorType type : kBlockTypes) {
                const auto y = roundTrip(type, x);
                for (std::size_t i = 0; i < x.size(); ++i)
                    QVERIFY2(std::fabs(y[i] - x[i]) <= 2 * magnitude, tensorTypeName(type).c_str());
            }
        }
    }

    void outlierKeepsItsValueAndSparesOtherBlocks()
    {
        for (TensorType type : kBlockTypes) {
            auto x = makeRow(Distribution::Gaussian, 4096, 77);
            const std::size_t at = 1000;
            for (float outlier : {1000.0f, -1000.0f}) {
                x[at] = outlier;
                const auto y = roundTrip(type, x);
                const std::size_t block = static_cast<std::size_t>(blockElems(type));
                const std::size_t begin = at / block * block, end = begin + block;
                const double outlierError = std::fabs(static_cast<double>(y[at]) - outlier) / 1000.0;
                double othersError = 0.0, othersRef = 0.0, worstInBlock = 0.0;
                for (std::size_t i = 0; i < x.size(); ++i) {
                    const double e = static_cast<double>(y[i]) - x[i];
                    if (i >= begin && i < end) {
                        worstInBlock = std::max(worstInBlock, std::fabs(e));
                    } else {
                        othersError += e * e;
                        othersRef += static_cast<double>(x[i]) * x[i];
                    }
                }
                const double others = std::sqrt(othersError / othersRef);
                qInfo("%s outlier %g: its error %.2e, worst in its block %.3g, others %.5f",
                      tensorTypeName(type).c_str(), static_cast<double>(outlier), outlierError, worstInBlock,
                      others);
                QVERIFY2(outlierError < 1e-3, tensorTypeName(type).c_str());
                // The outlier sets the block's step; its neighbours may lose everything below half a step.
                QVERIFY2(worstInBlock <= 0.5 * 1000.0 / positiveLevels(type), tensorTypeName(type).c_str());
                QVERIFY2(others <= 1.1 * boundFor(type, 0), tensorTypeName(type).c_str());
            }
        }
    }

    void floatFormatsConvertEachValue()
    {
        const auto x = makeRow(Distribution::MixedScale, 1024, 5);
        const auto f32 = quantize(TensorType::F32, x);
        QCOMPARE(std::memcmp(f32.data(), x.data(), f32.size()), 0);
        const auto f16 = quantize(TensorType::F16, x), bf16 = quantize(TensorType::BF16, x);
        for (std::size_t i = 0; i < x.size(); ++i) {
            QCOMPARE(static_cast<std::uint16_t>(f16[2 * i] | (f16[2 * i + 1] << 8)), floatToFp16(x[i]));
            QCOMPARE(static_cast<std::uint16_t>(bf16[2 * i] | (bf16[2 * i + 1] << 8)), floatToBf16(x[i]));
        }
        // Non-finite values are representable in the float formats and pass through.
        const std::vector<float> special = {std::numeric_limits<float>::infinity(), -0.0f};
        QVERIFY(std::isinf(roundTrip(TensorType::F16, special)[0]));
        QCOMPARE(bitsOf(roundTrip(TensorType::BF16, special)[1]), 0x80000000u);
    }

    void rejectsWhatNoFormatCanHold()
    {
        for (TensorType type : kBlockTypes) {
            for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                              -1e10f}) {
                std::vector<float> x(256, 0.5f);
                x[7] = bad;
                QVERIFY_THROWS_EXCEPTION(Error, quantize(type, x));
            }
        }
        // Finite, but the block scale would overflow fp16 (Q4_0: d = 1e6 / 8 > 65504).
        QVERIFY_THROWS_EXCEPTION(Error, quantize(TensorType::Q4_0, std::vector<float>(32, 1e6f)));
        std::vector<float> x(300, 0.0f);
        Bytes out(1024);
        QVERIFY_THROWS_EXCEPTION(Error, quantizeRow(TensorType::Q4_K, x.data(), out.data(), 300));
        QVERIFY_THROWS_EXCEPTION(Error, quantizeRow(TensorType::Q5_0, x.data(), out.data(), -32));
        QVERIFY_THROWS_EXCEPTION(Error, quantizeRow(TensorType::Q8_0, x.data(), nullptr, 32));
    }

private:
    // Steps between zero and the largest magnitude a block can hold.
    static double positiveLevels(TensorType type)
    {
        switch (type) {
        case TensorType::Q8_0: return 127;
        case TensorType::Q4_0: return 8;
        case TensorType::Q5_0: return 16;
        case TensorType::Q6_K: return 32;
        case TensorType::Q4_1:
        case TensorType::Q4_K: return 15;
        default: return 31; // Q5_1, Q5_K
        }
    }

    static double boundFor(TensorType type, int distribution)
    {
        for (const auto& b : kBounds)
            if (b.type == type)
                return b.bound[distribution];
        return 0.0;
    }
};

QTEST_GUILESS_MAIN(TestQuantize)
#include "test_quantize.moc"
