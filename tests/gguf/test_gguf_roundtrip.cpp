// GgufWriter -> GgufFile round trips: every metadata type (arrays of each, nested arrays, Unicode text), a
// custom alignment and tensors of several types and ranks must come back exactly, from bytes and from disk;
// and the writer's bytes must match a file encoded by hand from the format definition.
#include "gguf_test_util.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cmath>
#include <random>

using namespace ponder;
using namespace ponder::test;

namespace {

GgufValue unsignedValue(GgufType type, std::uint64_t v)
{
    GgufValue value;
    value.type = type;
    value.u = v;
    return value;
}

GgufValue signedValue(GgufType type, std::int64_t v)
{
    GgufValue value;
    value.type = type;
    value.i = v;
    return value;
}

GgufValue floatValue(GgufType type, double v)
{
    GgufValue value;
    value.type = type;
    value.f = v;
    return value;
}

GgufValue arrayOf(GgufType elementType, std::vector<GgufValue> items)
{
    GgufValue value;
    value.type = GgufType::Array;
    value.elementType = elementType;
    value.items = std::move(items);
    return value;
}

// Empty when `a` and `b` hold the same typed value, else a description of the first difference.
std::string difference(const GgufValue& a, const GgufValue& b, const std::string& where)
{
    if (a.type != b.type)
        return where + ": type " + std::string(ggufTypeName(a.type)) + " vs " + std::string(ggufTypeName(b.type));
    bool same = true;
    switch (a.type) {
    case GgufType::U8:
    case GgufType::U16:
    case GgufType::U32:
    case GgufType::U64: same = a.u == b.u; break;
    case GgufType::I8:
    case GgufType::I16:
    case GgufType::I32:
    case GgufType::I64: same = a.i == b.i; break;
    case GgufType::F32:
    case GgufType::F64: same = std::bit_cast<std::uint64_t>(a.f) == std::bit_cast<std::uint64_t>(b.f); break;
    case GgufType::Bool: same = a.b == b.b; break;
    case GgufType::String: same = a.s == b.s; break;
    case GgufType::Array:
        if (a.elementType != b.elementType || a.items.size() != b.items.size())
            return where + ": array element type or length differs";
        for (std::size_t k = 0; k < a.items.size(); ++k)
            if (auto d = difference(a.items[k], b.items[k], where + "[" + std::to_string(k) + "]"); !d.empty())
                return d;
        break;
    }
    return same ? std::string() : where + ": value differs";
}

std::vector<std::uint8_t> randomBytes(std::size_t n, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> out(n);
    for (auto& b : out)
        b = static_cast<std::uint8_t>(rng());
    return out;
}

struct ExpectedTensor {
    std::string name;
    TensorType type;
    std::vector<std::int64_t> dims;
    std::vector<std::uint8_t> data;
};

// A file using every metadata type, alignment 64 and tensors of several types and ranks. The last tensor
// comes from a producer, whose calls are counted in `producerCalls`.
struct RichFile {
    GgufWriter writer;
    std::vector<std::pair<std::string, GgufValue>> metadata;
    std::vector<ExpectedTensor> tensors;
    std::shared_ptr<int> producerCalls = std::make_shared<int>(0);
};

RichFile richFile()
{
    RichFile r;
    r.writer.setAlignment(64);
    r.metadata.emplace_back("general.alignment", GgufValue::ofU32(64));
    const std::vector<std::pair<std::string, GgufValue>> values = {
        {"t.u8", unsignedValue(GgufType::U8, 200)},
        {"t.i8", signedValue(GgufType::I8, -100)},
        {"t.u16", unsignedValue(GgufType::U16, 60000)},
        {"t.i16", signedValue(GgufType::I16, -30000)},
        {"t.u32", GgufValue::ofU32(4000000000u)},
        {"t.i32", GgufValue::ofI32(-2000000000)},
        {"t.f32", GgufValue::ofF32(1.5e-6f)},
        {"t.bool", GgufValue::ofBool(true)},
        {"t.string", GgufValue::ofString("h\xC3\xA9llo, \xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x8E\x89")},
        {"t.empty_string", GgufValue::ofString("")},
        {"t.u64", GgufValue::ofU64((std::uint64_t(1) << 63) + 5)},
        {"t.i64", signedValue(GgufType::I64, -(std::int64_t(1) << 62))},
        {"t.f64", floatValue(GgufType::F64, 3.141592653589793)},
        {"a.u8", arrayOf(GgufType::U8, {unsignedValue(GgufType::U8, 0), unsignedValue(GgufType::U8, 255)})},
        {"a.i8", arrayOf(GgufType::I8, {signedValue(GgufType::I8, -128), signedValue(GgufType::I8, 127)})},
        {"a.u16", arrayOf(GgufType::U16, {unsignedValue(GgufType::U16, 65535)})},
        {"a.i16", arrayOf(GgufType::I16, {signedValue(GgufType::I16, -32768), signedValue(GgufType::I16, 1)})},
        {"a.u32", GgufValue::ofU32Array({1, 2, 0xFFFFFFFFu})},
        {"a.i32", GgufValue::ofI32Array({-1, 0, 151645})},
        {"a.f32", arrayOf(GgufType::F32, {GgufValue::ofF32(-0.0f), GgufValue::ofF32(INFINITY)})},
        {"a.bool", arrayOf(GgufType::Bool, {GgufValue::ofBool(false), GgufValue::ofBool(true)})},
        {"a.string", GgufValue::ofStringArray({"a", "\xC3\xBC", "\xE6\x97\xA5\xE6\x9C\xAC", ""})},
        {"a.u64", arrayOf(GgufType::U64, {GgufValue::ofU64(~std::uint64_t(0))})},
        {"a.i64", arrayOf(GgufType::I64, {signedValue(GgufType::I64, INT64_MIN)})},
        {"a.f64", arrayOf(GgufType::F64, {floatValue(GgufType::F64, 1e300), floatValue(GgufType::F64, -2.5)})},
        {"a.empty", GgufValue::ofU32Array({})},
        {"a.nested", arrayOf(GgufType::Array, {GgufValue::ofI32Array({1, 2}), GgufValue::ofI32Array({3})})},
        {"a.nested3", arrayOf(GgufType::Array, {arrayOf(GgufType::Array, {GgufValue::ofStringArray({"x", "\xCE\xBB"}),
                                                                         GgufValue::ofStringArray({})})})},
        {"custom.unknown.key", GgufValue::ofString("kept")},
    };
    for (const auto& [key, value] : values) {
        r.writer.set(key, value);
        r.metadata.emplace_back(key, value);
    }

    r.tensors = {
        {"token_embd.weight", TensorType::Q8_0, {64, 3}, randomBytes(3 * 2 * 34, 1)},
        {"blk.0.attn_norm.weight", TensorType::F32, {5}, randomBytes(20, 2)},
        {"blk.0.ffn_down.weight", TensorType::Q6_K, {256, 2}, randomBytes(2 * 210, 3)},
        {"blk.0.attn_q.weight", TensorType::Q4_K, {256, 2, 2}, randomBytes(4 * 144, 4)},
        {"blk.0.bf16", TensorType::BF16, {2, 3, 1, 2}, randomBytes(12 * 2, 5)},
        {"blk.0.f16", TensorType::F16, {7}, randomBytes(14, 6)},
    };
    for (const auto& t : r.tensors)
        r.writer.addTensor(t.name, t.type, t.dims, t.data);
    ExpectedTensor produced{"output.weight", TensorType::Q5_0, {32, 2}, randomBytes(2 * 22, 7)};
    r.writer.addTensor(produced.name, produced.type, produced.dims, [data = produced.data, calls = r.producerCalls] {
        ++*calls;
        return data;
    });
    r.tensors.push_back(produced);
    return r;
}

} // namespace

