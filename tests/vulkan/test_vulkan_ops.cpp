// Every Vulkan shader against the CPU reference backend on random inputs of awkward sizes: matmul (mat-vec
// and tiled mat-mat) and embedding lookup in every weight type, RMSNorm, Q/K-norm + RoPE + the KV-cache write,
// attention over the fp16 and fp32 KV caches (decode and prefill, several splits), SwiGLU, residual add, MoE
// routing and experts (per-slot mat-vec for decode, grouped by expert for prefill chunks).
// The validation layer is on; a message fails the suite.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/cpu_storage.h"
#include "backend/vulkan/vulkan_backend.h"
#include "backend/vulkan/vulkan_storage.h"
#include "../backend/backend_test_util.h"
#include "core/half.h"

#include <QTest>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

using namespace ponder;
using namespace ponder::test;

namespace {

// Compares element-wise: |got - want| <= tolerance * scale, scale = max(1, max |want|).
bool close(const std::vector<float>& got, const std::vector<float>& want, double tolerance, const std::string& what)
{
    if (got.size() != want.size()) {
        qWarning("%s: %zu values, expected %zu", what.c_str(), got.size(), want.size());
        return false;
    }
    double scale = 1;
    for (float w : want)
        scale = std::max(scale, static_cast<double>(std::abs(w)));
    for (std::size_t i = 0; i < got.size(); ++i)
        if (!near(got[i], want[i], tolerance * scale, what, static_cast<std::int64_t>(i)))
            return false;
    return true;
}

} // namespace

class TestVulkanOps : public QObject {
    Q_OBJECT

    std::unique_ptr<Backend> cpu_;
    std::unique_ptr<VulkanBackend> gpu_;
    Random rng_{7};

    Activation onCpu(std::int64_t rows, std::int64_t cols, const std::vector<float>& values)
    {
        return makeActivation(*cpu_, rows, cols, values);
    }
    Activation onGpu(std::int64_t rows, std::int64_t cols, const std::vector<float>& values)
    {
        Activation a = gpu_->allocate(rows, cols);
        gpu_->writeRows(a, values);
        return a;
    }
    // Uploads weights to the GPU as one model layer would hold them: up to seven matrices and four norms,
    // or a MoE layer's experts.
    void upload(std::vector<const TensorView*> matrices, std::vector<const TensorView*> norms = {},
                const std::vector<ExpertWeights>& experts = {})
    {
        ModelWeights w;
        w.layers.resize(1);
        LayerWeights& l = w.layers[0];
        TensorView* matrixSlots[] = {&l.q, &l.k, &l.v, &l.o, &l.gate, &l.up, &l.down};
        for (std::size_t i = 0; i < matrices.size(); ++i)
            *matrixSlots[i] = *matrices[i];
        TensorView* normSlots[] = {&l.attnNorm, &l.qNorm, &l.kNorm, &l.ffnNorm};
        for (std::size_t i = 0; i < norms.size(); ++i)
            *normSlots[i] = *norms[i];
        if (!experts.empty()) {
            l.sparse = true;
            l.experts = experts;
        }
        gpu_->prepareWeights(ModelConfig{}, w);
    }

    static RopeParameters ropeFor(std::int64_t headDim, float attentionFactor)
    {
        RopeParameters rope;
        for (std::int64_t i = 0; i < headDim / 2; ++i)
            rope.inverseFrequencies.push_back(
                static_cast<float>(std::pow(1e6, -2.0 * static_cast<double>(i) / static_cast<double>(headDim))));
        rope.attentionFactor = attentionFactor;
        return rope;
    }

    static ModelConfig cacheConfig(std::int64_t layers, std::int64_t kvHeads, std::int64_t headDim)
    {
        ModelConfig config;
        config.layerCount = layers;
        config.kvHeadCount = kvHeads;
        config.headDim = headDim;
        return config;
    }

