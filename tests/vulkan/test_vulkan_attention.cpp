// Vulkan attention against the CPU reference (engine/backend/cpu/attention_ops.cpp) over a sequence of chunks
// into one cache, each stored by qkNormRopeStore (the way keys and values enter a cache) and then attended: the tiled prefill kernel (attention_prefill.comp, chunks of more than 8 rows) and the split-K
// decode kernel (attention_split.comp + attention_reduce.comp, up to 8 rows), for head sizes 16 to 256, GQA
// ratios 1 and 4, fp16 and fp32 caches, chunks at position 0 and over an existing cache, row counts that are
// no multiple of the tile. The validation layer is on; a message fails the suite.
#include "backend/cpu/cpu_backend.h"
#include "backend/vulkan/attention_prefill.h"
#include "backend/vulkan/vulkan_backend.h"
#include "core/error.h"
#include "../backend/backend_test_util.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace ponder;
using namespace ponder::test;

class TestVulkanAttention : public QObject {
    Q_OBJECT

    std::unique_ptr<Backend> cpu_;
    std::unique_ptr<VulkanBackend> fp16_, fp32_; // the backend with each KV cache precision
    Random rng_{11};

    // What qkNormRopeStore needs. q's norm weights are wide, so the scores spread over several units, the
    // softmax is far from uniform and the running maximum changes from tile to tile.
    struct StoreWeights {
        TestTensor qNorm, kNorm;
        RopeParameters rope;
    };
    StoreWeights storeWeights(VulkanBackend& gpu, std::int64_t headDim)
    {
        StoreWeights s;
        s.qNorm = randomTensor(rng_, "q_norm", TensorType::F32, headDim, 0, 2.0f, 5.0f);
        s.kNorm = randomTensor(rng_, "k_norm", TensorType::F32, headDim, 0, 0.3f, 0.8f);
        for (std::int64_t i = 0; i < headDim / 2; ++i)
            s.rope.inverseFrequencies.push_back(
                static_cast<float>(std::pow(1e6, -2.0 * static_cast<double>(i) / static_cast<double>(headDim))));
        ModelWeights w;
        w.layers.resize(1);
        w.layers[0].qNorm = s.qNorm.view;
        w.layers[0].kNorm = s.kNorm.view;
        gpu.prepareWeights(ModelConfig{}, w);
        return s;
    }

    // Feeds the chunks `chunkRows` one after another into fresh caches of both backends and compares each
    // chunk's output, |got - want| <= tolerance * max(1, max |want|). Returns the largest relative error.
    double runChunks(VulkanBackend& gpu, std::int64_t headDim, std::int64_t heads, std::int64_t kvHeads,
                     const std::vector<std::int64_t>& chunkRows, double tolerance)
    {
        std::int64_t capacity = 0;
        for (std::int64_t rows : chunkRows)
            capacity += rows;
        ModelConfig config;
        config.layerCount = 2;
        config.kvHeadCount = kvHeads;
        config.headDim = headDim;
        auto cpuCache = cpu_->createKvCache(config, capacity);
        auto gpuCache = gpu.createKvCache(config, capacity);
        const StoreWeights sw = storeWeights(gpu, headDim);
        double worst = 0;
        std::int64_t position = 0;
        for (std::int64_t rows : chunkRows) {
            const auto q = rng_.values(rows * heads * headDim);
            const auto k = rng_.values(rows * kvHeads * headDim), v = rng_.values(rows * kvHeads * headDim);
            Activation cq = makeActivation(*cpu_, rows, heads * headDim, q);
            Activation ck = makeActivation(*cpu_, rows, kvHeads * headDim, k);
            Activation cv = makeActivation(*cpu_, rows, kvHeads * headDim, v);
            Activation gq = gpu.allocate(rows, heads * headDim), gk = gpu.allocate(rows, kvHeads * headDim),
                       gv = gpu.allocate(rows, kvHeads * headDim);
            gpu.writeRows(gq, q);
            gpu.writeRows(gk, k);
            gpu.writeRows(gv, v);
            Activation co = cpu_->allocate(rows, heads * headDim), go = gpu.allocate(rows, heads * headDim);
            cpu_->qkNormRopeStore(cq, ck, cv, sw.qNorm.view, sw.kNorm.view, 1e-6f, headDim, sw.rope, *cpuCache, 1,
                                  position);
            cpu_->attention(cq, *cpuCache, 1, position, headDim, co);
            gpu.qkNormRopeStore(gq, gk, gv, sw.qNorm.view, sw.kNorm.view, 1e-6f, headDim, sw.rope, *gpuCache, 1,
                                position);
            const std::uint64_t before = gpu.dispatchCount();
            gpu.attention(gq, *gpuCache, 1, position, headDim, go);
            const std::uint64_t dispatches = gpu.dispatchCount() - before;
            const std::string what = "headDim " + std::to_string(headDim) + " heads " + std::to_string(heads) + "/" +
                                     std::to_string(kvHeads) + " rows " + std::to_string(rows) + " at " +
                                     std::to_string(position);
            // attention_prefill, or attention_split + attention_reduce.
            if (dispatches != (rows > vk::kSplitMaxRows ? 1u : 2u)) {
                qWarning("%s: %llu dispatches, not the expected kernel", what.c_str(),
                         static_cast<unsigned long long>(dispatches));
                return -1;
            }
            const auto got = readAll(gpu, go), want = readAll(*cpu_, co);
            double scale = 1;
            for (float w : want)
                scale = std::max(scale, static_cast<double>(std::abs(w)));
            for (std::size_t i = 0; i < got.size(); ++i) {
                worst = std::max(worst, std::abs(static_cast<double>(got[i]) - want[i]) / scale);
                if (!near(got[i], want[i], tolerance * scale, what, static_cast<std::int64_t>(i)))
                    return -1;
            }
            position += rows;
        }
        return worst;
    }

private slots:
    void initTestCase()
    {
        cpu_ = createCpuBackend(1);
        VulkanOptions options{"", true};
        fp16_ = createVulkanBackend(options);
        options.fp32KvCache = true;
        fp32_ = createVulkanBackend(options);
        qInfo("device: %s", fp16_->device().name.c_str());
    }

