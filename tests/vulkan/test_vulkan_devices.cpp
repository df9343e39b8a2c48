// Device discovery and choice, the backend's error messages, and ponder-cli's Vulkan commands (devices,
// --backend vulkan, --device, bench) end to end, on whatever Vulkan devices the machine has (lavapipe in CI).
#include "backend/vulkan/vulkan_backend.h"
#include "backend/vulkan/vulkan_devices.h"
#include "core/error.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/mman.h>

using namespace ponder;
using namespace ponder::test;

namespace {

QList<int> runIds(const QByteArray& out)
{
    QList<int> ids;
    for (const QByteArray& line : out.split('\n')) {
        const auto object = QJsonDocument::fromJson(line).object();
        if (object.contains("id"))
            ids.append(object["id"].toInt());
    }
    return ids;
}

// Runs ponder-cli with Vulkan unable to find any driver (the loader reads VK_ICD_FILENAMES).
ProcessResult runCliWithoutVulkanDriver(const QStringList& args)
{
    qputenv("VK_ICD_FILENAMES", "/nonexistent/icd.json");
    qputenv("VK_DRIVER_FILES", "/nonexistent/icd.json");
    qunsetenv("PONDER_VULKAN_VALIDATION");
    const ProcessResult r = runCli(args);
    qunsetenv("VK_ICD_FILENAMES");
    qunsetenv("VK_DRIVER_FILES");
    qputenv("PONDER_VULKAN_VALIDATION", "1");
    return r;
}

} // namespace