    // Positions first.. of a layer of gpu_'s cache (keys, or values), as fp32: empty when the cache memory is
    // not host-visible. Call after a read from gpu_, which waits for the GPU.
    static std::vector<float> cacheRows(const KvCache& cache, std::int64_t layer, std::int64_t first,
                                        std::int64_t rows, bool values)
    {
        const auto& c = dynamic_cast<const vk::VulkanKvCache&>(cache);
        const vk::Buffer& buffer = values ? c.valueBuffer(layer) : c.keyBuffer(layer);
        if (!buffer.mapped())
            return {};
        const auto count = static_cast<std::size_t>(rows * c.kvWidth());
        const auto start = static_cast<std::size_t>(first * c.kvWidth());
        std::vector<float> out(count);
        if (c.fp32()) {
            std::memcpy(out.data(), buffer.mapped() + start * 4, count * 4);
        } else {
            std::vector<std::uint16_t> halves(count);
            std::memcpy(halves.data(), buffer.mapped() + start * 2, count * 2);
            for (std::size_t i = 0; i < count; ++i)
                out[i] = fp16ToFloat(halves[i]);
        }
        return out;
    }

    // Against the CPU, for head sizes 16/64/128 (16: fewer pairs than invocations), positions 0 and 3000
    // (angles of thousands of radians), without and with YaRN's attention factor: q as roped in place, and
    // what lands in the cache (keys roped, values as they are), in layer 1 of 2 at positions first.. .
    void checkQkNormRopeStore()
    {
        for (std::int64_t headDim : {16, 64, 128})
            for (std::int64_t first : {0, 3000})
                for (float factor : {1.0f, 1.2f}) {
                    const std::int64_t rows = 5, heads = 4, kvHeads = 2, kvCols = kvHeads * headDim;
                    const RopeParameters rope = ropeFor(headDim, factor);
                    const TestTensor qNorm = randomTensor(rng_, "q_norm", TensorType::F32, headDim, 0, 0.5f, 1.5f);
                    const TestTensor kNorm = randomTensor(rng_, "k_norm", TensorType::F32, headDim, 0, 0.5f, 1.5f);
                    upload({}, {&qNorm.view, &kNorm.view});
                    const auto q = rng_.values(rows * heads * headDim), k = rng_.values(rows * kvCols),
                               v = rng_.values(rows * kvCols);
                    Activation cq = onCpu(rows, heads * headDim, q), gq = onGpu(rows, heads * headDim, q);
                    const Activation ck = onCpu(rows, kvCols, k), gk = onGpu(rows, kvCols, k);
                    const Activation cv = onCpu(rows, kvCols, v), gv = onGpu(rows, kvCols, v);
                    auto cpuCache = cpu_->createKvCache(cacheConfig(2, kvHeads, headDim), first + rows);
                    auto gpuCache = gpu_->createKvCache(cacheConfig(2, kvHeads, headDim), first + rows);
                    cpu_->qkNormRopeStore(cq, ck, cv, qNorm.view, kNorm.view, 1e-6f, headDim, rope, *cpuCache, 1,
                                          first);
                    gpu_->qkNormRopeStore(gq, gk, gv, qNorm.view, kNorm.view, 1e-6f, headDim, rope, *gpuCache, 1,
                                          first);
                    const bool fp32 = dynamic_cast<const vk::VulkanKvCache&>(*gpuCache).fp32();
                    const std::string what = "headDim " + std::to_string(headDim) + " at " + std::to_string(first) +
                                             " factor " + std::to_string(factor) + (fp32 ? " fp32" : " fp16") +
                                             " cache";
                    // fp32 throughout for q (the norm's sum and cos/sin differ from the CPU's by ulps).
                    QVERIFY2(close(readAll(*gpu_, gq), readAll(*cpu_, cq), 1e-5, "q " + what), what.c_str());
                    QVERIFY2(sameBits(readAll(*gpu_, gk), k, "k is left alone"), what.c_str());
                    const std::vector<float> keys = cacheRows(*gpuCache, 1, first, rows, false);
                    QVERIFY2(!keys.empty(), what.c_str());
                    const std::vector<float> values = cacheRows(*gpuCache, 1, first, rows, true);
                    const auto& want = dynamic_cast<const cpu::CpuKvCache&>(*cpuCache);
                    const std::vector<float> wantKeys(want.keys(1, first), want.keys(1, first) + rows * kvCols);
                    // fp16 rounds to 11 significant bits (relative 2^-11 at worst): 1e-3 of values up to ~5.
                    QVERIFY2(close(keys, wantKeys, fp32 ? 1e-5 : 1e-3, "cached keys " + what), what.c_str());
                    if (fp32)
                        QVERIFY2(sameBits(values, v, "cached values"), what.c_str());
                    else
                        QVERIFY2(close(values, v, 1e-3, "cached values " + what), what.c_str());
                }
    }

