// Weight binding from GGUF files and Hugging Face folders written with the real writers: the same logical
// weights give the same bytes role by role (so GGUF expert slabs are cut at the right offsets), tied and untied
// output, mixed dense/sparse MoE layers, and the exact message for each kind of broken file.
#include "gguf/gguf.h"
#include "model/model_weights.h"
#include "safetensors/hf_folder.h"
#include "model_test_util.h"
#include "test_support.h"
#include "tiny_models.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace ponder;
using namespace ponder::test;

namespace {

struct BoundGguf {
    std::unique_ptr<GgufFile> file;
    ModelConfig config;
    ModelWeights weights;
};

struct BoundHf {
    std::unique_ptr<HfFolder> folder;
    ModelConfig config;
    ModelWeights weights;
};

BoundGguf bindGguf(const std::filesystem::path& path)
{
    BoundGguf bound;
    bound.file = GgufFile::open(path);
    bound.config = configFromGguf(*bound.file, path.string());
    const GgufFile* file = bound.file.get();
    bound.weights = bindGgufWeights(bound.config, [file](std::string_view n) { return file->tensor(n); },
                                    path.string());
    return bound;
}

BoundHf bindHf(const std::filesystem::path& folder)
{
    BoundHf bound;
    bound.folder = HfFolder::open(folder);
    bound.config = configFromHfConfig(bound.folder->config(), (folder / "config.json").string());
    const HfFolder* hf = bound.folder.get();
    bound.weights = bindHfWeights(bound.config, [hf](std::string_view n) { return hf->tensor(n); },
                                  folder.string());
    return bound;
}

bool sameBytes(const TensorView& a, const TensorView& b)
{
    return a.data.size() == b.data.size() && std::memcmp(a.data.data(), b.data.data(), a.data.size()) == 0;
}

// The role each bound view must hold, named as tiny_models derives its values (GGUF name, "[e]" per expert).
std::string expectedRole(const std::string& label, bool tied)
{
    if (label == "embedding" || (label == "output" && tied))
        return "token_embd.weight";
    if (label == "output")
        return "output.weight";
    if (label == "outputNorm")
        return "output_norm.weight";
    const auto dot = label.find('.');
    const std::string layer = label.substr(5, dot - 5), rest = label.substr(dot + 1);
    const std::string blk = "blk." + layer + ".";
    static const std::map<std::string, std::string> names = {
        {"attnNorm", "attn_norm"}, {"q", "attn_q"},           {"k", "attn_k"},
        {"v", "attn_v"},           {"o", "attn_output"},      {"qNorm", "attn_q_norm"},
        {"kNorm", "attn_k_norm"},  {"ffnNorm", "ffn_norm"},   {"gate", "ffn_gate"},
        {"up", "ffn_up"},          {"down", "ffn_down"},      {"router", "ffn_gate_inp"}};
    if (rest.rfind("expert", 0) == 0) {
        const auto dot2 = rest.find('.');
        const std::string expert = rest.substr(6, dot2 - 6), proj = rest.substr(dot2 + 1);
        return blk + "ffn_" + proj + "_exps.weight[" + expert + "]";
    }
    return blk + names.at(rest) + ".weight";
}

} // namespace

class TestModelWeights : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    int counter_ = 0;

    std::filesystem::path fresh(const std::string& suffix)
    {
        return dir_.filePath(QString::number(++counter_)).toStdString() + suffix;
    }