class TestGgufRoundtrip : public QObject {
    Q_OBJECT

    // Checks `file` holds exactly `r`'s metadata (in order) and tensors (in order), with data aligned to 64
    // bytes from `fileStart` (nullptr for a memory map, which starts on a page boundary).
    void verify(const GgufFile& file, const RichFile& r, const void* fileStart)
    {
        QCOMPARE(file.version(), 3u);
        QCOMPARE(file.alignment(), std::uint64_t(64));
        QCOMPARE(file.metadata().size(), r.metadata.size());
        for (std::size_t k = 0; k < r.metadata.size(); ++k) {
            QCOMPARE(file.metadata()[k].first, r.metadata[k].first);
            const auto d = difference(r.metadata[k].second, file.metadata()[k].second, r.metadata[k].first);
            QVERIFY2(d.empty(), d.c_str());
        }
        QCOMPARE(file.tensors().size(), r.tensors.size());
        for (std::size_t k = 0; k < r.tensors.size(); ++k) {
            const TensorView& view = file.tensors()[k];
            const ExpectedTensor& want = r.tensors[k];
            QCOMPARE(view.name, want.name);
            QCOMPARE(view.type, want.type);
            QCOMPARE(view.dims, want.dims);
            QVERIFY(std::equal(view.data.begin(), view.data.end(), want.data.begin(), want.data.end()));
            QCOMPARE(file.tensor(want.name), &view);
            const auto offset =
                reinterpret_cast<std::uintptr_t>(view.data.data()) - reinterpret_cast<std::uintptr_t>(fileStart);
            QCOMPARE(offset % 64, std::uintptr_t(0));
        }
    }

private slots:
    void roundTripsThroughBytes()
    {
        const RichFile r = richFile();
        const auto bytes = r.writer.serialize();
        QCOMPARE(*r.producerCalls, 1);
        const auto file = GgufFile::parse(bytes, "rich.gguf");
        verify(*file, r, bytes.data());
        QCOMPARE(file->source(), std::string("rich.gguf"));
        QCOMPARE(file->fileSize(), std::uint64_t(bytes.size()));
        QCOMPARE(bytes.size() % 64, std::size_t(0)); // the last tensor is padded too, as ggml writes it
    }