    // Store + attention against the CPU: a prefill chunk, one decode step, then a long chunk whose keys span
    // several splits, in layer 1 of 2.
    void checkAttention(double tolerance)
    {
        for (std::int64_t headDim : {16, 64, 128}) {
            const std::int64_t heads = 4, kvHeads = 2, capacity = 200, kvCols = kvHeads * headDim;
            const RopeParameters rope = ropeFor(headDim, 1.0f);
            const TestTensor qNorm = randomTensor(rng_, "q_norm", TensorType::F32, headDim, 0, 0.5f, 1.5f);
            const TestTensor kNorm = randomTensor(rng_, "k_norm", TensorType::F32, headDim, 0, 0.5f, 1.5f);
            upload({}, {&qNorm.view, &kNorm.view});
            auto cpuCache = cpu_->createKvCache(cacheConfig(2, kvHeads, headDim), capacity);
            auto gpuCache = gpu_->createKvCache(cacheConfig(2, kvHeads, headDim), capacity);
            std::int64_t position = 0;
            for (std::int64_t rows : {9, 1, 150}) {
                const auto q = rng_.values(rows * heads * headDim), k = rng_.values(rows * kvCols),
                           v = rng_.values(rows * kvCols);
                Activation cq = onCpu(rows, heads * headDim, q), gq = onGpu(rows, heads * headDim, q);
                const Activation ck = onCpu(rows, kvCols, k), gk = onGpu(rows, kvCols, k);
                const Activation cv = onCpu(rows, kvCols, v), gv = onGpu(rows, kvCols, v);
                Activation co = cpu_->allocate(rows, heads * headDim), go = gpu_->allocate(rows, heads * headDim);
                cpu_->qkNormRopeStore(cq, ck, cv, qNorm.view, kNorm.view, 1e-6f, headDim, rope, *cpuCache, 1,
                                      position);
                gpu_->qkNormRopeStore(gq, gk, gv, qNorm.view, kNorm.view, 1e-6f, headDim, rope, *gpuCache, 1,
                                      position);
                cpu_->attention(cq, *cpuCache, 1, position, headDim, co);
                gpu_->attention(gq, *gpuCache, 1, position, headDim, go);
                const std::string what = "headDim " + std::to_string(headDim) + " rows " + std::to_string(rows);
                QVERIFY2(close(readAll(*gpu_, go), readAll(*cpu_, co), tolerance, what), what.c_str());
                position += rows;
            }
        }
    }

    // Validation on, and the fp32 mat-mat, which the tight matmul tolerance below is for (the fp16 one has its
    // own test).
    static VulkanOptions fp32Options()
    {
        VulkanOptions options{"", true};
        options.fp16Matmul = VulkanFp16Matmul::Off;
        return options;
    }

    // gpu_'s mat-mat against the CPU's fp32: every weight type, token rows within one 64-token tile (9, 40)
    // and across two (70), 67 output rows (two 64-row tiles, the second ragged), within `tolerance` of the
    // result's scale.
    void matmulEveryTypeWithin(double tolerance, const char* label)
    {
        for (TensorType type : kAllTypes) {
            const std::int64_t k = awkwardRowLength(type), n = 67;
            const TestTensor w = randomTensor(rng_, "w", type, k, n);
            upload({&w.view});
            for (std::int64_t rows : {9, 40, 70}) {
                const auto x = rng_.values(rows * k);
                Activation cx = onCpu(rows, k, x), gx = onGpu(rows, k, x);
                Activation cy = cpu_->allocate(rows, n), gy = gpu_->allocate(rows, n);
                cpu_->matmul(cx, w.view, cy);
                gpu_->matmul(gx, w.view, gy);
                const auto got = readAll(*gpu_, gy), want = readAll(*cpu_, cy);
                double scale = 1, worst = 0;
                for (float v : want)
                    scale = std::max(scale, static_cast<double>(std::abs(v)));
                for (std::size_t i = 0; i < got.size(); ++i)
                    worst = std::max(worst, std::abs(static_cast<double>(got[i]) - want[i]) / scale);
                const std::string what = tensorTypeName(type) + " k " + std::to_string(k) + " rows " +
                                         std::to_string(rows);
                qInfo("%s mat-mat %s: worst error %.2e of the scale %.1f", label, what.c_str(), worst, scale);
                QVERIFY2(close(got, want, tolerance, what), what.c_str());
            }
        }
    }

