// Writer -> reader round trips, the writer's exact output bytes, and the reader on a file written by hand
// from the format description (so a bug shared by our writer and reader cannot hide).
#include "safetensors/safetensors.h"
#include "safetensors_test_util.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>

using namespace ponder;
using namespace ponder::test;

namespace {

std::vector<float> ramp(std::size_t n, float scale)
{
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = scale * (static_cast<float>(i) - static_cast<float>(n) / 3.0f);
    return v;
}

std::uint64_t headerLength(const std::string& file)
{
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<std::uint8_t>(file[static_cast<std::size_t>(i)]);
    return n;
}

} // namespace

class TestSafetensorsRoundTrip : public QObject {
    Q_OBJECT

private slots:
    void roundTripsEveryFloatTypeAndRank()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto path = std::filesystem::path(dir.path().toStdString()) / "model.safetensors";

        struct Case {
            std::string name;
            TensorType type;
            std::vector<std::int64_t> dims;
            std::vector<std::uint8_t> bytes;
        };
        const std::vector<Case> cases = {
            {"vec.f32", TensorType::F32, {5}, f32Bytes(ramp(5, 0.5f))},
            {"mat.f16", TensorType::F16, {3, 2}, f16Bytes(ramp(6, 0.25f))},
            {"cube.bf16", TensorType::BF16, {4, 3, 2}, bf16Bytes(ramp(24, 1.5f))},
            {"scalar.f32", TensorType::F32, {}, f32Bytes({3.25f})},
            {"empty.f16", TensorType::F16, {4, 0}, {}},
        };
        SafetensorsWriter writer;
        for (const auto& c : cases)
            writer.add(c.name, c.type, c.dims, c.bytes);
        writer.setMetadata("format", "pt");
        writer.setMetadata("comment", "caf\xC3\xA9");
        QCOMPARE(writer.dataBytes(), std::uint64_t(20 + 12 + 48 + 4));
        writer.write(path);

        const std::string raw = readFile(path);
        const std::uint64_t n = headerLength(raw);
        QCOMPARE(n % 8, std::uint64_t(0));
        QCOMPARE(raw.size(), 8 + n + writer.dataBytes());

