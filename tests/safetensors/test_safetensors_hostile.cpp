// Malformed and hostile safetensors files: each must be rejected with a ponder::Error that names the source
// and the exact problem, never a crash, an out-of-bounds view or a silently wrong tensor.
#include "safetensors/safetensors.h"
#include "safetensors_test_util.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace ponder;
using namespace ponder::test;

namespace {

const char* const kSource = "bad.safetensors";

// One well-formed tensor entry with the given fields, for cases that break just one of them.
std::string tensorHeader(const std::string& dtype, const std::string& shape, const std::string& offsets)
{
    return R"({"t":{"dtype":)" + dtype + R"(,"shape":)" + shape + R"(,"data_offsets":)" + offsets + "}}";
}

std::unique_ptr<SafetensorsFile> parseString(const std::string& bytes)
{
    return SafetensorsFile::parse(asBytes(bytes), kSource);
}

} // namespace

class TestSafetensorsHostile : public QObject {
    Q_OBJECT

private slots:
    void rejectsFilesShorterThanTheLengthField()
    {
        for (std::size_t size = 0; size < 8; ++size) {
            const std::string bytes(size, '\0');
            PONDER_EXPECT_ERROR(parseString(bytes), std::string(kSource) + ": file is " + std::to_string(size) +
                                                        " bytes, too short for safetensors");
        }
    }

    void rejectsHeaderLengthBeyondTheFile()
    {
        std::string bytes = rawSafetensors("{}");
        bytes[0] = 3; // claims 3 header bytes, only 2 follow
        PONDER_EXPECT_ERROR(parseString(bytes), "header length 3 runs past the end of the file (only 2 bytes");
        bytes[0] = 0;
        bytes[5] = 0x10; // 2^44: absurd before it is even compared with the file size
        PONDER_EXPECT_ERROR(parseString(bytes), "header length 17592186044416 is absurd");
        const std::string allOnes = std::string(8, '\xFF') + "{}";
        PONDER_EXPECT_ERROR(parseString(allOnes), "header length 18446744073709551615 is absurd");
    }