    // Runs matmulEveryTypeWithin on a backend made with `options`, after checking it chose `kernel`.
    void matmulOnBackend(const VulkanOptions& options, VulkanMatmulKernel kernel, const char* label)
    {
        std::unique_ptr<VulkanBackend> backend = createVulkanBackend(options);
        QCOMPARE(backend->matmulKernel(), kernel);
        std::swap(gpu_, backend); // the helpers run on gpu_
        matmulEveryTypeWithin(1e-3, label);
        std::swap(gpu_, backend);
        const auto messages = backend->validationMessages();
        for (const auto& m : messages)
            qWarning("%s", m.c_str());
        QVERIFY(messages.empty());
    }

private slots:
    void initTestCase()
    {
        cpu_ = createCpuBackend(1);
        gpu_ = createVulkanBackend(fp32Options());
        qInfo("device: %s", gpu_->device().name.c_str());
    }

    void cleanupTestCase()
    {
        const auto messages = gpu_->validationMessages();
        for (const auto& m : messages)
            qWarning("%s", m.c_str());
        QVERIFY(messages.empty());
    }

    void matmulEveryTypeAndRowCount()
    {
        for (TensorType type : kAllTypes) {
            const std::int64_t k = awkwardRowLength(type), n = 67;
            const TestTensor w = randomTensor(rng_, "w", type, k, n);
            upload({&w.view});
            for (std::int64_t rows : {1, 3, 8, 9, 40, 70}) {
                const auto x = rng_.values(rows * k);
                Activation cx = onCpu(rows, k, x), gx = onGpu(rows, k, x);
                Activation cy = cpu_->allocate(rows, n), gy = gpu_->allocate(rows, n);
                cpu_->matmul(cx, w.view, cy);
                gpu_->matmul(gx, w.view, gy);
                const std::string what = tensorTypeName(type) + " rows " + std::to_string(rows);
                QVERIFY2(close(readAll(*gpu_, gy), readAll(*cpu_, cy), 2e-5 * std::sqrt(static_cast<double>(k)), what),
                         what.c_str());
            }
        }
    }

    // The fp16 mat-mat (matmul_f16.comp) within 1e-3. Chosen by default on GPUs with shaderFloat16 and no
    // usable cooperative matrices; forced on here (lavapipe has shaderFloat16, but picks fp32 by default).
    void matmulFp16EveryType()
    {
        if (!gpu_->device().fp16)
            QSKIP("this device has no shaderFloat16: the fp32 mat-mat is the only one");
        QCOMPARE(gpu_->matmulKernel(), VulkanMatmulKernel::Fp32Tiles); // fp16Matmul = Off forces fp32
        VulkanOptions options{"", true};
        options.fp16Matmul = VulkanFp16Matmul::On;
        options.coopmatMatmul = false;
        matmulOnBackend(options, VulkanMatmulKernel::Fp16Tiles, "fp16");
    }

    // The cooperative-matrix mat-mat (matmul_coopmat.comp) within 1e-3, on devices that have usable NVIDIA
    // cooperative matrices (the backend also checked it against the fp32 shader when it opened; a failed
    // check would have fallen back and fails the kernel comparison here).
    void matmulCoopmatEveryType()
    {
        const VulkanDeviceInfo& device = gpu_->device();
        if (vk::nvCooperativeMatrixN(device) == 0)
            QSKIP(qPrintable(QString("'%1' has no usable VK_NV_cooperative_matrix (needs a 16x16x16 or 16x8x16 "
                                     "fp16 x fp16 + fp32 subgroup shape, shaderFloat16, the Vulkan memory model "
                                     "and subgroups of 32): the cooperative-matrix mat-mat did not run")
                                 .arg(QString::fromStdString(device.name))));
        VulkanOptions options{"", true};
        options.fp16Matmul = VulkanFp16Matmul::On;
        matmulOnBackend(options, VulkanMatmulKernel::NvCoopmat, "cooperative-matrix");
    }