        auto file = SafetensorsFile::open(path);
        QCOMPARE(file->fileSize(), std::uint64_t(raw.size()));
        QCOMPARE(file->tensors().size(), cases.size());
        QCOMPARE(file->metadata().size(), std::size_t(2));
        QCOMPARE(file->metadata().at("format"), std::string("pt"));
        QCOMPARE(file->metadata().at("comment"), std::string("caf\xC3\xA9"));
        for (const auto& c : cases) {
            const TensorView* t = file->tensor(c.name);
            QVERIFY2(t, c.name.c_str());
            QCOMPARE(t->name, c.name);
            QCOMPARE(t->type, c.type);
            const std::vector<std::int64_t> expectedDims = c.dims.empty() ? std::vector<std::int64_t>{1} : c.dims;
            QCOMPARE(t->dims, expectedDims);
            QCOMPARE(asString(t->data), asString(c.bytes));
        }
        QVERIFY(!file->tensor("missing"));
    }

    void headerKeepsInsertionOrderContiguousOffsetsAndPadding()
    {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "order.safetensors";
        SafetensorsWriter writer;
        // Names deliberately not in alphabetical order, and sizes that leave the header unaligned.
        writer.add("zeta", TensorType::F16, {3}, f16Bytes({1, 2, 3}));
        writer.add("alpha", TensorType::F32, {2, 1}, f32Bytes({4, 5}));
        writer.add("mid", TensorType::BF16, {1}, bf16Bytes({6}));
        writer.write(path);

        const std::string raw = readFile(path);
        const std::uint64_t n = headerLength(raw);
        const std::string text = raw.substr(8, n);
        const auto end = text.find_last_not_of(' ');
        QVERIFY(n - (end + 1) < 8); // only padding follows the JSON, and never a whole 8 spaces
        QCOMPARE(n % 8, std::uint64_t(0));
        const auto header = nlohmann::ordered_json::parse(text);
        std::vector<std::string> names;
        for (const auto& [key, value] : header.items())
            names.push_back(key);
        QCOMPARE(names, (std::vector<std::string>{"zeta", "alpha", "mid"}));
        // (Compared as text: QCOMPARE cannot take nlohmann values.)
        QCOMPARE(header["zeta"]["data_offsets"].dump(), std::string("[0,6]"));
        QCOMPARE(header["alpha"]["data_offsets"].dump(), std::string("[6,14]"));
        QCOMPARE(header["mid"]["data_offsets"].dump(), std::string("[14,16]"));
        QCOMPARE(header["alpha"]["shape"].dump(), std::string("[1,2]")); // ggml {2, 1} -> PyTorch [1, 2]
        QVERIFY(!header.contains("__metadata__")); // none was set
    }

    void writerProducesExactBytes()
    {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "exact.safetensors";
        SafetensorsWriter writer;
        writer.setMetadata("format", "pt");
        writer.add("a", TensorType::F32, {2}, f32Bytes({1.0f, 2.0f}));
        writer.write(path);
        // 85 bytes of JSON + 3 spaces = 88 = 0x58.
        const std::string expected =
            std::string("\x58\0\0\0\0\0\0\0", 8) +
            R"({"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})" + "   " +
            std::string("\x00\x00\x80\x3F\x00\x00\x00\x40", 8);
        QCOMPARE(readFile(path), expected);
    }

    void readsHandWrittenFile()
    {
        // Written from the format description: keys in no particular order, metadata last, a scalar, an
        // empty tensor, non-ASCII text, and trailing spaces in the header.
        const std::string header =
            R"({"w":{"dtype":"BF16","shape":[2,3],"data_offsets":[4,16]},)"
            R"("b":{"dtype":"F16","shape":[3],"data_offsets":[16,22]},)"
            R"("s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},)"
            R"("z":{"dtype":"F32","shape":[0,5],"data_offsets":[22,22]},)"
            R"("__metadata__":{"format":"pt","note":"h\u00e9llo \u2713"}}    )";
        const std::string data = std::string("\x00\x00\x20\x41", 4) +          // s = 10.0f
                                 std::string("\x80\x3F\x00\x40\x40\x40", 6) +  // w row 0: 1, 2, 3 (bf16)
                                 std::string("\x80\x40\xA0\x40\xC0\x40", 6) +  // w row 1: 4, 5, 6
                                 std::string("\x00\x3C\x00\xC0\x00\x38", 6);   // b = 1, -2, 0.5 (fp16)
        const std::string bytes = rawSafetensors(header, data);
        auto file = SafetensorsFile::parse(asBytes(bytes), "hand.safetensors");

        QCOMPARE(file->tensors().size(), std::size_t(4));
        QCOMPARE(file->metadata().at("format"), std::string("pt"));
        QCOMPARE(file->metadata().at("note"), std::string("h\xC3\xA9llo \xE2\x9C\x93"));
        const std::size_t dataStart = 8 + header.size();

        const TensorView* w = file->tensor("w");
        QVERIFY(w);
        QCOMPARE(w->type, TensorType::BF16);
        QCOMPARE(w->dims, (std::vector<std::int64_t>{3, 2})); // PyTorch [out=2, in=3] -> ggml {in, out}
        QCOMPARE(w->rowLength(), std::int64_t(3));
        QCOMPARE(w->rowCount(), std::int64_t(2));
        QVERIFY(w->data.data() == asBytes(bytes).data() + dataStart + 4); // a view into the buffer, no copy
        QCOMPARE(w->data.size(), std::size_t(12));
        QCOMPARE(bf16ToFloat(static_cast<std::uint16_t>(w->data[10] | (w->data[11] << 8))), 6.0f);

        const TensorView* b = file->tensor("b");
        QVERIFY(b);
        QCOMPARE(b->type, TensorType::F16);
        QCOMPARE(b->dims, (std::vector<std::int64_t>{3}));
        QCOMPARE(fp16ToFloat(static_cast<std::uint16_t>(b->data[2] | (b->data[3] << 8))), -2.0f);

        const TensorView* s = file->tensor("s");
        QVERIFY(s);
        QCOMPARE(s->dims, (std::vector<std::int64_t>{1}));
        float value = 0;
        std::memcpy(&value, s->data.data(), 4);
        QCOMPARE(value, 10.0f);

        const TensorView* z = file->tensor("z");
        QVERIFY(z);
        QCOMPARE(z->dims, (std::vector<std::int64_t>{5, 0}));
        QCOMPARE(z->data.size(), std::size_t(0));
        QCOMPARE(z->elements(), std::int64_t(0));
    }

    void acceptsEmptyHeaderObjectAndNullMetadata()
    {
        auto empty = SafetensorsFile::parse(asBytes(rawSafetensors("{}")), "empty.safetensors");
        QVERIFY(empty->tensors().empty());
        QVERIFY(empty->metadata().empty());
        auto nullMeta =
            SafetensorsFile::parse(asBytes(rawSafetensors(R"({"__metadata__":null})")), "null.safetensors");
        QVERIFY(nullMeta->metadata().empty());
    }

    void tensorsComeBackInNameOrder()
    {
        const std::string header = R"({"c":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                   R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
        auto file = SafetensorsFile::parse(asBytes(rawSafetensors(header, std::string(8, '\0'))), "x");
        QCOMPARE(file->tensors().size(), std::size_t(2));
        QCOMPARE(file->tensors()[0].name, std::string("a"));
        QCOMPARE(file->tensors()[1].name, std::string("c"));
    }
};

QTEST_GUILESS_MAIN(TestSafetensorsRoundTrip)
#include "test_safetensors_roundtrip.moc"