class TestVulkanDevices : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString model_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        SynthOptions options;
        options.preset = "tiny-dense";
        options.type = "q8_0";
        options.tokenizerDir = tokenizerJson().parent_path();
        options.out = dir_.filePath("tiny.gguf").toStdString();
        writeSyntheticModel(options);
        model_ = QString::fromStdString(options.out.string());
    }

    void listsDevicesWithTheirProperties()
    {
        const auto devices = listVulkanDevices();
        QVERIFY(!devices.empty());
        for (const auto& d : devices) {
            qInfo("%s", describe(d).c_str());
            QVERIFY(!d.name.empty());
            QVERIFY(d.subgroupSize > 0);
            QVERIFY(d.sharedMemoryBytes >= 16384); // every shader stays within 16 KiB
            QVERIFY(d.maxStorageBufferRange >= (1u << 27));
            QVERIFY(!d.heapBytes.empty());
        }
    }

    void choosesByPreferenceIndexOrName()
    {
        std::vector<VulkanDeviceInfo> devices(3);
        const auto device = [](int index, const char* name, int rank) {
            VulkanDeviceInfo d;
            d.index = index;
            d.name = name;
            d.rank = rank;
            return d;
        };
        devices[0] = device(0, "llvmpipe (LLVM 15.0.6, 256 bits)", 1);
        devices[1] = device(1, "Intel(R) UHD Graphics 770", 3);
        devices[2] = device(2, "NVIDIA GeForce RTX 4090", 4);
        QCOMPARE(selectVulkanDevice(devices, "").index, 2);
        QCOMPARE(selectVulkanDevice(devices, "1").index, 1);
        QCOMPARE(selectVulkanDevice(devices, "LLVMPIPE").index, 0);
        QCOMPARE(selectVulkanDevice(devices, "rtx").index, 2);
        try {
            selectVulkanDevice(devices, "radeon");
            QFAIL("no error for a missing device");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("no Vulkan device matches 'radeon'") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("2: NVIDIA GeForce RTX 4090") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(Error, selectVulkanDevice(devices, "7"));
        QVERIFY_THROWS_EXCEPTION(Error, selectVulkanDevice({}, ""));
    }

    void backendRoundTripsActivationsWithoutValidationMessages()
    {
        auto backend = createVulkanBackend({"", true});
        QVERIFY(backend->name().find("vulkan") == 0);
        Activation a = backend->allocate(3, 5);
        std::vector<float> values(15);
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = static_cast<float>(i) * 0.5f - 3.0f;
        backend->writeRows(a, values);
        std::vector<float> row(5);
        backend->readRow(a, 2, row);
        QCOMPARE(row, std::vector<float>(values.begin() + 10, values.end()));
        QVERIFY(backend->measureCopyBandwidth() > 0);
        QVERIFY_THROWS_EXCEPTION(Error, backend->readRow(a, 3, row));
        QVERIFY(backend->validationMessages().empty());
    }

    // Too large for the device: refused whole, before anything is uploaded, with the sizes named. The
    // "weights" are 3 GiB of reserved, never-touched address space (lavapipe has a 2 GiB heap).
    void refusesWhatDoesNotFit()
    {
        auto backend = createVulkanBackend({"", true});
        const std::size_t bytes = std::size_t{3} << 30;
        void* reserved = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        QVERIFY(reserved != MAP_FAILED);
        ModelWeights weights;
        weights.embedding.name = "token_embd.weight";
        weights.embedding.type = TensorType::F32;
        weights.embedding.dims = {1024, static_cast<std::int64_t>(bytes / 4096)};
        weights.embedding.data = std::span(static_cast<const std::uint8_t*>(reserved), bytes);
        weights.output = weights.embedding;
        try {
            backend->prepareWeights(ModelConfig{}, weights);
            QFAIL("no error for weights larger than the device");
        } catch (const Error& e) {
            const std::string message = e.what();
            QVERIFY2(message.find("the model's weights need 3072 MiB of GPU memory") != std::string::npos, e.what());
        }
        munmap(reserved, bytes);

        ModelConfig config;
        config.layerCount = 2;
        config.kvHeadCount = 8;
        config.headDim = 128;
        try {
            backend->createKvCache(config, 10'000'000);
            QFAIL("no error for a KV cache beyond the device");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("use a shorter context") != std::string::npos, e.what());
        }
        QVERIFY(backend->validationMessages().empty());
    }

    void unknownDeviceIsAClearError()
    {
        try {
            createVulkanBackend({"no-such-gpu", false});
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("no Vulkan device matches 'no-such-gpu'") != std::string::npos,
                     e.what());
        }
    }

    void cliListsDevices()
    {
        const ProcessResult text = runCli({"devices"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("(used by --backend vulkan)"), text.out.constData());
        const ProcessResult json = runCli({"devices", "--json"});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray devices = QJsonDocument::fromJson(json.out).array();
        QVERIFY(!devices.isEmpty());
        QVERIFY(devices[0].toObject().contains("max_storage_buffer_range"));
        QVERIFY(text.err.isEmpty());
    }

    void cliRunsOnVulkanLikeOnCpu()
    {
        const QStringList args = {"run", model_, "--prompt", "Hello", "--greedy", "--max-tokens", "12",
                                  "--ignore-eos", "--json", "--no-think"};
        const ProcessResult cpu = runCli(args + QStringList{"--backend", "cpu"});
        const ProcessResult gpu = runCli(args + QStringList{"--backend", "vulkan", "--device", "0"});
        QCOMPARE(cpu.exitCode, 0);
        QVERIFY2(gpu.exitCode == 0, gpu.err.constData());
        QVERIFY2(!gpu.err.contains("Vulkan validation"), gpu.err.constData());
        QCOMPARE(runIds(gpu.out).size(), 12);
        QCOMPARE(runIds(gpu.out), runIds(cpu.out));
    }

    void cliBenchNamesTheDeviceAndItsBandwidth()
    {
        const ProcessResult r = runCli({"bench", model_, "--backend", "vulkan", "-p", "16", "-n", "4", "-r", "1", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(j["backend"].toString().startsWith("vulkan"), r.out.constData());
        QVERIFY(!j["device"].toString().isEmpty());
        QVERIFY(j["bandwidth_gb_s"].toDouble() > 0);
        QVERIFY(j["bandwidth_fraction"].toDouble() > 0);
        QVERIFY(j["decode_tok_s"].toDouble() > 0);
        QVERIFY(j["dispatches_per_token"].toInt() > 0);
    }

    void cliErrorsAreClear()
    {
        const ProcessResult badDevice = runCli({"run", model_, "--prompt", "Hi", "--backend", "vulkan", "--device", "nope"});
        QCOMPARE(badDevice.exitCode, 1);
        QVERIFY2(badDevice.err.contains("no Vulkan device matches 'nope'"), badDevice.err.constData());
        const ProcessResult cpuDevice = runCli({"run", model_, "--prompt", "Hi", "--backend", "cpu", "--device", "0"});
        QCOMPARE(cpuDevice.exitCode, 2);

        // No Vulkan driver at all: --backend vulkan says so, auto falls back to the CPU backend.
        const ProcessResult noDriver = runCliWithoutVulkanDriver({"run", model_, "--prompt", "Hi", "--greedy",
                                                                  "--max-tokens", "2", "--backend", "vulkan"});
        QCOMPARE(noDriver.exitCode, 1);
        QVERIFY2(noDriver.err.contains("Vulkan"), noDriver.err.constData());
        QVERIFY2(noDriver.err.count('\n') == 1, noDriver.err.constData()); // one line, no crash dump
        const ProcessResult fallback = runCliWithoutVulkanDriver({"run", model_, "--prompt", "Hi", "--greedy",
                                                                  "--max-tokens", "2", "--json"});
        QVERIFY2(fallback.exitCode == 0, fallback.err.constData());
        QCOMPARE(runIds(fallback.out).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestVulkanDevices)
#include "test_vulkan_devices.moc"