    // Without usable cooperative matrices (lavapipe has none) the device info says so, the device is
    // created without the extension (the validation layer would flag a shader that used it), and with fp16
    // on the backend chooses the portable fp16 shader (fp32 without shaderFloat16).
    void coopmatFallsBackWithoutSupport()
    {
        const VulkanDeviceInfo& device = gpu_->device();
        if (vk::nvCooperativeMatrixN(device) != 0)
            QSKIP("this device has usable cooperative matrices; matmulCoopmatEveryType covers it");
        if (!device.nvCooperativeMatrix)
            QVERIFY(device.nvCooperativeMatrixShapes.empty());
        qInfo("%s", describe(device).c_str());
        VulkanOptions options{"", true};
        options.fp16Matmul = VulkanFp16Matmul::On;
        std::unique_ptr<VulkanBackend> backend = createVulkanBackend(options);
        QCOMPARE(backend->matmulKernel(),
                 device.fp16 ? VulkanMatmulKernel::Fp16Tiles : VulkanMatmulKernel::Fp32Tiles);
    }

    // The choice of mat-mat shader: cooperative matrices only where the device has a usable shape and the
    // rest they need, fp16 only with shaderFloat16, by default only on GPUs, each only as the options allow.
    void matmulKernelChoice()
    {
        using enum VulkanFp16Matmul;
        VulkanDeviceInfo device = gpu_->device();
        device.fp16 = true;
        device.nvCooperativeMatrix = false;
        device.nvCooperativeMatrixShapes.clear();
        device.type = "CPU";
        QCOMPARE(vk::chooseMatmulKernel(device, Auto, true), VulkanMatmulKernel::Fp32Tiles);
        QCOMPARE(vk::chooseMatmulKernel(device, On, true), VulkanMatmulKernel::Fp16Tiles);
        device.type = "discrete GPU";
        QCOMPARE(vk::chooseMatmulKernel(device, Auto, true), VulkanMatmulKernel::Fp16Tiles);
        QCOMPARE(vk::chooseMatmulKernel(device, Off, true), VulkanMatmulKernel::Fp32Tiles);

        // An NVIDIA-like device: 16x8x16 and 16x16x16 offered; 16x16x16 preferred.
        device.nvCooperativeMatrix = true;
        device.vulkanMemoryModel = true;
        device.subgroupSize = 32;
        device.nvCooperativeMatrixShapes = {"16x8x16", "16x8x8", "16x16x16"};
        QCOMPARE(vk::nvCooperativeMatrixN(device), 16);
        QCOMPARE(vk::chooseMatmulKernel(device, Auto, true), VulkanMatmulKernel::NvCoopmat);
        QCOMPARE(vk::chooseMatmulKernel(device, Auto, false), VulkanMatmulKernel::Fp16Tiles);
        QCOMPARE(vk::chooseMatmulKernel(device, Off, true), VulkanMatmulKernel::Fp32Tiles);
        device.nvCooperativeMatrixShapes = {"16x8x8", "16x8x16"};
        QCOMPARE(vk::nvCooperativeMatrixN(device), 8);
        // Each missing requirement turns it off.
        for (int missing = 0; missing < 5; ++missing) {
            VulkanDeviceInfo lacking = device;
            switch (missing) {
            case 0: lacking.nvCooperativeMatrixShapes = {"16x8x8", "8x8x8"}; break;
            case 1: lacking.vulkanMemoryModel = false; break;
            case 2: lacking.subgroupSize = 64; break;
            case 3: lacking.nvCooperativeMatrix = false; break;
            case 4: lacking.fp16 = false; break;
            }
            QCOMPARE(vk::nvCooperativeMatrixN(lacking), 0);
            QCOMPARE(vk::chooseMatmulKernel(lacking, Auto, true),
                     lacking.fp16 ? VulkanMatmulKernel::Fp16Tiles : VulkanMatmulKernel::Fp32Tiles);
        }
    }

