// The engine against an independent float64 NumPy Qwen3 (tests/tools/qwen3_reference.py), which reads the
// same files with its own GGUF and safetensors parsers: logits at every prompt position within 1e-4 of the
// reference's scale, and 32 greedy tokens identical, for dense (tied and untied) and MoE models in both
// formats, and for config.json variants: YaRN, and MoE without top-k renormalisation.
#include "forward_harness.h"
#include "test_support.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <set>

using namespace ponder;
using namespace ponder::test;

namespace {

// fp32 accumulation over tiny layers stays around 1e-6 of the logits' scale; 1e-4 leaves room for other
// summation orders while still catching any wrong operation (those move logits by percents).
constexpr double kBound = 1e-4;
constexpr int kGreedyTokens = 32;

QString idsText(const std::vector<std::int32_t>& ids)
{
    QStringList parts;
    for (auto id : ids)
        parts << QString::number(id);
    return parts.join(' ');
}

struct Comparison {
    QString failure; // empty when the engine agrees with the reference
    std::vector<std::vector<float>> logits; // the engine's, every prompt position
};

// Compares the engine with the reference on `path`.
Comparison compareWithReference(const std::filesystem::path& path, const QString& label)
{
    const auto ids = promptIds(16);
    Comparison comparison;
    Reference reference;
    try {
        reference = runReference(path, ids, kGreedyTokens);
    } catch (const std::exception& e) {
        comparison.failure = e.what();
        return comparison;
    }
    LoadedModel model = loadModel(path);
    comparison.logits = allLogits(*model.forward, ids);
    if (reference.logits.size() != ids.size()) {
        comparison.failure = "the reference returned " + QString::number(reference.logits.size()) + " rows";
        return comparison;
    }
    double worst = 0;
    for (std::size_t p = 0; p < ids.size(); ++p) {
        const double error = relativeError(comparison.logits[p], reference.logits[p]);
        worst = std::max(worst, error);
        if (!(error <= kBound)) {
            comparison.failure = QString("%1, position %2: relative error %3").arg(label).arg(p).arg(error);
            return comparison;
        }
    }
    const auto greedy = greedyTokens(*model.forward, ids, kGreedyTokens);
    qInfo("%s: worst logits relative error %.3g over %zu positions; reference greedy gap >= %.3g; greedy %s",
          qPrintable(label), worst, ids.size(), reference.minGap, qPrintable(idsText(greedy)));
    if (greedy != reference.greedy)
        comparison.failure = label + ": greedy tokens differ\n  engine    " + idsText(greedy) + "\n  reference " +
                             idsText(reference.greedy);
    // Synth's weight scales must give the lm_head enough spread that greedy decoding wanders; a model stuck
    // on one token would make the greedy comparison above nearly vacuous.
    const std::set<std::int32_t> distinct(greedy.begin(), greedy.end());
    if (comparison.failure.isEmpty() && distinct.size() < 4)
        comparison.failure = label + ": greedy decoding produced only " + QString::number(distinct.size()) +
                             " distinct tokens: " + idsText(greedy);
    return comparison;
}

} // namespace

class TestForwardReference : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void matchesNumpyReference_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<bool>("gguf");
        for (const char* preset : {"tiny-dense", "tiny-dense-untied", "tiny-moe"}) {
            QTest::addRow("%s gguf", preset) << preset << true;
            QTest::addRow("%s hf", preset) << preset << false;
        }
    }

    void matchesNumpyReference()
    {
        QFETCH(QString, preset);
        QFETCH(bool, gguf);
        const auto path = writeModel(dir_, preset.toStdString(), gguf ? SynthFormat::Gguf : SynthFormat::HuggingFace);
        const Comparison comparison = compareWithReference(path, QTest::currentDataTag());
        QVERIFY2(comparison.failure.isEmpty(), qPrintable(comparison.failure));
    }

    void yarnMatchesNumpyReference()
    {
        // config.json as a YaRN-extended release writes it: factor 4 over the original 4096 positions.
        checkConfigVariant("tiny-dense", "yarn", {{"rope_scaling", {{"rope_type", "yarn"},
                                                                    {"factor", 4.0},
                                                                    {"original_max_position_embeddings", 4096}}},
                                                  {"max_position_embeddings", 16384}});
    }

    void moeWithoutTopkNormalisationMatchesNumpyReference()
    {
        // Qwen3MoeConfig's class default: the top-k softmax weights are used as they are.
        checkConfigVariant("tiny-moe", "unnormalised", {{"norm_topk_prob", false}});
    }

private:
    // Writes `preset` as a Hugging Face folder with `patch` merged into its config.json, and checks the
    // engine against the reference there. The patch must move the logits far beyond the bound, or this
    // check could not tell a wrong implementation of what it changes from a right one.
    void checkConfigVariant(const std::string& preset, const std::string& name, const nlohmann::json& patch)
    {
        const auto path = writeModel(dir_, preset, SynthFormat::HuggingFace);
        auto config = nlohmann::json::parse(readFile(path / "config.json"));
        config.merge_patch(patch);
        const auto variant = path.parent_path() / (preset + "-" + name + "-hf");
        std::filesystem::copy(path, variant);
        writeFile(variant / "config.json", config.dump(2));

        const Comparison comparison = compareWithReference(variant, QString::fromStdString(preset + " " + name));
        QVERIFY2(comparison.failure.isEmpty(), qPrintable(comparison.failure));

        LoadedModel plain = loadModel(path);
        const auto plainLogits = allLogits(*plain.forward, promptIds(16));
        double moved = 0;
        for (std::size_t p = 0; p < plainLogits.size(); ++p)
            moved = std::max(moved, relativeError(comparison.logits[p], plainLogits[p]));
        qInfo("%s %s moves the logits by %.3g (relative)", preset.c_str(), name.c_str(), moved);
        QVERIFY(moved > 100 * kBound);
    }
};

QTEST_GUILESS_MAIN(TestForwardReference)
#include "test_forward_reference.moc"