    void roundTripsThroughAFileOnDisk()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path path = dir.filePath("rich.gguf").toStdString();
        const RichFile r = richFile();
        r.writer.write(path);
        QCOMPARE(*r.producerCalls, 1);
        const auto file = GgufFile::open(path);
        verify(*file, r, nullptr);
        QCOMPARE(file->source(), path.string());
        const std::string onDisk = readFile(path);
        const auto serialized = r.writer.serialize();
        QCOMPARE(onDisk.size(), serialized.size());
        QVERIFY(std::equal(onDisk.begin(), onDisk.end(), serialized.begin(), serialized.end(),
                           [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; }));
        QCOMPARE(std::distance(std::filesystem::directory_iterator(dir.path().toStdString()),
                               std::filesystem::directory_iterator{}),
                 std::ptrdiff_t(1)); // no temporary file left beside it
    }

    void typedAccessors()
    {
        const RichFile r = richFile();
        const auto bytes = r.writer.serialize();
        const auto file = GgufFile::parse(bytes, "rich.gguf");
        QCOMPARE(file->getInt("t.u32"), std::optional<std::int64_t>(4000000000));
        QCOMPARE(file->getInt("t.i8"), std::optional<std::int64_t>(-100));
        QCOMPARE(file->getInt("t.u64"), std::nullopt); // beyond int64
        QCOMPARE(file->getInt("t.string"), std::nullopt);
        QCOMPARE(file->getInt("absent"), std::nullopt);
        QCOMPARE(file->getFloat("t.f32"), std::optional<double>(static_cast<double>(1.5e-6f)));
        QCOMPARE(file->getFloat("t.i16"), std::optional<double>(-30000.0));
        QCOMPARE(file->getFloat("t.bool"), std::nullopt);
        QCOMPARE(file->getBool("t.bool"), std::optional<bool>(true));
        QCOMPARE(file->getBool("t.u8"), std::nullopt);
        QCOMPARE(file->getString("custom.unknown.key"), std::optional<std::string>("kept"));
        QCOMPARE(file->getString("a.string"), std::nullopt);
        QVERIFY(file->find("a.nested3") != nullptr);
        QVERIFY(file->find("a.nested") != nullptr && file->find("a.nested")->asString() == nullptr);
        QVERIFY(file->tensor("missing") == nullptr);
    }

    void defaultAlignmentWritesNoKey()
    {
        GgufWriter writer;
        writer.setAlignment(128);
        writer.setAlignment(32); // back to the default: the key goes away again
        writer.set("general.name", GgufValue::ofString("x"));
        writer.addTensor("w", TensorType::F32, {3}, std::vector<std::uint8_t>(12, 1));
        const auto bytes = writer.serialize();
        const auto file = GgufFile::parse(bytes, "d.gguf");
        QCOMPARE(file->alignment(), std::uint64_t(32));
        QVERIFY(file->find("general.alignment") == nullptr);
        // header 24 + "general.name" entry 33 + tensor info 33 = 90 bytes, so the data starts at 96.
        QCOMPARE(file->tensor("w")->data.data() - bytes.data(), std::ptrdiff_t(96));
    }

    // The writer's output, byte for byte, against the layout written out by hand from the format definition.
    void writerMatchesHandEncodedLayout()
    {
        GgufWriter writer;
        writer.set("general.architecture", GgufValue::ofString("qwen3"));
        writer.set("tokenizer.ggml.token_type", GgufValue::ofI32Array({1, 3}));
        writer.set("general.architecture", GgufValue::ofString("qwen3")); // replaces, keeps its place
        writer.set("qwen3.rope.freq_base", GgufValue::ofF32(1e6f));
        writer.addTensor("a", TensorType::F32, {3}, std::vector<std::uint8_t>(12, 0xAA));
        writer.addTensor("bb", TensorType::Q8_0, {32, 1}, std::vector<std::uint8_t>(34, 0xBB));

        RawGguf expected;
        expected.header(3, 2, 3);
        expected.key("general.architecture", GgufType::String).str("qwen3");
        expected.key("tokenizer.ggml.token_type", GgufType::Array).u32(5).u64(2).u32(1).u32(3);
        expected.key("qwen3.rope.freq_base", GgufType::F32).put(1e6f);
        expected.tensorInfo("a", {3}, 0, 0).tensorInfo("bb", {32, 1}, 8, 32).padTo(32);
        expected.raw(std::string(12, '\xAA')).padTo(32).raw(std::string(34, '\xBB')).padTo(32);
        QCOMPARE(writer.serialize(), expected.bytes);
    }
};

QTEST_GUILESS_MAIN(TestGgufRoundtrip)
#include "test_gguf_roundtrip.moc"
