// The download catalog (app/library/catalog.*): the built-in Qwen3 list parses with all eight models and their
// facts, URLs follow the endpoint (Hugging Face, a mirror, ModelScope), bad documents are refused with a
// message naming the entry, and the fit and the recommendation follow the machine's memory.
#include "core/error.h"
#include "library/catalog.h"

#include <QTest>

#include <algorithm>

using namespace ponder;
using namespace ponder::library;

namespace {

constexpr qint64 GB = 1000LL * 1000 * 1000;

constexpr std::int64_t kContext = 4096;

QString recommended(const Catalog& catalog, MachineMemory memory)
{
    const auto r = recommend(catalog, memory, kContext);
    return r ? catalog.models[r->model].files[r->file].file : QStringLiteral("none");
}

QString errorOf(const char* json)
{
    try {
        parseCatalog(QByteArray(json));
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestCatalog : public QObject {
    Q_OBJECT

private slots:
    void builtInListsTheEightModels()
    {
        const Catalog catalog = builtInCatalog();
        QStringList ids;
        for (const CatalogModel& m : catalog.models)
            ids << m.id;
        QCOMPARE(ids, QStringList({"Qwen3-0.6B", "Qwen3-1.7B", "Qwen3-4B", "Qwen3-8B", "Qwen3-14B", "Qwen3-32B",
                                   "Qwen3-30B-A3B", "Qwen3-235B-A22B"}));
        for (const CatalogModel& m : catalog.models) {
            QCOMPARE(m.ggufRepo, QStringLiteral("Qwen/%1-GGUF").arg(m.id));
            QCOMPARE(m.safetensorsRepo, QStringLiteral("Qwen/%1").arg(m.id));
            QCOMPARE(m.thinking, QStringLiteral("hybrid"));
            QCOMPARE(m.contextLength, 32768);
            QVERIFY(!m.files.isEmpty());
            for (const CatalogFile& f : m.files) {
                QVERIFY(f.sizeApproximate);
                QVERIFY(f.sizeBytes > m.parameters / 4); // at least 2 bits per weight
                if (f.downloadable())
                    QCOMPARE(f.file, QStringLiteral("%1-%2.gguf").arg(m.id, f.quant));
            }
        }
        const CatalogModel* moe = catalog.find(QStringLiteral("Qwen3-30B-A3B"));
        QVERIFY(moe && moe->moe);
        QVERIFY(moe->activeParameters < moe->parameters / 5);
        const CatalogModel* dense = catalog.find(QStringLiteral("Qwen3-8B"));
        QVERIFY(dense && !dense->moe);
        QCOMPARE(dense->activeParameters, dense->parameters);
        QCOMPARE(dense->files.first().file, QStringLiteral("Qwen3-8B-Q4_K_M.gguf"));
        // The 0.6B repository offers one file; the 235B's are split, so none is downloadable here.
        QCOMPARE(catalog.find(QStringLiteral("Qwen3-0.6B"))->files.size(), 1);
        for (const CatalogFile& f : catalog.find(QStringLiteral("Qwen3-235B-A22B"))->files)
            QVERIFY(f.split && !f.downloadable());
    }

    void urlsFollowTheEndpoint()
    {
        const QString repo = QStringLiteral("Qwen/Qwen3-8B-GGUF");
        const QString file = QStringLiteral("Qwen3-8B-Q4_K_M.gguf");
        QCOMPARE(fileUrl(Endpoint::huggingFace(), repo, file),
                 QUrl("https://huggingface.co/Qwen/Qwen3-8B-GGUF/resolve/main/Qwen3-8B-Q4_K_M.gguf"));
        QCOMPARE(fileUrl(Endpoint::mirrorAt(QUrl("https://hf-mirror.com/")), repo, file),
                 QUrl("https://hf-mirror.com/Qwen/Qwen3-8B-GGUF/resolve/main/Qwen3-8B-Q4_K_M.gguf"));
        QCOMPARE(fileUrl(Endpoint::mirrorAt(QUrl("http://127.0.0.1:8080/hub")), repo, file),
                 QUrl("http://127.0.0.1:8080/hub/Qwen/Qwen3-8B-GGUF/resolve/main/Qwen3-8B-Q4_K_M.gguf"));
        QCOMPARE(fileUrl(Endpoint::modelScope(), repo, file),
                 QUrl("https://modelscope.cn/models/Qwen/Qwen3-8B-GGUF/resolve/master/Qwen3-8B-Q4_K_M.gguf"));
        QCOMPARE(repoUrl(Endpoint::modelScope(), QStringLiteral("Qwen/Qwen3-8B")), QUrl("https://modelscope.cn/models/Qwen/Qwen3-8B"));
        QCOMPARE(repoUrl(Endpoint::huggingFace(), QStringLiteral("Qwen/Qwen3-8B")), QUrl("https://huggingface.co/Qwen/Qwen3-8B"));
        // ModelScope at another site (a test server): files under <site>/models, the API under <site>/api/v1.
        QCOMPARE(fileUrl(Endpoint::modelScopeAt(QUrl("http://127.0.0.1:8080/")), repo, file),
                 QUrl("http://127.0.0.1:8080/models/Qwen/Qwen3-8B-GGUF/resolve/master/Qwen3-8B-Q4_K_M.gguf"));
        QCOMPARE(siteUrl(Endpoint::modelScope()), QStringLiteral("https://modelscope.cn"));
        QCOMPARE(siteUrl(Endpoint::modelScopeAt(QUrl("http://127.0.0.1:8080/"))), QStringLiteral("http://127.0.0.1:8080"));
        QCOMPARE(siteUrl(Endpoint::huggingFace()), QStringLiteral("https://huggingface.co"));
        QVERIFY(siteUrl(Endpoint::modelScopeAt(QUrl("ftp://example.com"))).isEmpty());
        // A mirror that is no web address gives no URL rather than a wrong one.
        QVERIFY(!fileUrl(Endpoint::mirrorAt(QUrl()), repo, file).isValid());
        QVERIFY(!fileUrl(Endpoint::mirrorAt(QUrl("ftp://example.com")), repo, file).isValid());
        QVERIFY(!fileUrl(Endpoint::mirrorAt(QUrl("hf-mirror.com")), repo, file).isValid());
    }

    void badDocumentsAreRefused()
    {
        QVERIFY(errorOf("{").contains("model catalog"));
        QVERIFY(errorOf("{\"models\": []}").contains("at least one model"));
        const QString noRepo = errorOf(R"({"models":[{"id":"X","parameters":1,"activeParameters":1,"architecture":"dense",
            "contextLength":1,"layers":1,"kvHeads":1,"headDim":1,"thinking":"hybrid","safetensorsRepo":"a/b","files":[]}]})");
        QVERIFY2(noRepo.contains("X: \"ggufRepo\""), qPrintable(noRepo));
        const QString badFile = errorOf(R"({"models":[{"id":"X","parameters":1,"activeParameters":1,"architecture":"dense",
            "contextLength":1,"layers":1,"kvHeads":1,"headDim":1,"thinking":"hybrid","ggufRepo":"a/b","safetensorsRepo":"a/b",
            "files":[{"quant":"Q8_0","sizeBytes":5,"file":"../x.gguf"}]}]})");
        QVERIFY2(badFile.contains("X Q8_0: \"file\" must be a .gguf file name"), qPrintable(badFile));
        const QString badArch = errorOf(R"({"models":[{"id":"X","parameters":1,"activeParameters":1,"architecture":"sparse",
            "contextLength":1,"layers":1,"kvHeads":1,"headDim":1,"thinking":"hybrid","ggufRepo":"a/b","safetensorsRepo":"a/b","files":[]}]})");
        QVERIFY2(badArch.contains("\"architecture\" must be"), qPrintable(badArch));
        const QString noShape = errorOf(R"({"models":[{"id":"X","parameters":1,"activeParameters":1,"architecture":"dense",
            "contextLength":1,"layers":1,"headDim":1,"thinking":"hybrid","ggufRepo":"a/b","safetensorsRepo":"a/b","files":[]}]})");
        QVERIFY2(noShape.contains("X: \"kvHeads\""), qPrintable(noShape));
    }

    void fitFollowsTheMemoryAndTheContext()
    {
        const Catalog catalog = builtInCatalog();
        const CatalogModel* model = catalog.find(QStringLiteral("Qwen3-8B"));
        QVERIFY(model);
        const auto q8 = std::find_if(model->files.begin(), model->files.end(),
                                     [](const CatalogFile& f) { return f.quant == QLatin1String("Q8_0"); });
        QVERIFY(q8 != model->files.end());
        // 36 layers × 8 KV heads × 128 × 2 (K and V) × 2 bytes: 144 KiB per position, as the Installed list counts.
        const MemoryEstimate at4k = estimateMemory(*model, *q8, kContext);
        QCOMPARE(at4k.weightsBytes, q8->sizeBytes);
        QCOMPARE(at4k.kvCacheBytes, 144LL * 1024 * kContext);
        QCOMPARE(at4k.overheadBytes, kMemoryOverheadBytes);
        const auto fit = [&](MachineMemory machine, std::int64_t context) {
            return classifyFit(estimateMemory(*model, *q8, context), machine);
        };
        // 8.7 GB of weights: 9.6 GB at 4K positions, 13.8 GB at 32K.
        QCOMPARE(fit({12 * GB, 32 * GB, {}}, kContext), Fit::Gpu);
        QCOMPARE(fit({12 * GB, 32 * GB, {}}, 32768), Fit::Partial);
        QCOMPARE(fit({4 * GB, 8 * GB, {}}, kContext), Fit::Partial);
        QCOMPARE(fit({0, 16 * GB, {}}, kContext), Fit::Cpu);
        QCOMPARE(fit({0, 8 * GB, {}}, kContext), Fit::None);
        QCOMPARE(fit({2 * GB, 4 * GB, {}}, kContext), Fit::None);
    }

    void recommendationFollowsTheMemory()
    {
        const Catalog catalog = builtInCatalog();
        // Needs at 4K positions (file + KV cache + 256 MiB). A 24 GB GPU: the 32B at Q5_0 (22.5 GB, needs
        // 23.9); its Q5_K_M needs 24.7.
        QCOMPARE(recommended(catalog, {24 * GB, 64 * GB, {}}), QStringLiteral("Qwen3-32B-Q5_0.gguf"));
        // An 8 GB GPU: the 8B at Q6_K (6.8 GB, needs 7.6); its Q8_0 needs 9.6.
        QCOMPARE(recommended(catalog, {8 * GB, 16 * GB, {}}), QStringLiteral("Qwen3-8B-Q6_K.gguf"));
        // An H200: the 30B-A3B and 32B at Q8_0 both fit; the bigger file wins.
        QCOMPARE(recommended(catalog, {141 * GB, 128 * GB, {}}), QStringLiteral("Qwen3-32B-Q8_0.gguf"));
        // No GPU, 16 GB of RAM: the 14B at Q6_K (12.2 GB, needs 13.1); its Q8_0 needs 16.6.
        QCOMPARE(recommended(catalog, {0, 16 * GB, {}}), QStringLiteral("Qwen3-14B-Q6_K.gguf"));
        // A GPU too small for anything falls back to the RAM: the 4B at Q5_K_M (needs 3.7 GB of 4).
        QCOMPARE(recommended(catalog, {GB / 2, 4 * GB, {}}), QStringLiteral("Qwen3-4B-Q5_K_M.gguf"));
        // Nothing fits.
        QCOMPARE(recommended(catalog, {0, GB / 2, {}}), QStringLiteral("none"));
        QCOMPARE(recommended(catalog, {0, 0, {}}), QStringLiteral("none"));
    }

    void machineMemoryIsFound()
    {
        const MachineMemory memory = detectMachineMemory();
        QVERIFY(memory.ramBytes > 100 * 1000 * 1000);
        QVERIFY(memory.gpuBytes >= 0);
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "test_catalog.moc"
