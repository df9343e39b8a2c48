// dequantizeRow against blocks built byte by byte in this file. Expected values come from the format
// definitions (ggml's dequantize_row_* formulas, written out again here per value rather than per block, and
// with the same float operation order so results must match bit for bit); a few are also spelled out as
// literals worked out by hand. Scales are given both as fp16 bit patterns and as the exact float they mean.
#include "core/error.h"
#include "formats/quant.h"

#include <QTest>

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

using namespace ponder;

namespace {

using Bytes = std::vector<std::uint8_t>;

void putU16(Bytes& out, std::uint16_t v)
{
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}

// Deterministic filler bytes; stepping by 37 (odd, and 5 mod 16) visits every nibble value in 16 steps.
std::uint8_t pattern(int i, int salt) { return static_cast<std::uint8_t>(i * 37 + salt * 101 + 11); }

Bytes patternBytes(int count, int salt)
{
    Bytes out;
    for (int i = 0; i < count; ++i)
        out.push_back(pattern(i, salt));
    return out;
}

void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

int lowNibble(std::uint8_t b) { return b & 0xF; }
int highNibble(std::uint8_t b) { return b >> 4; }

std::vector<float> dequantize(TensorType type, const Bytes& bytes, std::int64_t count)
{
    if (rowBytes(type, static_cast<std::uint64_t>(count)) != bytes.size())
        qFatal("test bug: %zu bytes do not hold %lld values", bytes.size(), static_cast<long long>(count));
    std::vector<float> out(static_cast<std::size_t>(count), -12345.0f);
    dequantizeRow(type, bytes.data(), out.data(), count);
    return out;
}

// Bitwise comparison: -0.0 differs from 0.0 and every rounding difference shows.
void compareBits(const std::vector<float>& got, const std::vector<float>& want)
{
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const auto g = std::bit_cast<std::uint32_t>(got[i]), w = std::bit_cast<std::uint32_t>(want[i]);
        if (g != w)
            QFAIL(qPrintable(QString("value %1: got %2 (0x%3), want %4 (0x%5)")
                                 .arg(i)
                                 .arg(static_cast<double>(got[i]), 0, 'g', 10)
                                 .arg(g, 8, 16, QChar('0'))
                                 .arg(static_cast<double>(want[i]), 0, 'g', 10)
                                 .arg(w, 8, 16, QChar('0'))));
    }
}

// fp16 scales used below: bit pattern and exact value.
struct Half {
    std::uint16_t bits;
    float value;
};
constexpr Half kThird = {0x3555, 0x1.554p-2f};      // 0.333251953125
constexpr Half kMinusThird = {0xB555, -0x1.554p-2f};
constexpr Half kTenth = {0x2E66, 0x1.998p-4f};      // 0.0999755859375
constexpr Half kE = {0x4170, 0x1.5Cp+1f};           // 2.71875
constexpr Half kMinusTen = {0xC900, -10.0f};
constexpr Half kTiny = {0x0003, 0x1.8p-23f};         // subnormal: 3 * 2^-24
constexpr Half kHalf = {0x3800, 0.5f};
constexpr Half kQuarter = {0x3400, 0.25f};

// ---- Expected values, one value at a time from the format definitions. ----

// Q4_0 / Q4_1: value j < 16 is the low nibble of qs[j], value j >= 16 the high nibble of qs[j - 16].
int nibbleOf32(const std::uint8_t* qs, int j) { return j < 16 ? lowNibble(qs[j]) : highNibble(qs[j - 16]); }

// Q5_0 / Q5_1: bit 4 of value j is bit j of qh read as a little-endian u32, i.e. bit j % 8 of byte j / 8.
int fifthBit(const std::uint8_t* qh, int j) { return (qh[j / 8] >> (j % 8)) & 1; }

// Q4_K / Q5_K: 6-bit scale and min of sub-block j from the 12 packed bytes.
void kScaleMin(const std::uint8_t* s, int j, int& sc, int& m)
{
    if (j < 4) {
        sc = s[j] & 0x3F;
        m = s[j + 4] & 0x3F;
    } else {
        sc = (s[j + 4] & 0x0F) | ((s[j - 4] >> 6) << 4);
        m = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
    }
}

// Q4_K / Q5_K: the 4 low bits of value e (group t = e / 64: first 32 in low nibbles, next 32 in high).
int kLowBits(const std::uint8_t* qs, int e)
{
    const int t = e / 64, r = e % 64;
    return r < 32 ? lowNibble(qs[32 * t + r]) : highNibble(qs[32 * t + r - 32]);
}

