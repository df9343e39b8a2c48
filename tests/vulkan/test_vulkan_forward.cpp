// Whole models on the Vulkan backend (lavapipe, validation on) against the CPU reference backend (fp32
// throughout): logits of every prompt position within 1e-3 of the logits' scale with the fp16 KV cache and
// the fp32 prefill mat-mat, within 1e-5 with an fp32 KV cache too, and within 5e-3 with the fp16 mat-mat
// (GPUs' default: each mat-mat rounds its inputs to fp16, about 5e-4 of its result's scale, and a model
// chains many);
// and the same 32 greedy tokens, for the tiny presets in both file formats and several weight types, and a
// 0.6B-shaped model whose 165 MB embedding exceeds lavapipe's 128 MiB buffer range (so it is split).
#include "backend/vulkan/vulkan_backend.h"
#include "forward_harness.h"

#include <QTest>

using namespace ponder;
using namespace ponder::test;

class TestVulkanForward : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    // vulkan_: fp16 KV cache, fp32 mat-mat; vulkanFp32_: fp32 both; fp16Matmul_: fp16 both.
    std::unique_ptr<VulkanBackend> vulkan_, vulkanFp32_, fp16Matmul_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        VulkanOptions fp16Kv{"", true};
        fp16Kv.fp16Matmul = VulkanFp16Matmul::Off;
        vulkan_ = createVulkanBackend(fp16Kv);
        VulkanOptions fp32{"", true, true};
        fp32.fp16Matmul = VulkanFp16Matmul::Off;
        fp32.moeGroupedMinSlots = 0; // MoE prefill chunks take the grouped mat-mat on any device
        vulkanFp32_ = createVulkanBackend(fp32);
        VulkanOptions fp16{"", true};
        fp16.fp16Matmul = VulkanFp16Matmul::On;
        fp16Matmul_ = createVulkanBackend(fp16);
        qInfo("device: %s; prefill mat-mat with fp16 on: %s", vulkan_->device().name.c_str(),
              std::string(matmulKernelName(fp16Matmul_->matmulKernel())).c_str());
        QCOMPARE(vulkan_->matmulKernel(), VulkanMatmulKernel::Fp32Tiles);
        QCOMPARE(vulkanFp32_->matmulKernel(), VulkanMatmulKernel::Fp32Tiles);
    }

    void cleanupTestCase()
    {
        auto messages = vulkan_->validationMessages();
        for (const auto* backend : {vulkanFp32_.get(), fp16Matmul_.get()})
            for (const auto& m : backend->validationMessages())
                messages.push_back(m);
        for (const auto& m : messages)
            qWarning("%s", m.c_str());
        QVERIFY(messages.empty());
    }

    void matchesCpuBackend_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<bool>("gguf");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("layers"); // 0: the preset's own
        QTest::addColumn<int>("greedy");
        QTest::newRow("tiny-dense gguf f32") << "tiny-dense" << true << "f32" << 0 << 32;
        QTest::newRow("tiny-dense gguf q8_0") << "tiny-dense" << true << "q8_0" << 0 << 32;
        QTest::newRow("tiny-dense gguf q4_k_m") << "tiny-dense" << true << "q4_k_m" << 0 << 32;
        QTest::newRow("tiny-dense hf bf16") << "tiny-dense" << false << "bf16" << 0 << 32;
        QTest::newRow("tiny-dense-untied gguf q4_0") << "tiny-dense-untied" << true << "q4_0" << 0 << 32;
        QTest::newRow("tiny-dense-untied hf f16") << "tiny-dense-untied" << false << "f16" << 0 << 32;
        QTest::newRow("tiny-moe gguf f32") << "tiny-moe" << true << "f32" << 0 << 32;
        QTest::newRow("tiny-moe gguf q8_0") << "tiny-moe" << true << "q8_0" << 0 << 32;
        QTest::newRow("tiny-moe hf f32") << "tiny-moe" << false << "f32" << 0 << 32;
        // Real 0.6B shapes (Q4_K, Q6_K rows; a split embedding and lm_head), two layers to stay quick.
        QTest::newRow("0.6b gguf q4_k_m 2 layers") << "0.6b" << true << "q4_k_m" << 2 << 8;
        QTest::newRow("0.6b gguf q8_0 2 layers") << "0.6b" << true << "q8_0" << 2 << 8;
    }

    void matchesCpuBackend()
    {
        QFETCH(QString, preset);
        QFETCH(bool, gguf);
        QFETCH(QString, type);
        QFETCH(int, layers);
        QFETCH(int, greedy);
        const auto path = writeModel(dir_, preset.toStdString(), gguf ? SynthFormat::Gguf : SynthFormat::HuggingFace,
                                     type.toStdString(), layers ? std::optional<std::int64_t>(layers) : std::nullopt);
        LoadedModel cpu = loadModel(path);
        Qwen3Forward gpu(cpu.file->config(), cpu.file->weights(), *vulkan_);

        // More than the mat-vec threshold of 8 rows, so both the decode and the prefill shaders run.
        const auto ids = promptIds(20);
        const auto want = allLogits(*cpu.forward, ids);
        const auto got = allLogits(gpu, ids);
        double worst = 0;
        for (std::size_t p = 0; p < ids.size(); ++p)
            worst = std::max(worst, relativeError(got[p], want[p]));
        qInfo("worst relative logit error over %zu positions: %.3g", ids.size(), worst);
        QVERIFY2(worst <= 1e-3, qPrintable(QString("relative error %1").arg(worst)));

        // With an fp32 KV cache (and, as in vulkan_, the fp32 mat-mat) every GPU stage computes in fp32: only
        // the summation order differs.
        Qwen3Forward gpu32(cpu.file->config(), cpu.file->weights(), *vulkanFp32_);
        const auto got32 = allLogits(gpu32, ids);
        double worst32 = 0;
        for (std::size_t p = 0; p < ids.size(); ++p)
            worst32 = std::max(worst32, relativeError(got32[p], want[p]));
        qInfo("with an fp32 KV cache: %.3g", worst32);
        QVERIFY2(worst32 <= 1e-5, qPrintable(QString("relative error %1 with an fp32 KV cache").arg(worst32)));

        const auto prompt = std::span(ids).first(6);
        const auto cpuTokens = greedyTokens(*cpu.forward, prompt, greedy);
        const std::uint64_t replayedBefore = vulkan_->replayedSubmissions();
        const auto gpuTokens = greedyTokens(gpu, prompt, greedy);
        QCOMPARE(gpuTokens, cpuTokens);
        {
            // A fresh backend whose first run is a short prompt: 11 tokens in one prefill chunk (the tiled
            // attention), then the last as a decode-sized chunk, recorded back to back with nothing read in
            // between, as ponder-cli run's first run is (this once gave NaN: an upload was overwritten). The
            // fp32 KV cache keeps the GPU within ~1e-6 of the CPU, so greedy near-ties (random weights have
            // gaps of 1e-4) cannot flip a token.
            const auto shortPrompt = std::span(ids).first(12);
            const auto want = greedyTokens(*cpu.forward, shortPrompt, greedy);
            VulkanOptions options{"", true, true};
            options.fp16Matmul = VulkanFp16Matmul::Off;
            auto fresh = createVulkanBackend(options);
            Qwen3Forward first(cpu.file->config(), cpu.file->weights(), *fresh);
            QCOMPARE(greedyTokens(first, shortPrompt, greedy), want);
            QVERIFY(fresh->validationMessages().empty());
        }
        // Every decode step after the first reuses the first one's recorded commands.
        QVERIFY2(vulkan_->replayedSubmissions() - replayedBefore >= static_cast<std::uint64_t>(greedy - 2),
                 qPrintable(QString("%1 of %2 decode steps replayed")
                                .arg(vulkan_->replayedSubmissions() - replayedBefore)
                                .arg(greedy)));
    }

    // The prefill mat-mat in fp16 too (fp16 tiles on lavapipe, as GPUs run by default). Its own test
    // function, so each stays within QtTest's per-function time limit on a busy machine.
    void matchesCpuBackendWithFp16Matmul_data() { matchesCpuBackend_data(); }

    void matchesCpuBackendWithFp16Matmul()
    {
        QFETCH(QString, preset);
        QFETCH(bool, gguf);
        QFETCH(QString, type);
        QFETCH(int, layers);
        const auto path = writeModel(dir_, preset.toStdString(), gguf ? SynthFormat::Gguf : SynthFormat::HuggingFace,
                                     type.toStdString(), layers ? std::optional<std::int64_t>(layers) : std::nullopt);
        LoadedModel cpu = loadModel(path);
        Qwen3Forward gpu(cpu.file->config(), cpu.file->weights(), *fp16Matmul_);
        const auto ids = promptIds(20);
        const auto want = allLogits(*cpu.forward, ids), got = allLogits(gpu, ids);
        double worst = 0;
        for (std::size_t p = 0; p < ids.size(); ++p)
            worst = std::max(worst, relativeError(got[p], want[p]));
        qInfo("worst relative logit error over %zu positions, fp16 KV cache and %s mat-mat: %.3g", ids.size(),
              std::string(matmulKernelName(fp16Matmul_->matmulKernel())).c_str(), worst);
        QVERIFY2(worst <= 5e-3, qPrintable(QString("relative error %1 with the fp16 mat-mat").arg(worst)));
    }
};

QTEST_GUILESS_MAIN(TestVulkanForward)
#include "test_vulkan_forward.moc"
