// SafetensorsWriter failure handling: bad input is refused when it is added, and an I/O or producer failure
// leaves neither a partial file nor a stray temporary behind (and never clobbers an existing file).
#include "safetensors/safetensors.h"
#include "safetensors_test_util.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <sys/resource.h>

using namespace ponder;
using namespace ponder::test;

namespace fs = std::filesystem;

namespace {

std::vector<std::string> folderEntries(const fs::path& folder)
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

class TestSafetensorsWriter : public QObject {
    Q_OBJECT

private slots:
    void refusesBadTensorsWhenAdded()
    {
        SafetensorsWriter writer;
        PONDER_EXPECT_ERROR(writer.add("q", TensorType::Q4_K, {256}, std::vector<std::uint8_t>(144)),
                            "safetensors writer: tensor q has type Q4_K, but safetensors files hold only F32, "
                            "F16 and BF16");
        PONDER_EXPECT_ERROR(writer.add("n", TensorType::F32, {2, -1}, std::vector<std::uint8_t>{}),
                            "tensor n has negative dimension -1");
        PONDER_EXPECT_ERROR(writer.add("s", TensorType::F16, {3}, std::vector<std::uint8_t>(4)),
                            "tensor s has 4 bytes of data, but its dims need 6");
        PONDER_EXPECT_ERROR(writer.add("__metadata__", TensorType::F32, {1}, f32Bytes({1})),
                            "\"__metadata__\" cannot be a tensor name");
        PONDER_EXPECT_ERROR(writer.add("", TensorType::F32, {1}, f32Bytes({1})), "\"\" cannot be a tensor name");
        writer.add("dup", TensorType::F32, {1}, f32Bytes({1}));
        PONDER_EXPECT_ERROR(writer.add("dup", TensorType::F32, {1}, f32Bytes({2})), "tensor dup was added twice");
        PONDER_EXPECT_ERROR(writer.setMetadata("k", "\xFF"), "metadata \"k\" is not valid UTF-8");
        QCOMPARE(writer.dataBytes(), std::uint64_t(4)); // only the accepted tensor counts
    }

    void producerSizeMismatchLeavesNoFile()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        const fs::path path = folder / "out.safetensors";
        SafetensorsWriter writer;
        writer.add("good", TensorType::F32, {2}, f32Bytes({1, 2}));
        writer.add("short", TensorType::BF16, {4}, [] { return std::vector<std::uint8_t>(6); });
        PONDER_EXPECT_ERROR(writer.write(path),
                            path.string() + ": tensor short produced 6 bytes, but its dims need 8");
        QVERIFY(folderEntries(folder).empty());
    }

    void throwingProducerLeavesExistingFileIntact()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        const fs::path path = folder / "out.safetensors";
        SafetensorsWriter first;
        first.add("v", TensorType::F32, {1}, f32Bytes({42}));
        first.write(path);
        const std::string before = readFile(path);

        SafetensorsWriter second;
        second.add("w", TensorType::F32, {1}, [] () -> std::vector<std::uint8_t> {
            throw std::runtime_error("conversion failed");
        });
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, second.write(path));
        QCOMPARE(readFile(path), before);
        QCOMPARE(folderEntries(folder), std::vector<std::string>{"out.safetensors"});
    }

    void replacesAnExistingFile()
    {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "out.safetensors";
        writeFile(path, "old contents");
        SafetensorsWriter writer;
        writer.add("v", TensorType::F16, {2}, f16Bytes({1, 2}));
        writer.write(path);
        auto file = SafetensorsFile::open(path);
        QVERIFY(file->tensor("v"));
        QCOMPARE(folderEntries(path.parent_path()), std::vector<std::string>{"out.safetensors"});
    }

    void missingFolderIsAnErrorNamingThePath()
    {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "no-such-folder" / "out.safetensors";
        SafetensorsWriter writer;
        writer.add("v", TensorType::F32, {1}, f32Bytes({1}));
        PONDER_EXPECT_ERROR(writer.write(path), path.string() + ": cannot create temporary file");
        PONDER_EXPECT_ERROR(writer.write(path), "No such file or directory");
    }

    void writeFailureMidFileLeavesNothing()
    {
        // A file size limit makes write() fail part-way (EFBIG), the same path as a full disk (ENOSPC).
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        const fs::path path = folder / "big.safetensors";
        SafetensorsWriter writer;
        writer.add("big", TensorType::F32, {64 * 1024}, std::vector<std::uint8_t>(256 * 1024, 0x11));

        struct rlimit saved {};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN); // report EFBIG instead of killing us
        struct rlimit limited = saved;
        limited.rlim_cur = 64 * 1024;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
        const std::string message = errorMessage([&] { writer.write(path); });
        setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, previousHandler);

        QVERIFY2(message.rfind(path.string() + ": cannot write: File too large", 0) == 0, message.c_str());
        QVERIFY(folderEntries(folder).empty());
    }
};

QTEST_GUILESS_MAIN(TestSafetensorsWriter)
#include "test_safetensors_writer.moc"
