// Synthetic models: identical weights in both formats, deterministic by seed, llama.cpp's Q4_K_M type mix,
// quantised files close to their float source — all read back through the real loaders.
#include "core/error.h"
#include "formats/quant.h"
#include "model/model_file.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace ponder;

namespace {

std::vector<float> dequantized(const TensorView& t)
{
    std::vector<float> values(static_cast<std::size_t>(t.elements()));
    const auto rowBytesCount = *rowBytes(t.type, static_cast<std::uint64_t>(t.rowLength()));
    for (std::int64_t r = 0; r < t.rowCount(); ++r)
        dequantizeRow(t.type, t.data.data() + r * rowBytesCount, values.data() + r * t.rowLength(), t.rowLength());
    return values;
}

bool sameBytes(const TensorView& a, const TensorView& b)
{
    return a.type == b.type && a.dims == b.dims && a.data.size() == b.data.size() &&
           std::memcmp(a.data.data(), b.data.data(), a.data.size()) == 0;
}

// Every weight of the model in schedule order, so two models can be compared role by role.
std::vector<const TensorView*> allWeights(const ModelWeights& w)
{
    std::vector<const TensorView*> list{&w.embedding, &w.output, &w.outputNorm};
    for (const auto& l : w.layers) {
        for (const TensorView* t : {&l.attnNorm, &l.q, &l.k, &l.v, &l.o, &l.qNorm, &l.kNorm, &l.ffnNorm})
            list.push_back(t);
        if (l.sparse) {
            list.push_back(&l.router);
            for (const auto& e : l.experts)
                for (const TensorView* t : {&e.gate, &e.up, &e.down})
                    list.push_back(t);
        } else {
            for (const TensorView* t : {&l.gate, &l.up, &l.down})
                list.push_back(t);
        }
    }
    return list;
}

} // namespace

class TestSynth : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    std::filesystem::path write(const std::string& preset, SynthFormat format, const std::string& type,
                                std::uint64_t seed = 1, std::optional<std::int64_t> layers = {})
    {
        SynthOptions o;
        o.preset = preset;
        o.format = format;
        o.type = type;
        o.seed = seed;
        o.layers = layers;
        o.tokenizerDir = test::tokenizerJson().parent_path();
        o.out = dir_.filePath(QString::fromStdString(preset + "-" + type + "-" + std::to_string(seed) +
                                                     (format == SynthFormat::Gguf ? ".gguf" : "-hf")))
                    .toStdString();
        writeSyntheticModel(o);
        return o.out;
    }

