// A model's own defaults applied by the app (AppServices, real settings, store, engine and controllers, no
// window): its device wins over the app's at load (one this machine does not offer falls back to the app's,
// with a warning), its context length over the app's for the chat's turns (capped by the model's own
// maximum, and live when the defaults change while it is loaded), and the new conversation open when it
// loads starts in its thinking mode with its sampling. Unloaded, or without defaults, the app's apply.
#include "app_services.h"
#include "library/model_identity.h"
#include "synth/synth.h"
#include "../worker/engine_test_util.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ponder;

class TestModelDefaultsApplied : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("PonderModelDefaultsAppliedTest"));
        QSettings().clear();
    }

    void theLoadedModelsDefaultsWinOverTheApps()
    {
        const QString path =
            QFileInfo(QString::fromStdString(test::writeTestModel(dir_, kScriptedPreset, "scripted.gguf"))).canonicalFilePath();
        const QString id = library::modelId(path);
        desktop::AppServices services(dir_.filePath(QStringLiteral("data")));
        services.settings().setContextLength(2048);
        QCOMPARE(services.chat().generationSettings().maxTokens, qint64(2048));

        // The device: the model's own when this machine offers it, else the app's.
        QCOMPARE(services.backendFor(path).backend, std::string("auto"));
        controllers::ModelDefaults defaults;
        defaults.device = QStringLiteral("cpu");
        services.modelDefaults().setDefaults(id, defaults);
        QCOMPARE(services.backendFor(path).backend, std::string("cpu"));
        defaults.device = QStringLiteral("vulkan:No Such GPU");
        services.modelDefaults().setDefaults(id, defaults);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("\"vulkan:No Such GPU\" is not on this machine"));
        QCOMPARE(services.backendFor(path).backend, std::string("auto"));
        // With a Vulkan device offered (lavapipe will do), the app's choice of it loses to the model's CPU.
        QString vulkan;
        for (const QVariant& d : services.settings().devices())
            if (d.toMap().value(QStringLiteral("value")).toString().startsWith(QLatin1String("vulkan:")))
                vulkan = d.toMap().value(QStringLiteral("value")).toString();
        if (!vulkan.isEmpty()) {
            services.settings().setDevice(vulkan);
            QCOMPARE(services.backendFor(QStringLiteral("/elsewhere/other.gguf")).backend, std::string("vulkan"));
        }

        defaults.device = QStringLiteral("cpu");
        defaults.contextLength = 8192; // more than the scripted model's 4096
        defaults.thinking = false;
        defaults.sampling.set(QStringLiteral("temperature"), 0.4);
        services.modelDefaults().setDefaults(id, defaults);
        QVERIFY(services.chat().thinking()); // nothing loaded yet: the app's
        QVERIFY(services.chat().samplingOverrides().isEmpty());

        services.model().load(path);
        QTRY_COMPARE_WITH_TIMEOUT(services.model().state(), controllers::ModelController::State::Ready, 60000);
        QCOMPARE(services.model().backendName(), QStringLiteral("cpu"));
        QCOMPARE(services.model().summary()->contextLength, qint64(4096));
        QCOMPARE(services.chat().generationSettings().maxTokens, qint64(4096)); // the model's, capped by its maximum
        QCOMPARE(services.settings().effectiveContextLength(), 2048);           // the app's own stays
        QVERIFY(!services.chat().thinking());
        QCOMPARE(services.chat().samplingOverrides().value("temperature").toDouble(), 0.4);

        // Changed while loaded: the next turn follows; another model's defaults change nothing here.
        QSignalSpy settingsChanged(&services.chat(), &controllers::ChatController::settingsChanged);
        controllers::ModelDefaults shorter = defaults;
        shorter.contextLength = 3000;
        services.modelDefaults().setDefaults(id, shorter);
        QCOMPARE(services.chat().generationSettings().maxTokens, qint64(3000));
        services.modelDefaults().setDefaults(QStringLiteral("0123456789ab"), controllers::ModelDefaults{8192, true, {}, {}});
        QCOMPARE(services.chat().generationSettings().maxTokens, qint64(3000));
        QVERIFY(!services.chat().thinking());

        // A new conversation with it starts from them again after one made otherwise.
        services.chat().setThinking(true);
        services.chat().clearSamplingOverride(QStringLiteral("temperature"));
        services.chat().newConversation();
        QVERIFY(!services.chat().thinking());
        QCOMPARE(services.chat().samplingOverrides().value("temperature").toDouble(), 0.4);

        // Back to following the app.
        services.modelDefaults().reset(id);
        QCOMPARE(services.chat().generationSettings().maxTokens, qint64(2048));
        services.chat().newConversation();
        QVERIFY(services.chat().samplingOverrides().isEmpty());
        QVERIFY(settingsChanged.count() > 0);

        // Unloaded: the app's context again, and nothing of the model's seeds new conversations.
        services.modelDefaults().setDefaults(id, defaults);
        QCOMPARE(services.chat().generationSettings().maxTokens, qint64(4096));
        services.model().unload();
        QTRY_COMPARE_WITH_TIMEOUT(services.model().state(), controllers::ModelController::State::None, 30000);
        QCOMPARE(services.chat().generationSettings().maxTokens, qint64(2048));
        services.chat().newConversation();
        QVERIFY(services.chat().samplingOverrides().isEmpty());
    }
};

QTEST_MAIN(TestModelDefaultsApplied)
#include "test_model_defaults_applied.moc"