// Q5_K: bit 4 of value e is bit 2t (first 32 of group t) or 2t + 1 (next 32) of qh[e % 32].
int kFifthBit(const std::uint8_t* qh, int e)
{
    const int t = e / 64, r = e % 64;
    return (qh[r % 32] >> (2 * t + (r < 32 ? 0 : 1))) & 1;
}

// Q6_K: value e of a super-block whose ql, qh, scales start at the given pointers.
void q6kValue(const std::uint8_t* ql, const std::uint8_t* qh, const std::int8_t* scales, int e, int& q, int& sc)
{
    const int h = e / 128, part = (e % 128) / 32, l = e % 32;
    const std::uint8_t lowByte = ql[64 * h + l + (part % 2 ? 32 : 0)];
    const int low = part < 2 ? lowNibble(lowByte) : highNibble(lowByte);
    const int high = (qh[32 * h + l] >> (2 * part)) & 3;
    q = (low | (high << 4)) - 32;
    sc = scales[8 * h + l / 16 + 2 * part];
}

} // namespace

class TestDequantize : public QObject {
    Q_OBJECT

private slots:
    void floatTypes()
    {
        const float values[] = {1.5f, -0.0f, std::numeric_limits<float>::infinity(), 0x1p-140f};
        Bytes f32(sizeof values);
        std::memcpy(f32.data(), values, sizeof values);
        compareBits(dequantize(TensorType::F32, f32, 4), {1.5f, -0.0f, values[2], 0x1p-140f});

        Bytes f16;
        for (std::uint16_t h : {0x3C00, 0xC000, 0x0001, 0x7BFF, 0x8000, 0xFC00, 0x3555})
            putU16(f16, h);
        compareBits(dequantize(TensorType::F16, f16, 7),
                    {1.0f, -2.0f, 0x1p-24f, 65504.0f, -0.0f, -std::numeric_limits<float>::infinity(), kThird.value});

        Bytes bf16;
        for (std::uint16_t b : {0x3F80, 0xC040, 0x4049, 0x0001, 0x8000})
            putU16(bf16, b);
        compareBits(dequantize(TensorType::BF16, bf16, 5),
                    {1.0f, -3.0f, 3.140625f, std::bit_cast<float>(0x00010000u), -0.0f});
    }

    void q8_0()
    {
        Bytes row;
        std::vector<float> want;
        for (Half d : {kThird, kMinusTen, kTiny}) {
            putU16(row, d.bits);
            Bytes qs = patternBytes(32, d.bits & 7);
            qs[0] = 0x80; // -128
            qs[1] = 0x7F; // 127
            append(row, qs);
            for (int j = 0; j < 32; ++j)
                want.push_back(static_cast<float>(static_cast<std::int8_t>(qs[j])) * d.value);
        }
        const auto got = dequantize(TensorType::Q8_0, row, 96);
        compareBits(got, want);
        QCOMPARE(got[0], -128 * kThird.value); // -42.65625
        QCOMPARE(got[33], 127 * -10.0f);
    }

    void q4_0()
    {
        Bytes row;
        std::vector<float> want;
        for (Half d : {kThird, kMinusThird, kTiny}) {
            putU16(row, d.bits);
            Bytes qs = patternBytes(16, d.bits & 7);
            qs[0] = 0xF0; // value 0: nibble 0 -> -8; value 16: nibble 15 -> +7
            append(row, qs);
            for (int j = 0; j < 32; ++j)
                want.push_back(static_cast<float>(nibbleOf32(qs.data(), j) - 8) * d.value);
        }
        const auto got = dequantize(TensorType::Q4_0, row, 96);
        compareBits(got, want);
        QCOMPARE(got[0], -2.666015625f);   // -8 * 0.333251953125
        QCOMPARE(got[16], 2.332763671875f); // 7 * 0.333251953125
        QCOMPARE(got[32], 2.666015625f);   // negative scale flips the sign
    }

    void q4_1()
    {
        Bytes row;
        std::vector<float> want;
        const Half scales[][2] = {{kTenth, kMinusThird}, {kMinusThird, kE}, {kHalf, kQuarter}};
        for (const auto& [d, m] : scales) {
            putU16(row, d.bits);
            putU16(row, m.bits);
            Bytes qs = patternBytes(16, d.bits & 7);
            qs[0] = 0x1F; // value 0: 15, value 16: 1
            append(row, qs);
            for (int j = 0; j < 32; ++j) {
                const float scaled = static_cast<float>(nibbleOf32(qs.data(), j)) * d.value; // x = d*q + m
                want.push_back(scaled + m.value);
            }
        }
        const auto got = dequantize(TensorType::Q4_1, row, 96);
        compareBits(got, want);
        QCOMPARE(got[64], 15 * 0.5f + 0.25f);
        QCOMPARE(got[80], 1 * 0.5f + 0.25f);
    }