    // The GPU layouts of the mat-vec shaders (lavapipe itself gets one invocation per row): a row spread over
    // invocations summed through shared memory, and over one subgroup summed with subgroupAdd.
    void matvecLayouts_data()
    {
        QTest::addColumn<int>("lanes");
        QTest::addColumn<bool>("subgroups");
        QTest::newRow("16 lanes, shared memory") << 16 << false;
        QTest::newRow("4 lanes, shared memory") << 4 << false;
        QTest::newRow("a subgroup per row, subgroupAdd") << 0 << true;
    }

    void matvecLayouts()
    {
        QFETCH(int, lanes);
        QFETCH(bool, subgroups);
        const VulkanDeviceInfo& device = gpu_->device();
        if (subgroups && !device.subgroupArithmetic)
            QSKIP("this device has no subgroup arithmetic");
        VulkanOptions options = fp32Options();
        options.matvecLanes = subgroups ? device.subgroupSize : static_cast<std::uint32_t>(lanes);
        options.matvecSubgroups = subgroups;
        std::unique_ptr<VulkanBackend> layout = createVulkanBackend(options);
        std::swap(gpu_, layout); // the checks below run on gpu_
        matmulEveryTypeAndRowCount();
        moeExpertsSeveralTypes();
        std::swap(gpu_, layout);
        QVERIFY(layout->validationMessages().empty());
    }

    void embedEveryTypeExactly()
    {
        for (TensorType type : kAllTypes) {
            const std::int64_t k = awkwardRowLength(type), vocab = 67;
            const TestTensor table = randomTensor(rng_, "table", type, k, vocab, -3.0f, 3.0f);
            upload({&table.view});
            const std::vector<std::int32_t> ids = {0, 66, 5, 5, 30, 1};
            Activation cy = cpu_->allocate(6, k), gy = gpu_->allocate(6, k);
            cpu_->embed(table.view, ids, cy);
            gpu_->embed(table.view, ids, gy);
            QVERIFY2(sameBits(readAll(*gpu_, gy), readAll(*cpu_, cy), tensorTypeName(type).c_str()),
                     tensorTypeName(type).c_str());
        }
    }

    void rmsNormSwigluAdd()
    {
        for (std::int64_t cols : {260, 1024}) {
            const std::int64_t rows = 3;
            const TestTensor norm = randomTensor(rng_, "norm", TensorType::F32, cols, 0, 0.5f, 1.5f);
            upload({}, {&norm.view});
            const auto x = rng_.values(rows * cols, -2.0f, 2.0f), y = rng_.values(rows * cols, -4.0f, 4.0f);
            Activation cx = onCpu(rows, cols, x), gx = onGpu(rows, cols, x);
            Activation cy = onCpu(rows, cols, y), gy = onGpu(rows, cols, y);
            Activation co = cpu_->allocate(rows, cols), go = gpu_->allocate(rows, cols);
            cpu_->rmsNorm(cx, norm.view, 1e-6f, co);
            gpu_->rmsNorm(gx, norm.view, 1e-6f, go);
            QVERIFY(close(readAll(*gpu_, go), readAll(*cpu_, co), 1e-5, "rmsNorm"));
            cpu_->swiglu(cx, cy, co);
            gpu_->swiglu(gx, gy, go);
            QVERIFY(close(readAll(*gpu_, go), readAll(*cpu_, co), 1e-5, "swiglu"));
            cpu_->addInPlace(cx, cy);
            gpu_->addInPlace(gx, gy);
            QVERIFY(close(readAll(*gpu_, gx), readAll(*cpu_, cx), 1e-6, "add"));
        }
    }

    // Q/K norm + RoPE + the cache write, with the fp16 cache and (on a second backend) the fp32 one.
    void qkNormRopeStore()
    {
        auto probe = gpu_->createKvCache(cacheConfig(1, 1, 16), 1);
        if (!dynamic_cast<const vk::VulkanKvCache&>(*probe).keyBuffer(0).mapped())
            QSKIP("the KV cache memory is not host-visible on this device");
        checkQkNormRopeStore();
        std::unique_ptr<VulkanBackend> fp32Cache = createVulkanBackend({"", true, true});
        std::swap(gpu_, fp32Cache); // the checks run on gpu_
        checkQkNormRopeStore();
        std::swap(gpu_, fp32Cache);
        QVERIFY(fp32Cache->validationMessages().empty());
    }