    void everyTruncationIsAnError()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto path = std::filesystem::path(dir.path().toStdString()) / "small.safetensors";
        SafetensorsWriter writer;
        writer.setMetadata("format", "pt");
        writer.add("a", TensorType::F16, {3, 2}, f16Bytes({1, 2, 3, 4, 5, 6}));
        writer.add("b", TensorType::F32, {1}, f32Bytes({7}));
        writer.write(path);
        const std::string whole = readFile(path);
        QVERIFY(SafetensorsFile::parse(asBytes(whole), kSource)->tensor("b"));
        for (std::size_t size = 0; size < whole.size(); ++size) {
            // A fresh heap copy of exactly `size` bytes, so ASan catches any read past the end.
            const std::string cut = whole.substr(0, size);
            const std::string message = errorMessage([&] { parseString(cut); });
            QVERIFY2(message.rfind(std::string(kSource) + ": ", 0) == 0,
                     ("truncated to " + std::to_string(size) + " bytes: " + message).c_str());
        }
    }

    void rejectsBadHeaders_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("dataBytes");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* name, const std::string& header, int dataBytes, const char* expected) {
            QTest::newRow(name) << QByteArray::fromStdString(header) << dataBytes << QString(expected);
        };
        row("array header", "[1,2]", 0, "header is an array, not a JSON object");
        row("string header", R"("tensors")", 0, "header is a string, not a JSON object");
        row("number header", "42", 0, "header is an integer, not a JSON object");
        row("empty header", "", 0, "header is not valid JSON");
        row("truncated JSON", R"({"a":)", 0, "header is not valid JSON");
        row("trailing garbage", R"({} x)", 0, "header is not valid JSON");
        row("invalid UTF-8", "{\"\xFF\":1}", 0, "header is not valid UTF-8");
        row("overlong UTF-8", "{\"\xC0\xAF\":1}", 0, "header is not valid UTF-8");
        row("duplicate name", tensorHeader(R"("F32")", "[1]", "[0,4]").insert(1, R"("t":{},)"), 4,
            "header names \"t\" more than once");
        row("entry not object", R"({"t":[1]})", 0, "tensor t is an array, not an object");
        row("missing dtype", R"({"t":{"shape":[1],"data_offsets":[0,4]}})", 4, "tensor t has no \"dtype\"");
        row("missing shape", R"({"t":{"dtype":"F32","data_offsets":[0,4]}})", 4, "tensor t has no \"shape\"");
        row("missing offsets", R"({"t":{"dtype":"F32","shape":[1]}})", 4, "tensor t has no \"data_offsets\"");
        row("dtype F8_E4M3", tensorHeader(R"("F8_E4M3")", "[4]", "[0,4]"), 4,
            "tensor t has dtype F8_E4M3, which Ponder does not support");
        row("dtype F64", tensorHeader(R"("F64")", "[1]", "[0,8]"), 8,
            "tensor t has dtype F64, which Ponder does not support");
        row("dtype I64", tensorHeader(R"("I64")", "[1]", "[0,8]"), 8, "tensor t has dtype I64, which Ponder");
        row("dtype U8", tensorHeader(R"("U8")", "[4]", "[0,4]"), 4, "tensor t has dtype U8, which Ponder");
        row("dtype BOOL", tensorHeader(R"("BOOL")", "[4]", "[0,4]"), 4, "tensor t has dtype BOOL, which Ponder");
        row("dtype lowercase", tensorHeader(R"("f32")", "[1]", "[0,4]"), 4, "tensor t has dtype f32, which");
        row("dtype number", tensorHeader("0", "[1]", "[0,4]"), 4, "tensor t has a dtype that is an integer");
        row("negative shape", tensorHeader(R"("F32")", "[-1,2]", "[0,4]"), 4,
            "tensor t has shape entry 0 = -1, which is not a non-negative integer");
        row("fractional shape", tensorHeader(R"("F32")", "[2,1.5]", "[0,12]"), 12,
            "tensor t has shape entry 1 = 1.5, which is not a non-negative integer");
        row("string shape", tensorHeader(R"("F32")", R"(["2"])", "[0,8]"), 8,
            "tensor t has shape entry 0 = \"2\", which is not a non-negative integer");
        row("shape not array", tensorHeader(R"("F32")", "2", "[0,8]"), 8,
            "tensor t has a shape that is an integer, not an array");
        row("shape entry too large", tensorHeader(R"("F32")", "[9223372036854775808]", "[0,4]"), 4,
            "tensor t has shape entry 0 = 9223372036854775808, which is too large");
        row("element count overflow", tensorHeader(R"("F32")", "[4294967296,4294967296]", "[0,4]"), 4,
            "tensor t has shape [4294967296, 4294967296] whose element count overflows");
        row("overflow hidden by zero", tensorHeader(R"("F32")", "[4294967296,4294967296,0]", "[0,0]"), 0,
            "whose element count overflows");
        row("byte size overflow", tensorHeader(R"("F32")", "[4611686018427387904]", "[0,4]"), 4,
            "tensor t has shape [4611686018427387904] whose byte size overflows");
        row("one offset", tensorHeader(R"("F32")", "[1]", "[4]"), 4,
            "tensor t has data_offsets [4], not an array of two offsets [begin, end]");
        row("three offsets", tensorHeader(R"("F32")", "[1]", "[0,4,8]"), 8,
            "tensor t has data_offsets [0,4,8], not an array of two offsets");
        row("offsets object", tensorHeader(R"("F32")", "[1]", R"({"begin":0})"), 4,
            "tensor t has data_offsets {\"begin\":0}, not an array of two offsets");
        row("negative offset", tensorHeader(R"("F32")", "[1]", "[-4,0]"), 4,
            "tensor t has data_offsets [-4,0] containing a value that is not a non-negative integer");
        row("reversed offsets", tensorHeader(R"("F32")", "[1]", "[8,4]"), 8,
            "tensor t has reversed data_offsets [8, 4] (begin after end)");
        row("offsets out of range", tensorHeader(R"("F32")", "[1]", "[4,8]"), 6,
            "tensor t has data_offsets [4, 8] that run past the end of the data section (6 bytes)");
        row("huge offsets", tensorHeader(R"("F32")", "[1]", "[18446744073709551612,18446744073709551615]"), 8,
            "run past the end of the data section (8 bytes)");
        row("size mismatch", tensorHeader(R"("F32")", "[2,3]", "[0,20]"), 24,
            "tensor t has data_offsets [0, 20] spanning 20 bytes, but its shape [2, 3] of F32 needs 24 bytes");
        row("size mismatch scalar", tensorHeader(R"("BF16")", "[]", "[0,4]"), 4,
            "spanning 4 bytes, but its shape [] of BF16 needs 2 bytes");
        row("overlap",
            R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
            R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
            12, "tensors a [0, 8) and b [4, 12) overlap");
        row("same range",
            R"({"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},)"
            R"("b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
            4, "overlap");
        row("overlap after gap",
            R"({"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
            R"("y":{"dtype":"F32","shape":[1],"data_offsets":[20,24]},)"
            R"("z":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}})",
            24, "tensors x [0, 16) and z [12, 16) overlap");
        row("metadata not object", R"({"__metadata__":["a"]})", 0, "__metadata__ is an array, not an object");
        row("metadata value number", R"({"__metadata__":{"epoch":3}})", 0,
            "__metadata__ value for \"epoch\" is an integer, not a string");
    }

    void rejectsBadHeaders()
    {
        QFETCH(QByteArray, header);
        QFETCH(int, dataBytes);
        QFETCH(QString, expected);
        const std::string bytes = rawSafetensors(header.toStdString(), std::string(std::size_t(dataBytes), '\0'));
        const std::string message = errorMessage([&] { parseString(bytes); });
        QVERIFY2(message.rfind(std::string(kSource) + ": ", 0) == 0, message.c_str());
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos,
                 ("expected \"" + expected.toStdString() + "\", got: " + message).c_str());
    }

    void emptyTensorsOverlapNothing()
    {
        // A zero-byte tensor owns no bytes, so sitting inside another tensor's range is fine.
        const std::string header = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                   R"("e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}})";
        auto file = parseString(rawSafetensors(header, std::string(8, '\0')));
        QCOMPARE(file->tensors().size(), std::size_t(2));
    }

    void openNamesThePath()
    {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "broken.safetensors";
        writeFile(path, rawSafetensors("[]"));
        PONDER_EXPECT_ERROR(SafetensorsFile::open(path), path.string() + ": header is an array");
        PONDER_EXPECT_ERROR(SafetensorsFile::open(path.parent_path() / "absent.safetensors"),
                            (path.parent_path() / "absent.safetensors").string() + ": cannot open");
    }
};

QTEST_GUILESS_MAIN(TestSafetensorsHostile)
#include "test_safetensors_hostile.moc"
