// GgufWriter's checks and its behaviour on failure: mistakes are refused when made, a producer is called
// once and held to its size, and a failed write (missing folder, full disk, size limit) throws an Error
// naming the path and the system's reason and leaves no file behind.
#include "gguf/file_output.h"
#include "gguf_test_util.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/resource.h>

using namespace ponder;
using namespace ponder::test;

namespace {

std::size_t entriesIn(const QTemporaryDir& dir)
{
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir.path().toStdString()),
                                                  std::filesystem::directory_iterator{}));
}

GgufWriter smallWriter()
{
    GgufWriter writer;
    writer.set("general.architecture", GgufValue::ofString("qwen3"));
    writer.addTensor("w", TensorType::F32, {8}, std::vector<std::uint8_t>(32, 7));
    return writer;
}

} // namespace

class TestGgufWriter : public QObject {
    Q_OBJECT

private slots:
    void refusesValuesTheirTypeCannotHold()
    {
        GgufWriter w;
        GgufValue big = GgufValue::ofU32(0);
        big.type = GgufType::U8;
        big.u = 300;
        GGUF_EXPECT_ERROR(w.set("k", big), "GGUF writer: metadata 'k': value does not fit in u8");
        GgufValue mixed = GgufValue::ofU32Array({1, 2});
        mixed.items[1] = GgufValue::ofI32(2);
        GGUF_EXPECT_ERROR(w.set("k", mixed), "metadata 'k' item 1 is i32 in an array of u32");
        GGUF_EXPECT_ERROR(w.set("k", GgufValue::ofString("\xFF")), "metadata 'k': string is not valid UTF-8");
        GGUF_EXPECT_ERROR(w.set("", GgufValue::ofU32(1)), "must be non-empty UTF-8");
        GgufValue deep = GgufValue::ofU32Array({1});
        for (int level = 0; level < 3; ++level) {
            GgufValue outer;
            outer.type = GgufType::Array;
            outer.elementType = GgufType::Array;
            outer.items = {deep};
            deep = outer;
        }
        GGUF_EXPECT_ERROR(w.set("k", deep), "arrays nested more than 3 deep");
        GGUF_EXPECT_ERROR(w.set("general.alignment", GgufValue::ofU32(48)), "non-zero power of two");
        GGUF_EXPECT_ERROR(w.setAlignment(0), "alignment 0 is not a non-zero power of two");
        GGUF_EXPECT_ERROR(w.setAlignment(3), "alignment 3 is not a non-zero power of two");
        QCOMPARE(w.serialize().size(), std::size_t(32)); // nothing above was kept: header and padding only
    }

    void refusesTensorsTheReaderWouldReject()
    {
        GgufWriter w;
        const std::vector<std::uint8_t> four(4);
        GGUF_EXPECT_ERROR(w.addTensor("", TensorType::F32, {1}, four), "a name must be 1 to 64 bytes");
        GGUF_EXPECT_ERROR(w.addTensor(std::string(65, 'n'), TensorType::F32, {1}, four), "a name must be 1 to 64");
        GGUF_EXPECT_ERROR(w.addTensor("t", TensorType::F32, {}, four), "tensor 't' has 0 dimensions");
        GGUF_EXPECT_ERROR(w.addTensor("t", TensorType::F32, {1, 1, 1, 1, 1}, four), "has 5 dimensions");
        GGUF_EXPECT_ERROR(w.addTensor("t", TensorType::F32, {1, 0}, four), "every dimension must be at least 1");
        GGUF_EXPECT_ERROR(w.addTensor("t", TensorType::Q4_K, {128}, four),
                          "tensor 't' row length 128 is not a multiple of the Q4_K block size 256");
        GGUF_EXPECT_ERROR(w.addTensor("t", TensorType::F32, {2}, four), "tensor 't' data is 4 bytes, expected 8");
        GGUF_EXPECT_ERROR(w.addTensor("t", TensorType::F32, {1}, GgufWriter::Producer{}), "has no data producer");
        w.addTensor("t", TensorType::F32, {1}, four);
        GGUF_EXPECT_ERROR(w.addTensor("t", TensorType::F32, {1}, four), "duplicate tensor name 't'");
    }