    void attentionDecodeAndPrefill()
    {
        // The fp16 cache keeps about 3 decimal digits; the fp32 one leaves the GPU's fp32 arithmetic.
        checkAttention(3e-3);
        std::unique_ptr<VulkanBackend> fp32Cache = createVulkanBackend({"", true, true});
        std::swap(gpu_, fp32Cache);
        checkAttention(2e-5);
        std::swap(gpu_, fp32Cache);
        QVERIFY(fp32Cache->validationMessages().empty());
    }

    void moeRouteMatchesIdsAndWeights()
    {
        struct Case {
            std::int64_t experts, topK;
            bool normalize;
        };
        for (const Case c : {Case{128, 8, true}, Case{8, 2, false}, Case{6, 2, true}}) {
            const std::int64_t rows = 4;
            auto logits = rng_.values(rows * c.experts, -3.0f, 3.0f);
            logits[2] = logits[3] = 9.0f; // a tie at the top of row 0: the lower id wins
            Activation cl = onCpu(rows, c.experts, logits), gl = onGpu(rows, c.experts, logits);
            auto cr = cpu_->createExpertRouting(rows, c.topK), gr = gpu_->createExpertRouting(rows, c.topK);
            cpu_->moeRoute(cl, c.normalize, *cr);
            gpu_->moeRoute(gl, c.normalize, *gr);
            gpu_->readRow(gl, 0, std::span<float>(logits.data(), static_cast<std::size_t>(c.experts))); // waits
            const auto& want = dynamic_cast<const cpu::CpuExpertRouting&>(*cr);
            const auto& got = dynamic_cast<const vk::VulkanExpertRouting&>(*gr);
            if (!got.ids.mapped())
                QSKIP("routing memory is not host-visible on this device");
            const auto* ids = reinterpret_cast<const std::int32_t*>(got.ids.mapped());
            const auto* weights = reinterpret_cast<const float*>(got.weights.mapped());
            for (std::int64_t i = 0; i < rows * c.topK; ++i) {
                QCOMPARE(ids[i], want.ids[static_cast<std::size_t>(i)]);
                QVERIFY(near(weights[i], want.weights[static_cast<std::size_t>(i)], 1e-6, "weight", i));
            }
        }
    }

    void moeExpertsSeveralTypes()
    {
        for (TensorType type : {TensorType::F32, TensorType::F16, TensorType::Q8_0, TensorType::Q4_K, TensorType::Q6_K}) {
            const std::int64_t hidden = 256, ffn = 256, experts = 6, topK = 2;
            std::vector<TestTensor> tensors;
            for (std::int64_t e = 0; e < experts * 3; ++e)
                tensors.push_back(randomTensor(rng_, "expert" + std::to_string(e), type, hidden, ffn, -0.2f, 0.2f));
            std::vector<ExpertWeights> weights;
            for (std::int64_t e = 0; e < experts; ++e)
                weights.push_back({tensors[static_cast<std::size_t>(3 * e)].view,
                                   tensors[static_cast<std::size_t>(3 * e + 1)].view,
                                   tensors[static_cast<std::size_t>(3 * e + 2)].view});
            const TestTensor router = randomTensor(rng_, "router", TensorType::F32, hidden, experts);
            upload({}, {}, weights);
            for (std::int64_t rows : {1, 5, 10}) { // mat-vec (decode, a short chunk), grouped
                const auto logits = rng_.values(rows * experts, -3.0f, 3.0f);
                const auto x = rng_.values(rows * hidden);
                Activation cl = onCpu(rows, experts, logits), gl = onGpu(rows, experts, logits);
                Activation cx = onCpu(rows, hidden, x), gx = onGpu(rows, hidden, x);
                auto cr = cpu_->createExpertRouting(rows, topK), gr = gpu_->createExpertRouting(rows, topK);
                cpu_->moeRoute(cl, true, *cr);
                gpu_->moeRoute(gl, true, *gr);
                Activation co = cpu_->allocate(rows, hidden), go = gpu_->allocate(rows, hidden);
                cpu_->moeExperts(cx, weights, *cr, co);
                gpu_->moeExperts(gx, weights, *gr, go);
                const std::string what = tensorTypeName(type) + " rows " + std::to_string(rows);
                QVERIFY2(close(readAll(*gpu_, go), readAll(*cpu_, co), 1e-4, what), what.c_str());
            }
        }
    }