private slots:
    void bothFormatsBindTheSameWeights_data()
    {
        QTest::addColumn<bool>("moe");
        QTest::addColumn<bool>("tied");
        QTest::addColumn<int>("type");
        for (bool moe : {false, true})
            for (bool tied : {false, true})
                for (TensorType type : {TensorType::F32, TensorType::F16, TensorType::BF16})
                    QTest::addRow("%s %s %s", moe ? "moe" : "dense", tied ? "tied" : "untied",
                                  tensorTypeName(type).c_str())
                        << moe << tied << static_cast<int>(type);
    }

    void bothFormatsBindTheSameWeights()
    {
        QFETCH(bool, moe);
        QFETCH(bool, tied);
        QFETCH(int, type);
        ModelConfig config = moe ? tinyMoe() : tinyDense();
        config.tiedEmbeddings = tied;
        TinyOptions options;
        options.matrixType = static_cast<TensorType>(type);

        const auto ggufPath = fresh(".gguf");
        const auto hfPath = fresh("-hf");
        writeGgufModel(ggufPath, config, options);
        writeHfModel(hfPath, config, options);
        const auto gguf = bindGguf(ggufPath);
        const auto hf = bindHf(hfPath);

        QCOMPARE(configDifference(gguf.config, config), QString());
        QCOMPARE(configDifference(hf.config, config), QString());
        QCOMPARE(gguf.weights.layers.size(), std::size_t{2});

        const auto fromGguf = weightsByRole(gguf.weights);
        const auto fromHf = weightsByRole(hf.weights);
        QCOMPARE(fromGguf.size(), fromHf.size());
        for (std::size_t i = 0; i < fromGguf.size(); ++i) {
            const auto& [label, g] = fromGguf[i];
            const TensorView& h = *fromHf[i].second;
            QCOMPARE(QString::fromStdString(fromHf[i].first), QString::fromStdString(label));
            QVERIFY2(g->dims == h.dims, label.c_str());
            QVERIFY2(g->type == h.type, label.c_str());
            QVERIFY2(sameBytes(*g, h), label.c_str());
            // ...and they are the bytes written for that role, so no view is shifted or swapped.
            const auto expected = roleBytes(expectedRole(label, tied), g->type, g->elements());
            QVERIFY2(g->data.size() == expected.size() &&
                         std::memcmp(g->data.data(), expected.data(), expected.size()) == 0,
                     label.c_str());
        }

        QCOMPARE(gguf.weights.output.data.data() == gguf.weights.embedding.data.data(), tied);
        QCOMPARE(hf.weights.output.data.data() == hf.weights.embedding.data.data(), tied);
        for (const auto& layer : gguf.weights.layers) {
            QCOMPARE(layer.sparse, moe);
            QCOMPARE(layer.experts.size(), std::size_t(moe ? 4 : 0));
            if (moe) {
                QCOMPARE(layer.experts[1].gate.dims, (std::vector<std::int64_t>{64, 32}));
                QCOMPARE(layer.experts[3].down.dims, (std::vector<std::int64_t>{32, 64}));
                QVERIFY(!sameBytes(layer.experts[0].up, layer.experts[1].up));
            }
        }
    }

    // decoder_sparse_step 2 and mlp_only_layers [3] over 4 layers: only layer 1 is MoE.
    void mixedDenseAndSparseLayers()
    {
        ModelConfig config = tinyMoe();
        config.layerCount = 4;
        config.decoderSparseStep = 2;
        config.mlpOnlyLayers = {3};
        const auto folder = fresh("-hf");
        writeHfModel(folder, config);
        const auto hf = bindHf(folder);
        QCOMPARE(hf.config.mlpOnlyLayers, std::vector<std::int64_t>{3});
        const std::vector<bool> sparse{false, true, false, false};
        for (std::size_t l = 0; l < 4; ++l) {
            const auto& layer = hf.weights.layers[l];
            QCOMPARE(layer.sparse, bool(sparse[l]));
            if (layer.sparse) {
                QCOMPARE(layer.router.dims, (std::vector<std::int64_t>{64, 4}));
                QCOMPARE(layer.experts.size(), std::size_t{4});
                QVERIFY(layer.gate.data.empty());
            } else {
                QCOMPARE(layer.gate.dims, (std::vector<std::int64_t>{64, 128}));
                QCOMPARE(layer.down.dims, (std::vector<std::int64_t>{128, 64}));
                QVERIFY(layer.experts.empty());
            }
        }
    }

    void tiedDetection()
    {
        // GGUF: tied exactly when output.weight is absent.
        ModelConfig tied = tinyDense();
        tied.tiedEmbeddings = true;
        const auto ggufTied = fresh(".gguf");
        writeGgufModel(ggufTied, tied);
        QVERIFY(bindGguf(ggufTied).config.tiedEmbeddings);
        const auto ggufUntied = fresh(".gguf");
        writeGgufModel(ggufUntied, tinyDense());
        QVERIFY(!bindGguf(ggufUntied).config.tiedEmbeddings);

        // HF: tie_word_embeddings decides; an lm_head a tied checkpoint carries anyway is not used.
        TinyOptions withHead;
        withHead.lmHeadWhenTied = true;
        const auto hfTied = fresh("-hf");
        writeHfModel(hfTied, tied, withHead);
        const auto bound = bindHf(hfTied);
        QVERIFY(bound.config.tiedEmbeddings);
        QCOMPARE(bound.weights.output.data.data(), bound.weights.embedding.data.data());

        TinyOptions noHead;
        noHead.omit = "lm_head.weight";
        const auto hfUntied = fresh("-hf");
        writeHfModel(hfUntied, tinyDense(), noHead);
        QCOMPARE(errorOf([&] { bindHf(hfUntied); }), QString::fromStdString(hfUntied.string()) +
                                                          ": missing tensor lm_head.weight");
    }

    void brokenFiles_data()
    {
        QTest::addColumn<bool>("gguf");
        QTest::addColumn<bool>("moe");
        QTest::addColumn<QString>("omit");
        QTest::addColumn<QString>("reshape");
        QTest::addColumn<QList<qint64>>("dims");
        QTest::addColumn<QString>("retype");
        QTest::addColumn<QString>("message");
        const QList<qint64> none;
        QTest::newRow("gguf missing k_norm") << true << false << "blk.1.attn_k_norm.weight" << "" << none << ""
                                             << "missing tensor blk.1.attn_k_norm.weight";
        QTest::newRow("gguf missing output") << true << false << "output_norm.weight" << "" << none << ""
                                             << "missing tensor output_norm.weight";
        QTest::newRow("gguf missing slab") << true << true << "blk.0.ffn_down_exps.weight" << "" << none << ""
                                           << "missing tensor blk.0.ffn_down_exps.weight";
        QTest::newRow("hf missing expert") << false << true << "model.layers.1.mlp.experts.3.up_proj.weight" << ""
                                           << none << ""
                                           << "missing tensor model.layers.1.mlp.experts.3.up_proj.weight";
        QTest::newRow("hf missing router") << false << true << "model.layers.0.mlp.gate.weight" << "" << none << ""
                                           << "missing tensor model.layers.0.mlp.gate.weight";
        QTest::newRow("gguf q shape") << true << false << "" << "blk.0.attn_q.weight" << QList<qint64>{64, 96} << ""
                                      << "tensor blk.0.attn_q.weight has shape [64, 96], expected [64, 128]";
        QTest::newRow("hf o shape") << false << false << "" << "model.layers.1.self_attn.o_proj.weight"
                                    << QList<qint64>{64, 128} << ""
                                    << "tensor model.layers.1.self_attn.o_proj.weight has shape [64, 128], "
                                       "expected [128, 64]";
        QTest::newRow("gguf slab experts") << true << true << "" << "blk.1.ffn_gate_exps.weight"
                                           << QList<qint64>{64, 32, 3} << ""
                                           << "tensor blk.1.ffn_gate_exps.weight has shape [64, 32, 3], expected "
                                              "[64, 32, 4]";
        QTest::newRow("gguf q_norm 2-D") << true << false << "" << "blk.0.attn_q_norm.weight"
                                         << QList<qint64>{32, 1} << ""
                                         << "tensor blk.0.attn_q_norm.weight has shape [32, 1], expected [32]";
        QTest::newRow("gguf quantised norm") << true << false << "" << "" << none << "blk.0.attn_norm.weight"
                                             << "tensor blk.0.attn_norm.weight has type Q8_0, which Ponder cannot "
                                                "use for a norm (expected F32, F16 or BF16)";
        QTest::newRow("gguf quantised router") << true << true << "" << "" << none << "blk.1.ffn_gate_inp.weight"
                                               << "tensor blk.1.ffn_gate_inp.weight has type Q8_0, which Ponder "
                                                  "cannot use for the MoE router (expected F32, F16 or BF16)";
        QTest::newRow("gguf output vocab") << true << false << "" << "output.weight" << QList<qint64>{64, 200} << ""
                                           << "tensor output.weight has shape [64, 200], expected [64, 256]";
    }

    void brokenFiles()
    {
        QFETCH(bool, gguf);
        QFETCH(bool, moe);
        QFETCH(QString, omit);
        QFETCH(QString, reshape);
        QFETCH(QList<qint64>, dims);
        QFETCH(QString, retype);
        QFETCH(QString, message);
        TinyOptions options;
        options.omit = omit.toStdString();
        options.reshape = reshape.toStdString();
        for (auto d : dims)
            options.reshapeDims.push_back(d);
        options.retype = retype.toStdString();
        const ModelConfig config = moe ? tinyMoe() : tinyDense();
        const auto path = fresh(gguf ? ".gguf" : "-hf");
        if (gguf)
            writeGgufModel(path, config, options);
        else
            writeHfModel(path, config, options);
        const QString error = gguf ? errorOf([&] { bindGguf(path); }) : errorOf([&] { bindHf(path); });
        QCOMPARE(error, QString::fromStdString(path.string()) + ": " + message);
    }

    // config.json's vocab_size must match the embedding it describes.
    void hfVocabMismatch()
    {
        TinyOptions options;
        options.hfVocabOverride = 300;
        const auto folder = fresh("-hf");
        writeHfModel(folder, tinyDense(), options);
        QCOMPARE(errorOf([&] { bindHf(folder); }),
                 QString::fromStdString(folder.string()) +
                     ": tensor model.embed_tokens.weight has 256 rows (one per token), but config.json's "
                     "vocab_size is 300");
    }

    // The binder checks the views it is given, whatever produced them.
    void lookupViewsAreChecked()
    {
        const ModelConfig config = tinyDense();
        TensorView shortNorm{"output_norm.weight", TensorType::F32, {64}, {}};
        std::vector<std::uint8_t> bytes(100);
        shortNorm.data = bytes;
        const TensorLookup lookup = [&](std::string_view name) -> const TensorView* {
            return name == "output_norm.weight" ? &shortNorm : nullptr;
        };
        QCOMPARE(errorOf([&] { bindGgufWeights(config, lookup, "fake"); }),
                 QString("fake: missing tensor token_embd.weight"));

        GgufWriter w;
        w.set("general.architecture", GgufValue::ofString("qwen3"));
        setGgufHparams(w, config);
        for (const char* name : {"token_embd.weight", "output.weight"})
            w.addTensor(name, TensorType::F32, {64, 256}, roleBytes(name, TensorType::F32, 64 * 256));
        const auto gguf = parseGguf(w, "fake");
        const TensorLookup mixed = [&](std::string_view name) -> const TensorView* {
            return name == "output_norm.weight" ? &shortNorm : gguf->tensor(name);
        };
        QCOMPARE(errorOf([&] { bindGgufWeights(config, mixed, "fake"); }),
                 QString("fake: tensor output_norm.weight holds 100 bytes, expected 256"));
    }
};

QTEST_GUILESS_MAIN(TestModelWeights)
#include "test_model_weights.moc"