    void cleanupTestCase()
    {
        for (VulkanBackend* gpu : {fp16_.get(), fp32_.get()}) {
            const auto messages = gpu->validationMessages();
            for (const auto& m : messages)
                qWarning("%s", m.c_str());
            QVERIFY(messages.empty());
        }
    }

    // Every even head size up to 256 gets a tile whose rows and keys divide the 64 invocations' work.
    void prefillTileForEveryHeadSize()
    {
        for (bool fp32 : {false, true})
            for (std::int64_t headDim = 2; headDim <= 256; headDim += 2) {
                const vk::PrefillTile tile = vk::prefillTile(headDim, fp32);
                QVERIFY(tile.rows >= 1 && tile.rows <= 16 && tile.keys >= 1 && tile.keys <= 64);
                QVERIFY((tile.keys & (tile.keys - 1)) == 0);
            }
        QCOMPARE(vk::prefillTile(128, false).rows, 16u);
        QCOMPARE(vk::prefillTile(128, false).keys, 16u);
        QVERIFY_THROWS_EXCEPTION(Error, vk::prefillTile(258, false));
    }

    // A decode-sized chunk on a fresh backend grows the split kernel's partials buffer, which submits the
    // work recorded so far and recycles the upload memory; a second chunk recorded before anything is read
    // back must not overwrite the first one's position (it did once: attention uploaded the position first,
    // and the first chunk then attended as if it started at the second one's position).
    void splitChunksAfterTheScratchGrows_data()
    {
        QTest::addColumn<QList<int>>("chunks");
        QTest::newRow("5 then 1") << QList<int>{5, 1};
        QTest::newRow("13 (prefill) then 1") << QList<int>{13, 1};
        QTest::newRow("37 then 1 then 1") << QList<int>{37, 1, 1};
    }
    void splitChunksAfterTheScratchGrows()
    {
        QFETCH(QList<int>, chunks);
        auto gpu = createVulkanBackend({"", true});
        const std::int64_t headDim = 64, heads = 4, kvHeads = 2, width = heads * headDim, kvWidth = kvHeads * headDim;
        ModelConfig config;
        config.layerCount = 1;
        config.kvHeadCount = kvHeads;
        config.headDim = headDim;
        std::int64_t capacity = 0;
        for (int rows : chunks)
            capacity += rows;
        auto cpuCache = cpu_->createKvCache(config, capacity);
        auto gpuCache = gpu->createKvCache(config, capacity);
        const StoreWeights sw = storeWeights(*gpu, headDim);
        // Every input is written first (writeRows submits) and stays alive until the outputs are read.
        const std::vector<std::int64_t> chunkRows(chunks.begin(), chunks.end());
        std::vector<Activation> gq, gk, gv, gpuOut, cpuOut;
        std::int64_t position = 0;
        for (std::int64_t rows : chunkRows) {
            const auto q = rng_.values(rows * width), k = rng_.values(rows * kvWidth),
                       v = rng_.values(rows * kvWidth);
            gq.push_back(gpu->allocate(rows, width));
            gk.push_back(gpu->allocate(rows, kvWidth));
            gv.push_back(gpu->allocate(rows, kvWidth));
            gpu->writeRows(gq.back(), q);
            gpu->writeRows(gk.back(), k);
            gpu->writeRows(gv.back(), v);
            gpuOut.push_back(gpu->allocate(rows, width));
            cpuOut.push_back(cpu_->allocate(rows, width));
            Activation cq = makeActivation(*cpu_, rows, width, q);
            cpu_->qkNormRopeStore(cq, makeActivation(*cpu_, rows, kvWidth, k), makeActivation(*cpu_, rows, kvWidth, v),
                                  sw.qNorm.view, sw.kNorm.view, 1e-6f, headDim, sw.rope, *cpuCache, 0, position);
            cpu_->attention(cq, *cpuCache, 0, position, headDim, cpuOut.back());
            position += rows;
        }
        position = 0;
        for (std::size_t i = 0; i < chunkRows.size(); ++i) {
            gpu->qkNormRopeStore(gq[i], gk[i], gv[i], sw.qNorm.view, sw.kNorm.view, 1e-6f, headDim, sw.rope, *gpuCache,
                                 0, position);
            gpu->attention(gq[i], *gpuCache, 0, position, headDim, gpuOut[i]);
            position += chunkRows[i];
        }
        for (std::size_t i = 0; i < gpuOut.size(); ++i) {
            const auto got = readAll(*gpu, gpuOut[i]), want = readAll(*cpu_, cpuOut[i]);
            for (std::size_t j = 0; j < got.size(); ++j)
                QVERIFY(near(got[j], want[j], 1e-3, "chunk " + std::to_string(i), static_cast<std::int64_t>(j)));
        }
        const auto messages = gpu->validationMessages();
        for (const auto& m : messages)
            qWarning("%s", m.c_str());
        QVERIFY(messages.empty());
    }