    void q5_0()
    {
        Bytes row;
        std::vector<float> want;
        const Bytes highBits[] = {{0x01, 0x80, 0x00, 0xFF}, {0xA5, 0x5A, 0x0F, 0xF0}, {0x00, 0x00, 0x01, 0x00}};
        const Half scales[] = {kThird, kMinusTen, kTenth};
        for (int b = 0; b < 3; ++b) {
            putU16(row, scales[b].bits);
            append(row, highBits[b]);
            Bytes qs = patternBytes(16, b);
            qs[0] = 0x3F;
            append(row, qs);
            for (int j = 0; j < 32; ++j) {
                const int q = nibbleOf32(qs.data(), j) | (fifthBit(highBits[b].data(), j) << 4);
                want.push_back(static_cast<float>(q - 16) * scales[b].value);
            }
        }
        const auto got = dequantize(TensorType::Q5_0, row, 96);
        compareBits(got, want);
        // Block 0: qh = 0xFF008001, so value 0 has bit 4 set (15 + 16 = 31 -> +15), value 16 does not
        // (3 -> -13); value 15 (bit 15) and values 24..31 (bits 24..31) have it too.
        QCOMPARE(got[0], 15 * kThird.value);
        QCOMPARE(got[16], -13 * kThird.value);
        QCOMPARE(fifthBit(highBits[0].data(), 15), 1);
        QCOMPARE(fifthBit(highBits[0].data(), 16), 0);
        QCOMPARE(fifthBit(highBits[0].data(), 24), 1);
        // Block 2: only bit 16 is set, which belongs to value 16 (the high nibble of qs[0]).
        QCOMPARE(got[64], -1 * kTenth.value);     // nibble 15, no 5th bit
        QCOMPARE(got[80], (19 - 16) * kTenth.value); // nibble 3 + 16
    }

    void q5_1()
    {
        Bytes row;
        std::vector<float> want;
        const Bytes highBits[] = {{0xFF, 0x00, 0x81, 0x7E}, {0x5A, 0xA5, 0xF0, 0x0F}};
        const Half scales[][2] = {{kTenth, kMinusTen}, {kMinusThird, kTiny}};
        for (int b = 0; b < 2; ++b) {
            putU16(row, scales[b][0].bits);
            putU16(row, scales[b][1].bits);
            append(row, highBits[b]);
            Bytes qs = patternBytes(16, b + 5);
            append(row, qs);
            for (int j = 0; j < 32; ++j) {
                const int q = nibbleOf32(qs.data(), j) | (fifthBit(highBits[b].data(), j) << 4);
                const float scaled = static_cast<float>(q) * scales[b][0].value; // x = d*q + m
                want.push_back(scaled + scales[b][1].value);
            }
        }
        compareBits(dequantize(TensorType::Q5_1, row, 64), want);
    }

    void q4_K() { checkK(false); }
    void q5_K() { checkK(true); }

