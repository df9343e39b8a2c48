// The memory estimate (weights + KV cache at a context + overhead) and its classification against a GPU and
// RAM, with given numbers; the estimate of a real synthetic model checked against its shape; the list
// model's roles; what the machine reports (lavapipe is never counted as a GPU).
#include "backend/vulkan/vulkan_devices.h"
#include "library/memory_fit.h"
#include "library/model_library_model.h"
#include "library/model_scan.h"
#include "model/model_file.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <exception>

using namespace ponder;
using namespace ponder::library;

namespace {
constexpr qint64 GiB = 1ll << 30; // qint64, as the test data columns are
constexpr qint64 MiB = 1ll << 20;

MemoryEstimate totalOf(std::int64_t bytes)
{
    // No KV cache, so the total is exactly the weights and the overhead.
    return estimateMemory({bytes - kMemoryOverheadBytes, 0, 0, 0}, 4096);
}
} // namespace

class TestMemoryFit : public QObject {
    Q_OBJECT

private slots:
    void estimateAddsWeightsKvCacheAndOverhead()
    {
        // Qwen3-0.6B's shape: 28 layers, 8 KV heads of 128, about 1.2 GB of bf16 weights.
        const ModelShape shape{1'192'000'000, 28, 8, 128};
        const MemoryEstimate e = estimateMemory(shape, 4096);
        QCOMPARE(e.weightsBytes, 1'192'000'000ll);
        QCOMPARE(e.kvCacheBytes, 28ll * 8 * 128 * 2 * 2 * 4096); // 448 MiB
        QCOMPARE(e.kvCacheBytes, 448 * MiB);
        QCOMPARE(e.overheadBytes, kMemoryOverheadBytes);
        QCOMPARE(e.totalBytes(), 1'192'000'000ll + 448 * MiB + kMemoryOverheadBytes);
        // The KV cache grows with the context, the rest does not.
        const MemoryEstimate longer = estimateMemory(shape, 32768);
        QCOMPARE(longer.kvCacheBytes, 8 * e.kvCacheBytes);
        QCOMPARE(longer.weightsBytes, e.weightsBytes);
        QCOMPARE(estimateMemory(shape, 0).kvCacheBytes, 0ll);
    }

    void fitFollowsGpuAndRam_data()
    {
        QTest::addColumn<qint64>("total");
        QTest::addColumn<qint64>("gpu");
        QTest::addColumn<qint64>("ram");
        QTest::addColumn<QString>("fit");
        QTest::newRow("small on a GPU") << 5 * GiB << 8 * GiB << 16 * GiB << QStringLiteral("gpu");
        QTest::newRow("exactly the GPU") << 8 * GiB << 8 * GiB << 16 * GiB << QStringLiteral("gpu");
        QTest::newRow("a byte over the GPU") << 8 * GiB + 1 << 8 * GiB << 16 * GiB << QStringLiteral("partial");
        QTest::newRow("GPU and RAM together") << 24 * GiB << 8 * GiB << 16 * GiB << QStringLiteral("partial");
        QTest::newRow("more than both") << 24 * GiB + 1 << 8 * GiB << 16 * GiB << QStringLiteral("none");
        QTest::newRow("no GPU, fits RAM") << 10 * GiB << 0ll << 16 * GiB << QStringLiteral("cpu");
        QTest::newRow("no GPU, exactly RAM") << 16 * GiB << 0ll << 16 * GiB << QStringLiteral("cpu");
        QTest::newRow("no GPU, too big") << 16 * GiB + 1 << 0ll << 16 * GiB << QStringLiteral("none");
        QTest::newRow("nothing known") << 1 * GiB << 0ll << 0ll << QStringLiteral("none");
    }

    void fitFollowsGpuAndRam()
    {
        QFETCH(qint64, total);
        QFETCH(qint64, gpu);
        QFETCH(qint64, ram);
        QFETCH(QString, fit);
        const MemoryEstimate estimate = totalOf(total);
        QCOMPARE(estimate.totalBytes(), total);
        const Fit result = classifyFit(estimate, {gpu, ram, gpu > 0 ? QStringLiteral("GPU") : QString()});
        QCOMPARE(fitName(result), fit);
        QVERIFY(!fitText(result).isEmpty());
    }

    void aSyntheticModelsEstimateFollowsItsShape()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SynthOptions o;
        o.preset = "tiny-dense";
        o.type = "q8_0";
        o.tokenizerDir = test::tokenizerJson().parent_path();
        o.out = dir.filePath("tiny.gguf").toStdString();
        writeSyntheticModel(o);

        const ModelEntry entry = readModelEntry(dir.filePath("tiny.gguf"), QStringLiteral("ponder"));
        QVERIFY2(entry.ok(), qPrintable(entry.error));
        const ModelConfig preset = synthPresetConfig("tiny-dense");
        QCOMPARE(entry.layerCount, preset.layerCount);
        QCOMPARE(entry.kvHeadCount, preset.kvHeadCount);
        QCOMPARE(entry.headDim, preset.headDim);
        // The weights are every tensor's bytes: the file less its header and metadata.
        const auto model = ModelFile::open(o.out);
        qint64 tensorBytes = 0;
        for (const auto& tensor : model->tensors())
            tensorBytes += static_cast<qint64>(tensor.data.size());
        QCOMPARE(entry.weightsBytes, tensorBytes);
        QVERIFY(entry.weightsBytes < entry.fileBytes);
        QVERIFY(entry.weightsBytes > entry.fileBytes / 2);

        const MemoryEstimate e =
            estimateMemory({entry.weightsBytes, entry.layerCount, entry.kvHeadCount, entry.headDim}, 4096);
        QCOMPARE(e.kvCacheBytes, preset.layerCount * preset.kvHeadCount * preset.headDim * 2 * 2 * 4096);

        // The list model says the same, and follows the context and the machine.
        ModelLibraryModel list;
        QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
        list.setEntries({entry});
        const QHash<int, QByteArray> roles = list.roleNames();
        const auto value = [&](const char* name) { return list.data(list.index(0), roles.key(name, -1)); };
        QCOMPARE(list.estimateContext(), 4096);
        QCOMPARE(value("memoryBytes").toLongLong(), e.totalBytes());
        QCOMPARE(value("weightsBytes").toLongLong(), entry.weightsBytes);
        QCOMPARE(value("fit").toString(), QStringLiteral("none")); // no machine known yet
        QSignalSpy changed(&list, &QAbstractItemModel::dataChanged);
        list.setMachineMemory({0, 16 * GiB, {}});
        QCOMPARE(value("fit").toString(), QStringLiteral("cpu"));
        QCOMPARE(value("fitText").toString(), fitText(Fit::Cpu));
        list.setMachineMemory({8 * GiB, 16 * GiB, QStringLiteral("GPU")});
        QCOMPARE(value("fit").toString(), QStringLiteral("gpu"));
        QCOMPARE(changed.size(), 2);
        QSignalSpy context(&list, &ModelLibraryModel::estimateContextChanged);
        list.setEstimateContext(32768);
        QCOMPARE(context.size(), 1);
        QCOMPARE(changed.size(), 3);
        QCOMPARE(value("memoryBytes").toLongLong(),
                 estimateMemory({entry.weightsBytes, entry.layerCount, entry.kvHeadCount, entry.headDim}, 32768).totalBytes());
        QVERIFY(!value("memoryText").toString().isEmpty());

        // A failed read has no estimate.
        ModelEntry failed;
        failed.error = QStringLiteral("broken");
        list.setEntries({failed});
        QCOMPARE(value("memoryBytes").toLongLong(), 0ll);
        QCOMPARE(value("fit").toString(), QString());
    }

    void theMachineReportsRamAndOnlyRealGpus()
    {
        const MachineMemory machine = detectMachineMemory();
        QVERIFY(machine.ramBytes > 0);
        QCOMPARE(machine.gpuBytes > 0, !machine.gpuName.isEmpty());
        std::vector<VulkanDeviceInfo> devices;
        try {
            devices = listVulkanDevices();
        } catch (const std::exception&) {
            QCOMPARE(machine.gpuBytes, 0ll); // no Vulkan: no GPU
            return;
        }
        bool realGpu = false;
        for (const VulkanDeviceInfo& d : devices) {
            if (d.type == "CPU")
                QVERIFY2(QString::fromStdString(d.name) != machine.gpuName, d.name.c_str());
            else
                realGpu = realGpu || d.deviceLocalBytes > 0;
        }
        QCOMPARE(machine.gpuBytes > 0, realGpu);
    }
};

QTEST_GUILESS_MAIN(TestMemoryFit)
#include "test_memory_fit.moc"