    // A first chunk shorter than one tile, then decode steps: a short prompt as ponder-cli run feeds it.
    void shortPromptThenDecode()
    {
        for (VulkanBackend* gpu : {fp16_.get(), fp32_.get()})
            for (std::int64_t headDim : {32, 128}) {
                const double worst = runChunks(*gpu, headDim, 4, 2, {13, 1, 1}, gpu == fp32_.get() ? 1e-5 : 1e-3);
                QVERIFY2(worst >= 0, ("headDim " + std::to_string(headDim)).c_str());
            }
    }

    void chunksAgainstCpu_data()
    {
        QTest::addColumn<bool>("fp32Cache");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("kvHeads");
        for (bool fp32 : {false, true})
            for (int headDim : {16, 32, 64, 128, 256})
                for (int group : {1, 4}) {
                    const std::string name = std::string(fp32 ? "fp32" : "fp16") + " cache, heads of " +
                                             std::to_string(headDim) + ", GQA " + std::to_string(group);
                    QTest::newRow(name.c_str()) << fp32 << headDim << 2 * group << 2;
                }
    }

    // A 37-row prefill from position 0, a 9-row chunk over it, a decode step, a 3-row chunk (both split-K),
    // then 150 rows over 50 cached positions: partial last tiles, diagonal tiles that start mid-tile.
    void chunksAgainstCpu()
    {
        QFETCH(bool, fp32Cache);
        QFETCH(int, headDim);
        QFETCH(int, heads);
        QFETCH(int, kvHeads);
        // fp32: the GPU and CPU differ only in summation order. fp16: keys and values are rounded to 11 bits.
        const double tolerance = fp32Cache ? 1e-5 : 1e-3;
        const double worst = runChunks(fp32Cache ? *fp32_ : *fp16_, headDim, heads, kvHeads, {37, 9, 1, 3, 150},
                                       tolerance);
        QVERIFY(worst >= 0);
        qInfo("largest relative difference %.3g", worst);
    }
};

QTEST_GUILESS_MAIN(TestVulkanAttention)
#include "test_vulkan_attention.moc"