    void q6_K()
    {
        const std::int8_t scales[2][16] = {{1, -1, 127, -128, 5, -7, 33, 0, 64, -64, 2, -3, 100, -100, 11, -12},
                                           {-128, 127, 9, -9, 0, 1, 77, -77, 3, 4, -5, 6, -1, 2, 50, -51}};
        const Half ds[] = {kTenth, kMinusThird};
        Bytes row;
        std::vector<float> want;
        for (int b = 0; b < 2; ++b) {
            const Bytes ql = patternBytes(128, b), qh = patternBytes(64, b + 2);
            append(row, ql);
            append(row, qh);
            for (std::int8_t s : scales[b])
                row.push_back(static_cast<std::uint8_t>(s));
            putU16(row, ds[b].bits); // d comes last
            for (int e = 0; e < 256; ++e) {
                int q, sc;
                q6kValue(ql.data(), qh.data(), scales[b], e, q, sc);
                const float dsc = ds[b].value * static_cast<float>(sc); // x = (d*sc)*q
                want.push_back(dsc * static_cast<float>(q));
            }
        }
        const auto got = dequantize(TensorType::Q6_K, row, 512);
        compareBits(got, want);

        // Spelled out: a block with d = 0.5, value 0 from ql[0] low nibble 0x5 and qh[0] bits 0-1 = 0b10
        // -> q = 0b100101 - 32 = 5, scale[0] = -3 -> -7.5; value 96 from ql[32] high nibble 0xC and qh[0]
        // bits 6-7 = 0b01 -> q = 0b011100 - 32 = -4, scale[6] = 7 -> -14; value 200 (second half, l = 8,
        // part 2) from ql[72] high nibble 0x0 and qh[40] bits 4-5 = 0b11 -> q = 48 - 32 = 16,
        // scale[8 + 0 + 4] = -128 -> -1024.
        Bytes block(210, 0);
        block[0] = 0x05;
        block[32] = 0xC0;
        block[128] = 0x42; // qh[0]: bits 0-1 = 0b10, bits 6-7 = 0b01
        block[128 + 40] = 0x30;
        block[192 + 0] = static_cast<std::uint8_t>(-3);
        block[192 + 6] = 7;
        block[192 + 12] = 0x80; // -128
        block[208] = static_cast<std::uint8_t>(kHalf.bits & 0xFF);
        block[209] = static_cast<std::uint8_t>(kHalf.bits >> 8);
        const auto single = dequantize(TensorType::Q6_K, block, 256);
        QCOMPARE(single[0], -7.5f);
        QCOMPARE(single[96], -14.0f);
        QCOMPARE(single[200], -1024.0f);
        QCOMPARE(single[1], 48.0f); // all its bits zero: q = 0 - 32, scale[0] = -3 -> 0.5 * -3 * -32
    }

    void acceptsUnalignedBlocks()
    {
        // Blocks inside a file are only 2-byte (or, after a hostile header, 1-byte) aligned.
        for (TensorType type : {TensorType::F16, TensorType::Q8_0, TensorType::Q4_K, TensorType::Q6_K}) {
            const std::int64_t count = 512;
            const Bytes bytes = patternBytes(static_cast<int>(*rowBytes(type, count)), 3);
            Bytes shifted(bytes.size() + 1);
            std::memcpy(shifted.data() + 1, bytes.data(), bytes.size());
            std::vector<float> aligned(count), unaligned(count);
            dequantizeRow(type, bytes.data(), aligned.data(), count);
            dequantizeRow(type, shifted.data() + 1, unaligned.data(), count);
            QCOMPARE(std::memcmp(aligned.data(), unaligned.data(), count * sizeof(float)), 0);
        }
    }

    void rejectsBadCounts()
    {
        Bytes bytes(1024, 0);
        std::vector<float> out(1024);
        QVERIFY_THROWS_EXCEPTION(Error, dequantizeRow(TensorType::Q4_K, bytes.data(), out.data(), 100));
        QVERIFY_THROWS_EXCEPTION(Error, dequantizeRow(TensorType::Q8_0, bytes.data(), out.data(), 33));
        QVERIFY_THROWS_EXCEPTION(Error, dequantizeRow(TensorType::F32, bytes.data(), out.data(), -1));
        QVERIFY_THROWS_EXCEPTION(Error, dequantizeRow(static_cast<TensorType>(10), bytes.data(), out.data(), 256));
        QVERIFY_THROWS_EXCEPTION(Error, dequantizeRow(TensorType::F16, nullptr, out.data(), 4));
        try {
            dequantizeRow(TensorType::Q6_K, bytes.data(), out.data(), 300);
            QFAIL("no exception");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("Q6_K") && QString(e.what()).contains("256"), e.what());
        }
        dequantizeRow(TensorType::Q4_K, bytes.data(), out.data(), 0); // an empty row is fine
    }

