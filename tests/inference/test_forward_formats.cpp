// The same weights give the same logits, bit for bit, whether they come from a GGUF file or a Hugging Face
// folder: the two loaders must describe the model identically (shapes, norms, eps, theta, tying, experts).
#include "forward_harness.h"

#include <QTest>

using namespace ponder;
using namespace ponder::test;

class TestForwardFormats : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void ggufAndHfGiveIdenticalLogits_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::newRow("tiny-dense") << "tiny-dense";
        QTest::newRow("tiny-dense-untied") << "tiny-dense-untied";
        QTest::newRow("tiny-moe") << "tiny-moe";
    }

    void ggufAndHfGiveIdenticalLogits()
    {
        QFETCH(QString, preset);
        const auto ids = promptIds(20);
        LoadedModel gguf = loadModel(writeModel(dir_, preset.toStdString(), SynthFormat::Gguf));
        LoadedModel hf = loadModel(writeModel(dir_, preset.toStdString(), SynthFormat::HuggingFace));
        const auto a = allLogits(*gguf.forward, ids);
        const auto b = allLogits(*hf.forward, ids);
        QCOMPARE(a.size(), ids.size());
        for (std::size_t position = 0; position < ids.size(); ++position) {
            QVERIFY2(a[position] == b[position],
                     qPrintable(QString("position %1: relative difference %2")
                                    .arg(position)
                                    .arg(relativeError(a[position], b[position]))));
        }
        // Identical and also meaningful: logits vary with the token and are not all equal.
        QVERIFY(a.front() != a.back());
        QVERIFY(relativeError(a.front(), a.back()) > 0.01);
    }
};

QTEST_GUILESS_MAIN(TestForwardFormats)
#include "test_forward_formats.moc"
