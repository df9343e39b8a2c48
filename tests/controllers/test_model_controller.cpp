// ModelController over the real engine worker (CPU backend) and synthetic models: loading goes None ->
// Loading -> Ready with its progress rising to 1, a failed load keeps the engine's message, unloading returns
// to None.
#include "controllers/model_controller.h"
#include "../worker/engine_test_util.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace ponder;
using controllers::ModelController;

class TestModelController : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string scripted_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        scripted_ = test::writeTestModel(dir_, kScriptedPreset, "scripted.gguf");
    }

    void loadingReportsProgressUpToOne()
    {
        app::Engine engine;
        ModelController model(engine);
        BackendChoice cpu;
        cpu.backend = "cpu";
        model.setBackend(cpu);
        std::vector<double> seen;
        connect(&model, &ModelController::progressChanged, this, [&] { seen.push_back(model.progress()); });
        const QString path = QString::fromStdString(scripted_);
        model.load(path);
        QCOMPARE(model.state(), ModelController::State::Loading);
        QCOMPARE(model.progress(), 0.0);
        QCOMPARE(model.path(), path);
        QTRY_COMPARE_WITH_TIMEOUT(model.state(), ModelController::State::Ready, 60000);
        QCOMPARE(model.progress(), 1.0);
        QVERIFY(!seen.empty());
        QCOMPARE(seen.back(), 1.0);
        for (std::size_t i = 1; i < seen.size(); ++i)
            QVERIFY(seen[i] > seen[i - 1]);
        QCOMPARE(model.name(), QStringLiteral("Ponder synthetic scripted"));

        model.unload();
        QTRY_COMPARE(model.state(), ModelController::State::None);
    }

    void aFailedLoadKeepsTheMessage()
    {
        const std::string broken = dir_.filePath("broken.gguf").toStdString();
        std::ofstream(broken) << "GGUF but not really";
        app::Engine engine;
        ModelController model(engine);
        model.load(QString::fromStdString(broken));
        QTRY_COMPARE_WITH_TIMEOUT(model.state(), ModelController::State::Failed, 30000);
        QVERIFY2(model.error().contains(QStringLiteral("broken.gguf")), qPrintable(model.error()));
        QVERIFY(model.progress() < 1.0);
    }
};

QTEST_GUILESS_MAIN(TestModelController)
#include "test_model_controller.moc"