private:
    // Q4_K (fifthBits false) or Q5_K: two super-blocks with hand-packed 6-bit scales and mins.
    void checkK(bool fifthBits)
    {
        // Sub-block scales sc and mins m (6 bits each), packed by hand into 12 bytes:
        //   bytes 0-3:  sc[0..3] | (sc[4..7] >> 4) << 6   = 1|0, 17|2<<6, 33|3<<6, 63|0 = 01 91 E1 3F
        //   bytes 4-7:  m[0..3]  | (m[4..7] >> 4) << 6    = 0|3<<6, 2|0, 63|1<<6, 31|3<<6 = C0 02 7F DF
        //   bytes 8-11: (sc[4..7] & 15) | (m[4..7] & 15) << 4 = 5|0, 8|7<<4, 14|0, 9|12<<4 = 05 78 0E C9
        const int sc0[8] = {1, 17, 33, 63, 5, 40, 62, 9};
        const int m0[8] = {0, 2, 63, 31, 48, 7, 16, 60};
        const Bytes packed0 = {0x01, 0x91, 0xE1, 0x3F, 0xC0, 0x02, 0x7F, 0xDF, 0x05, 0x78, 0x0E, 0xC9};
        // Second block: sc = {63, 0, 48, 16, 32, 15, 1, 63}, m = {1, 62, 0, 33, 63, 16, 47, 0}:
        //   bytes 0-3:  63|2<<6, 0|0, 48|0, 16|3<<6         = BF 00 30 D0
        //   bytes 4-7:  1|3<<6, 62|1<<6, 0|2<<6, 33|0       = C1 7E 80 21
        //   bytes 8-11: 0|15<<4, 15|0, 1|15<<4, 15|0         = F0 0F F1 0F
        const int sc1[8] = {63, 0, 48, 16, 32, 15, 1, 63};
        const int m1[8] = {1, 62, 0, 33, 63, 16, 47, 0};
        const Bytes packed1 = {0xBF, 0x00, 0x30, 0xD0, 0xC1, 0x7E, 0x80, 0x21, 0xF0, 0x0F, 0xF1, 0x0F};
        for (int j = 0; j < 8; ++j) { // the test's own reading of the packing agrees with the tables
            int sc, m;
            kScaleMin(packed0.data(), j, sc, m);
            QCOMPARE(sc, sc0[j]);
            QCOMPARE(m, m0[j]);
            kScaleMin(packed1.data(), j, sc, m);
            QCOMPARE(sc, sc1[j]);
            QCOMPARE(m, m1[j]);
        }
        const Half dd[][2] = {{kTenth, kThird}, {kMinusThird, kE}}; // d, dmin; block 1 has a negative d
        const Bytes* packed[] = {&packed0, &packed1};
        Bytes row;
        std::vector<float> want;
        for (int b = 0; b < 2; ++b) {
            putU16(row, dd[b][0].bits);
            putU16(row, dd[b][1].bits);
            append(row, *packed[b]);
            const Bytes qh = patternBytes(32, b + 7), qs = patternBytes(128, b + 4);
            if (fifthBits)
                append(row, qh);
            append(row, qs);
            for (int e = 0; e < 256; ++e) {
                int sc, m;
                kScaleMin(packed[b]->data(), e / 32, sc, m);
                const int q = kLowBits(qs.data(), e) + (fifthBits ? 16 * kFifthBit(qh.data(), e) : 0);
                const float d1 = dd[b][0].value * static_cast<float>(sc); // x = (d*sc)*q - dmin*m
                const float mm = dd[b][1].value * static_cast<float>(m);
                const float scaled = d1 * static_cast<float>(q);
                want.push_back(scaled - mm);
            }
        }
        const TensorType type = fifthBits ? TensorType::Q5_K : TensorType::Q4_K;
        const auto got = dequantize(type, row, 512);
        compareBits(got, want);

        // Spelled out: d = 0.5, dmin = 0.25, sub-block 5 (group 2, high nibbles) with sc = 3, m = 2 from
        // bytes 1 (top bits 0), 5 (top bits 0) and 9 = 0x23; value 160 = 64*2 + 32 takes the high nibble of
        // qs[64] = 0x70 -> 7; for Q5_K bit 5 (= 2*2 + 1) of qh[0] = 0x20 adds 16.
        // Q4_K: 0.5*3*7 - 0.25*2 = 10; Q5_K: 0.5*3*23 - 0.5 = 34.
        Bytes block;
        putU16(block, kHalf.bits);
        putU16(block, kQuarter.bits);
        Bytes scales(12, 0);
        scales[9] = 0x23;
        append(block, scales);
        if (fifthBits) {
            Bytes qh(32, 0);
            qh[0] = 0x20;
            append(block, qh);
        }
        Bytes qs(128, 0);
        qs[64] = 0x70;
        append(block, qs);
        const auto single = dequantize(type, block, 256);
        QCOMPARE(single[160], fifthBits ? 34.0f : 10.0f);
        QCOMPARE(single[161], -0.5f);  // q = 0 in the same sub-block: just -dmin*m
        QCOMPARE(single[128], 0.0f);   // sub-block 4: sc = 0 (bits 0-3 of byte 8), m = 0
    }
};

QTEST_GUILESS_MAIN(TestDequantize)
#include "test_dequantize.moc"