    void alignmentKeyAndSetAlignmentAgree()
    {
        GgufWriter w;
        w.set("general.alignment", GgufValue::ofU32(128));
        w.addTensor("a", TensorType::F32, {1}, std::vector<std::uint8_t>(4, 1));
        w.addTensor("b", TensorType::F32, {1}, std::vector<std::uint8_t>(4, 2));
        const auto bytes = w.serialize();
        const auto file = GgufFile::parse(bytes, "a.gguf");
        QCOMPARE(file->alignment(), std::uint64_t(128));
        QCOMPARE(file->tensor("b")->data.data() - file->tensor("a")->data.data(), std::ptrdiff_t(128));
    }

    void producerSizeIsCheckedAndNothingIsLeft()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path path = dir.filePath("short.gguf").toStdString();
        GgufWriter w = smallWriter();
        int calls = 0;
        w.addTensor("p", TensorType::F16, {4}, [&calls] {
            ++calls;
            return std::vector<std::uint8_t>(6);
        });
        GGUF_EXPECT_ERROR(w.write(path), path.string() + ": tensor 'p' data is 6 bytes, expected 8");
        QCOMPARE(calls, 1);
        QCOMPARE(entriesIn(dir), std::size_t(0));
        GGUF_EXPECT_ERROR(w.serialize(), "GGUF writer: tensor 'p' data is 6 bytes, expected 8");
    }

    void replacesAnExistingFileWhole()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path path = dir.filePath("m.gguf").toStdString();
        writeFile(path, std::string(100000, 'x'));
        smallWriter().write(path);
        const auto file = GgufFile::open(path);
        QCOMPARE(file->fileSize(), std::uint64_t(smallWriter().serialize().size()));
        QCOMPARE(entriesIn(dir), std::size_t(1));
    }

    void failedFillLeavesTheOldFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path path = dir.filePath("keep.txt").toStdString();
        writeFile(path, "old");
        GGUF_EXPECT_ERROR(writeFileAtomically(path,
                                              [](FileOutput& out) {
                                                  out.writeZeros(10000);
                                                  throw Error("stopped half way");
                                              }),
                          "stopped half way");
        QCOMPARE(readFile(path), std::string("old"));
        QCOMPARE(entriesIn(dir), std::size_t(1));
    }

    void missingFolderIsAnError()
    {
        const std::filesystem::path path = "/nonexistent-ponder-dir/sub/m.gguf";
        GGUF_EXPECT_ERROR(smallWriter().write(path), path.string() + ": cannot create a temporary file in "
                                                         "/nonexistent-ponder-dir/sub: " + std::strerror(ENOENT));
    }

    void fullDiskIsAnError()
    {
        if (!std::filesystem::exists("/dev/full"))
            QSKIP("this system has no /dev/full");
        FileOutput out(std::filesystem::path("/dev/full"));
        GGUF_EXPECT_ERROR(out.write(smallWriter().serialize()),
                          std::string("/dev/full: cannot write: ") + std::strerror(ENOSPC));
    }

    // A write that fails part way through the tensor data (here: the file size limit, standing in for a disk
    // that fills up) reports the target path and leaves nothing behind.
    void failureMidWriteLeavesNothing()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path path = dir.filePath("big.gguf").toStdString();
        GgufWriter w = smallWriter();
        w.addTensor("big", TensorType::F32, {1024, 64}, std::vector<std::uint8_t>(1024 * 64 * 4, 1));

        rlimit saved{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 65536)
            QSKIP("the file size limit is already below what this test needs");
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN); // get EFBIG instead of being killed
        rlimit limited = saved;
        limited.rlim_cur = 65536;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
        std::optional<std::string> message;
        try {
            w.write(path);
        } catch (const Error& e) {
            message = e.what();
        }
        setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, oldHandler);

        QVERIFY2(message, "writing past the file size limit did not fail");
        const std::string expected = path.string() + ": cannot write: " + std::strerror(EFBIG);
        QVERIFY2(message->find(expected) != std::string::npos, message->c_str());
        QCOMPARE(entriesIn(dir), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestGgufWriter)
#include "test_gguf_writer.moc"