private slots:
    void bothFormatsHoldIdenticalWeights_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::newRow("tiny-dense") << "tiny-dense";
        QTest::newRow("tiny-dense-untied") << "tiny-dense-untied";
        QTest::newRow("tiny-moe") << "tiny-moe";
    }

    void bothFormatsHoldIdenticalWeights()
    {
        QFETCH(QString, preset);
        const auto gguf = ModelFile::open(write(preset.toStdString(), SynthFormat::Gguf, "f32"));
        const auto hf = ModelFile::open(write(preset.toStdString(), SynthFormat::HuggingFace, "f32"));
        QCOMPARE(gguf->config().layerCount, hf->config().layerCount);
        QCOMPARE(gguf->config().tiedEmbeddings, hf->config().tiedEmbeddings);
        QCOMPARE(gguf->config().isMoe(), hf->config().isMoe());
        const auto a = allWeights(gguf->weights());
        const auto b = allWeights(hf->weights());
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(sameBytes(*a[i], *b[i]), (a[i]->name + " vs " + b[i]->name).c_str());
        QCOMPARE(gguf->parameterCount(), hf->parameterCount());
    }

    void weightsAreDeterministicBySeed()
    {
        const auto a = ModelFile::open(write("tiny-dense", SynthFormat::Gguf, "f16", 7));
        const auto b = ModelFile::open(write("tiny-dense", SynthFormat::HuggingFace, "f16", 7));
        const auto c = ModelFile::open(write("tiny-dense", SynthFormat::Gguf, "f16", 8));
        QVERIFY(sameBytes(a->weights().layers[0].q, b->weights().layers[0].q));
        QVERIFY(!sameBytes(a->weights().layers[0].q, c->weights().layers[0].q));
    }

    void weightScalesKeepActivationsBounded()
    {
        const auto model = ModelFile::open(write("tiny-dense-untied", SynthFormat::Gguf, "f32"));
        for (const TensorView* t : allWeights(model->weights())) {
            for (float v : dequantized(*t)) {
                QVERIFY(std::isfinite(v));
                QVERIFY2(std::fabs(v) < 2.0f, t->name.c_str());
            }
        }
        // Norm weights sit around 1, projections around +-1/sqrt(fan_in).
        const auto norm = dequantized(model->weights().layers[0].attnNorm);
        for (float v : norm)
            QVERIFY(v > 0.75f && v < 1.25f);
    }

    void quantisedFilesStayCloseToTheirSource_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<double>("bound");
        QTest::newRow("q8_0") << "q8_0" << 0.01;
        QTest::newRow("q4_0") << "q4_0" << 0.12;
        QTest::newRow("f16") << "f16" << 0.001;
        QTest::newRow("bf16") << "bf16" << 0.005;
    }

    void quantisedFilesStayCloseToTheirSource()
    {
        QFETCH(QString, type);
        QFETCH(double, bound);
        const auto exact = ModelFile::open(write("tiny-dense", SynthFormat::Gguf, "f32"));
        const auto quant = ModelFile::open(write("tiny-dense", SynthFormat::Gguf, type.toStdString()));
        const auto a = dequantized(exact->weights().layers[1].q);
        const auto b = dequantized(quant->weights().layers[1].q);
        double err = 0, ref = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            err += (a[i] - b[i]) * double(a[i] - b[i]);
            ref += a[i] * double(a[i]);
        }
        QVERIFY2(std::sqrt(err / ref) < bound, qPrintable(QString::number(std::sqrt(err / ref))));
    }

    void q4kmMixFollowsLlamaCpp()
    {
        // 0.6B shape cut to 8 layers: more-bits layers are 0, 3, 6, 7 (i < n/8, i >= 7n/8, (i - n/8) % 3 == 2).
        const auto model = ModelFile::open(write("0.6b", SynthFormat::Gguf, "q4_k_m", 1, 8));
        const auto& w = model->weights();
        QCOMPARE(model->config().layerCount, 8);
        QCOMPARE(w.embedding.type, TensorType::Q6_K); // tied: quantised like the output
        QCOMPARE(w.outputNorm.type, TensorType::F32);
        for (int l = 0; l < 8; ++l) {
            const bool moreBits = l == 0 || l == 3 || l == 6 || l == 7;
            const auto expected = moreBits ? TensorType::Q6_K : TensorType::Q4_K;
            QCOMPARE(w.layers[l].v.type, expected);
            QCOMPARE(w.layers[l].down.type, expected);
            QCOMPARE(w.layers[l].q.type, TensorType::Q4_K);
            QCOMPARE(w.layers[l].gate.type, TensorType::Q4_K);
            QCOMPARE(w.layers[l].qNorm.type, TensorType::F32);
        }
        QCOMPARE(model->config().headDim, 128);
        QCOMPARE(model->config().hiddenSize, 1024);
    }

    void badOptionsLeaveNothingBehind()
    {
        SynthOptions o;
        o.preset = "tiny-dense";
        o.tokenizerDir = test::tokenizerJson().parent_path();
        o.out = dir_.filePath("no-such-dir/model.gguf").toStdString();
        QVERIFY_THROWS_EXCEPTION(ponder::Error, writeSyntheticModel(o));
        QVERIFY(!std::filesystem::exists(o.out));
        o.out = dir_.filePath("t.gguf").toStdString();
        o.tokenizerDir = dir_.filePath("no-tokenizer").toStdString();
        try {
            writeSyntheticModel(o);
            QFAIL("expected an error");
        } catch (const ponder::Error& e) {
            QVERIFY2(std::string(e.what()).find("tokenizer.json") != std::string::npos, e.what());
        }
        QVERIFY(!std::filesystem::exists(o.out));
    }
};

QTEST_GUILESS_MAIN(TestSynth)
#include "test_synth.moc"
