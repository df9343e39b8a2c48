// Quantised files. Two questions, two checks:
//  - is the engine exact on them? Against the float64 NumPy reference reading the same quantised file (its
//    own block decoders in tests/tools/ggml_blocks.py), the logits agree as closely as for f32 files.
//  - how far does quantisation move the model? Against the f32 file of the same preset and seed, the logits
//    stay within a bound per type and the top-1 token agrees at most positions.
// The tiny presets' 32-, 64- and 128-wide rows are shorter than a k-quant block, so there q4_k stores Q5_0
// and q6_k Q8_0 (llama.cpp's fallback); the 0.6B shape cut to one layer has 1024/2048/3072-wide rows where
// real Q4_K and Q6_K blocks apply.
#include "forward_harness.h"

#include <QTest>

#include <map>

using namespace ponder;
using namespace ponder::test;

namespace {

// As for f32 files in test_forward_reference: the engine computes in fp32 over exactly decoded weights.
constexpr double kReferenceBound = 1e-4;

std::optional<std::int64_t> layersOption(int layers)
{
    return layers > 0 ? std::optional<std::int64_t>(layers) : std::nullopt;
}

} // namespace

class TestForwardQuantised : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::map<std::string, std::filesystem::path> written_;         // by preset and type
    std::map<std::string, std::vector<std::vector<float>>> exact_; // f32 logits by preset

    std::filesystem::path model(const QString& preset, const QString& type, int layers)
    {
        const std::string key = preset.toStdString() + " " + type.toStdString();
        auto it = written_.find(key);
        if (it == written_.end())
            it = written_
                     .emplace(key, writeModel(dir_, preset.toStdString(), SynthFormat::Gguf, type.toStdString(),
                                              layersOption(layers)))
                     .first;
        return it->second;
    }

    const std::vector<std::vector<float>>& exactLogits(const QString& preset, int layers,
                                                       const std::vector<std::int32_t>& ids)
    {
        auto it = exact_.find(preset.toStdString());
        if (it == exact_.end()) {
            LoadedModel f32 = loadModel(model(preset, "f32", layers));
            it = exact_.emplace(preset.toStdString(), allLogits(*f32.forward, ids)).first;
        }
        return it->second;
    }

private slots:
    void matchesNumpyReference_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("layers"); // 0: the preset's depth
        QTest::newRow("tiny-dense q8_0") << "tiny-dense" << "q8_0" << 0;
        QTest::newRow("tiny-dense q4_0") << "tiny-dense" << "q4_0" << 0;
        QTest::newRow("tiny-moe q4_k (q5_0)") << "tiny-moe" << "q4_k" << 0;
        QTest::newRow("0.6b q4_k_m (q4_k + q6_k)") << "0.6b" << "q4_k_m" << 1;
    }

    void matchesNumpyReference()
    {
        QFETCH(QString, preset);
        QFETCH(QString, type);
        QFETCH(int, layers);
        const auto ids = promptIds(16);
        const auto path = model(preset, type, layers);
        Reference reference;
        try {
            reference = runReference(path, ids, 0);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        LoadedModel engine = loadModel(path);
        const auto logits = allLogits(*engine.forward, ids);
        QCOMPARE(reference.logits.size(), ids.size());
        double worst = 0;
        for (std::size_t p = 0; p < ids.size(); ++p)
            worst = std::max(worst, relativeError(logits[p], reference.logits[p]));
        qInfo("%s: worst relative error against the NumPy reference %.3g", QTest::currentDataTag(), worst);
        QVERIFY2(worst <= kReferenceBound, qPrintable(QString("relative error %1").arg(worst)));
    }

    // The bounds are the measured worst relative error (max |a - b| / max |f32| over a position's logits)
    // with about 1.5x headroom: loose enough for any exact backend, tight enough that a mis-decoded block (a
    // wrong scale or nibble order) fails. MoE moves most: a perturbed router picks other experts.
    void closeToF32_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("layers");
        QTest::addColumn<double>("bound");        // worst relative error over the positions
        QTest::addColumn<int>("minTop1Agreeing"); // of the 16 prompt positions
        const struct {
            const char* preset;
            const char* type;
            int layers;
            double bound;
            int top1;
        } cases[] = {
            {"tiny-dense", "f16", 0, 1.5e-3, 16}, {"tiny-dense", "bf16", 0, 0.011, 15},
            {"tiny-dense", "q8_0", 0, 0.022, 15}, {"tiny-dense", "q4_k", 0, 0.22, 11},
            {"tiny-dense", "q6_k", 0, 0.022, 15}, {"tiny-dense", "q4_k_m", 0, 0.18, 10},
            {"tiny-moe", "q8_0", 0, 0.03, 14},    {"tiny-moe", "q4_k", 0, 0.8, 6},
            {"tiny-moe", "q6_k", 0, 0.03, 14},    {"tiny-moe", "q4_k_m", 0, 0.8, 6},
            {"0.6b", "q8_0", 1, 0.025, 14},       {"0.6b", "q4_k", 1, 0.35, 8},
            {"0.6b", "q6_k", 1, 0.085, 11},       {"0.6b", "q4_k_m", 1, 0.22, 8},
        };
        for (const auto& c : cases)
            QTest::addRow("%s %s", c.preset, c.type) << c.preset << c.type << c.layers << c.bound << c.top1;
    }

    void closeToF32()
    {
        QFETCH(QString, preset);
        QFETCH(QString, type);
        QFETCH(int, layers);
        QFETCH(double, bound);
        QFETCH(int, minTop1Agreeing);
        const auto ids = promptIds(16);
        const auto& exact = exactLogits(preset, layers, ids);
        LoadedModel quantised = loadModel(model(preset, type, layers));
        const auto logits = allLogits(*quantised.forward, ids);

        double worst = 0;
        int agreeing = 0;
        for (std::size_t p = 0; p < ids.size(); ++p) {
            worst = std::max(worst, relativeError(logits[p], exact[p]));
            agreeing += argmax(logits[p]) == argmax(exact[p]) ? 1 : 0;
        }
        qInfo("%s: worst relative error %.3g (bound %.3g), top-1 agrees at %d of %zu positions",
              QTest::currentDataTag(), worst, bound, agreeing, ids.size());
        QVERIFY2(worst <= bound, qPrintable(QString("relative error %1 > %2").arg(worst).arg(bound)));
        QVERIFY2(agreeing >= minTop1Agreeing, qPrintable(QString("top-1 agrees at only %1").arg(agreeing)));
        // A quantised file that equalled its source would mean the test compares nothing.
        QVERIFY(worst > 0);
    }
};

QTEST_GUILESS_MAIN(TestForwardQuantised)
#include "test_forward_quantised.moc"