    // Prefill chunks (more than 8 rows) group their slots by expert on the GPU and run the grouped mat-mat
    // (forced here: on a CPU device the backend takes it only for well-filled experts). The router logits are
    // skewed so that some experts take every row (more than one 32-slot tile at 40 and 67 rows) and some
    // none; 8 rows, the last mat-vec chunk, is checked alongside.
    void moeExpertsGroupedPrefill()
    {
        VulkanOptions options{"", true};
        options.moeGroupedMinSlots = 0;
        std::unique_ptr<VulkanBackend> grouped = createVulkanBackend(options);
        std::swap(gpu_, grouped); // the checks below run on gpu_
        moeExpertsGroupedChecks();
        std::swap(gpu_, grouped);
        QVERIFY(grouped->validationMessages().empty());
    }

private:
    // moeExpertsGroupedPrefill's checks, on gpu_ (not a test function: the default backend may not group).
    void moeExpertsGroupedChecks()
    {
        struct Case {
            std::int64_t experts, topK;
        };
        for (const Case c : {Case{8, 2}, Case{128, 8}}) {
            for (TensorType type :
                 {TensorType::F32, TensorType::F16, TensorType::Q8_0, TensorType::Q4_K, TensorType::Q6_K}) {
                const std::int64_t hidden = 256, ffn = 256;
                std::vector<TestTensor> tensors;
                for (std::int64_t e = 0; e < c.experts * 3; ++e)
                    tensors.push_back(
                        randomTensor(rng_, "expert" + std::to_string(e), type, hidden, ffn, -0.2f, 0.2f));
                std::vector<ExpertWeights> weights;
                for (std::int64_t e = 0; e < c.experts; ++e)
                    weights.push_back({tensors[static_cast<std::size_t>(3 * e)].view,
                                       tensors[static_cast<std::size_t>(3 * e + 1)].view,
                                       tensors[static_cast<std::size_t>(3 * e + 2)].view});
                upload({}, {}, weights);
                for (std::int64_t rows : {8, 10, 40, 67}) {
                    auto logits = rng_.values(rows * c.experts, -3.0f, 3.0f);
                    for (std::int64_t r = 0; r < rows; ++r) {
                        float* row = logits.data() + r * c.experts;
                        row[1] += 10.0f;             // every row's first choice
                        row[c.experts - 1] -= 10.0f; // nobody's
                        for (std::int64_t e = c.experts / 2; e < c.experts / 2 + c.experts / 8; ++e)
                            row[e] -= 10.0f; // a run of experts without rows
                    }
                    const auto x = rng_.values(rows * hidden);
                    Activation cl = onCpu(rows, c.experts, logits), gl = onGpu(rows, c.experts, logits);
                    Activation cx = onCpu(rows, hidden, x), gx = onGpu(rows, hidden, x);
                    auto cr = cpu_->createExpertRouting(rows, c.topK), gr = gpu_->createExpertRouting(rows, c.topK);
                    cpu_->moeRoute(cl, true, *cr);
                    gpu_->moeRoute(gl, true, *gr);
                    Activation co = cpu_->allocate(rows, hidden), go = gpu_->allocate(rows, hidden);
                    cpu_->moeExperts(cx, weights, *cr, co);
                    const std::uint64_t before = gpu_->dispatchCount();
                    gpu_->moeExperts(gx, weights, *gr, go);
                    // grouping + gate + up + SwiGLU + down + combine; the mat-vec path has no grouping pass
                    QCOMPARE(gpu_->dispatchCount() - before, rows > 8 ? std::uint64_t{6} : std::uint64_t{5});
                    const std::string what = tensorTypeName(type) + " experts " + std::to_string(c.experts) +
                                             " top " + std::to_string(c.topK) + " rows " + std::to_string(rows);
                    QVERIFY2(close(readAll(*gpu_, go), readAll(*cpu_, co), 1e-4, what), what.c_str());
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestVulkanOps)
#include "test_vulkan_ops.moc"
