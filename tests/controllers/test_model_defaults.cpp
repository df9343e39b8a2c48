// Per-model defaults: the store over QSettings (in Qt's test location) keeps each field under
// models/<id>/..., reads back what it wrote in a new instance, drops a group that follows the app in
// everything, refuses ids that are no settings key, and leaves out (with a warning) values edited by hand
// into nonsense. The editor the dialog uses edits freely, saves only on save(), offers the app's context
// steps capped by the model, and refuses bad values with a message. ChatController starts new conversations
// from the loaded model's defaults (thinking mode, sampling), also the one open and not yet sent, keeps
// sampling the user set there, and a conversation once made keeps what it was made with (the store's row).
#include "controllers/chat_controller.h"
#include "controllers/model_defaults.h"
#include "controllers/model_defaults_editor.h"
#include "core/error.h"
#include "../worker/engine_test_util.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ponder;
using namespace ponder::controllers;

namespace {

ModelDefaults someDefaults()
{
    ModelDefaults d;
    d.contextLength = 8192;
    d.thinking = false;
    d.device = QStringLiteral("cpu");
    d.sampling.set(QStringLiteral("temperature"), 0.3);
    d.sampling.set(QStringLiteral("topK"), 40);
    return d;
}

} // namespace

class TestModelDefaults : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("PonderModelDefaultsTest"));
    }
    void init() { QSettings().clear(); }

    void theStoreKeepsEachFieldUnderTheModelsId()
    {
        ModelDefaultsStore store;
        QSignalSpy changed(&store, &ModelDefaultsStore::changed);
        QVERIFY(store.defaults(QStringLiteral("0123456789ab")).followsApp());
        store.setDefaults(QStringLiteral("0123456789ab"), someDefaults());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toString(), QStringLiteral("0123456789ab"));
        {
            const QSettings settings;
            QCOMPARE(settings.value("models/0123456789ab/contextLength").toInt(), 8192);
            QCOMPARE(settings.value("models/0123456789ab/thinking").toString(), QStringLiteral("off"));
            QCOMPARE(settings.value("models/0123456789ab/device").toString(), QStringLiteral("cpu"));
            QCOMPARE(settings.value("models/0123456789ab/sampling/temperature").toDouble(), 0.3);
            QCOMPARE(settings.value("models/0123456789ab/sampling/topK").toInt(), 40);
            QVERIFY(!settings.contains("models/0123456789ab/sampling/topP"));
        }
        // Another instance (the app's, the dialog's) reads the same.
        const ModelDefaults back = ModelDefaultsStore().defaults(QStringLiteral("0123456789ab"));
        QVERIFY(back == someDefaults());
        QVERIFY(ModelDefaultsStore().defaults(QStringLiteral("ba9876543210")).followsApp()); // others untouched

        // Fields set no longer are removed, not left behind.
        ModelDefaults fewer;
        fewer.thinking = true;
        store.setDefaults(QStringLiteral("0123456789ab"), fewer);
        QCOMPARE(QSettings().value("models/0123456789ab/thinking").toString(), QStringLiteral("on"));
        QVERIFY(!QSettings().contains("models/0123456789ab/contextLength"));
        QVERIFY(!QSettings().contains("models/0123456789ab/sampling/temperature"));
        QVERIFY(store.defaults(QStringLiteral("0123456789ab")) == fewer);

        // Following the app in everything leaves no group at all.
        store.reset(QStringLiteral("0123456789ab"));
        QCOMPARE(changed.count(), 3);
        QSettings settings;
        settings.beginGroup(QStringLiteral("models"));
        QVERIFY(settings.childGroups().isEmpty());
    }

    void badIdsAndHandEditedValues()
    {
        ModelDefaultsStore store;
        try {
            store.setDefaults(QStringLiteral("../library"), someDefaults());
            QFAIL("a slash in the id was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("is not a model id"), e.what());
        }
        try {
            (void)store.defaults(QString());
            QFAIL("an empty id was accepted");
        } catch (const Error&) {
        }

        QSettings settings;
        settings.setValue("models/aaaaaaaaaaaa/contextLength", "lots");
        settings.setValue("models/aaaaaaaaaaaa/thinking", "sometimes");
        settings.setValue("models/aaaaaaaaaaaa/sampling/temperature", -1.0);
        settings.setValue("models/aaaaaaaaaaaa/sampling/topP", 0.5);
        settings.sync();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("contextLength is not a positive number"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("thinking is \"sometimes\""));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("sampling/temperature is left out"));
        const ModelDefaults d = store.defaults(QStringLiteral("aaaaaaaaaaaa"));
        QCOMPARE(d.contextLength, 0);
        QVERIFY(!d.thinking);
        QVERIFY(!d.sampling.value(QStringLiteral("temperature")));
        QCOMPARE(*d.sampling.value(QStringLiteral("topP")), 0.5); // the good one is kept
    }

    void theEditorSavesOnlyOnSave()
    {
        ModelDefaultsStore store;
        QSignalSpy stored(&store, &ModelDefaultsStore::changed);
        ModelDefaultsEditor editor;
        QSignalSpy edited(&editor, &ModelDefaultsEditor::edited);
        editor.setStore(&store);
        editor.setModelId(QStringLiteral("0123456789ab"));
        QVERIFY(editor.followsApp());
        QVERIFY(!editor.modified());

        editor.setContextLength(16384);
        editor.setThinking(QStringLiteral("off"));
        editor.setDevice(QStringLiteral("cpu"));
        QVERIFY(editor.setSamplingOverride(QStringLiteral("minP"), 0.05));
        QVERIFY(edited.count() >= 4);
        QVERIFY(editor.modified());
        QVERIFY(!editor.followsApp());
        QCOMPARE(editor.samplingOverrides().value("minP").toDouble(), 0.05);
        QCOMPARE(stored.count(), 0);
        QVERIFY(store.defaults(QStringLiteral("0123456789ab")).followsApp());

        // Refused edits say why and change nothing.
        QVERIFY(!editor.setSamplingOverride(QStringLiteral("temperature"), -2));
        QVERIFY2(editor.error().contains("temperature"), qPrintable(editor.error()));
        QVERIFY(!editor.samplingOverrides().contains("temperature"));
        QVERIFY(!editor.setSamplingOverride(QStringLiteral("warmth"), 1));
        editor.setThinking(QStringLiteral("maybe"));
        QVERIFY(!editor.error().isEmpty());
        QCOMPARE(editor.thinking(), QStringLiteral("off"));
        editor.setContextLength(-5);
        QCOMPARE(editor.contextLength(), 16384);

        QVERIFY(editor.save());
        QCOMPARE(stored.count(), 1);
        QVERIFY(editor.error().isEmpty());
        QVERIFY(!editor.modified());
        const ModelDefaults saved = store.defaults(QStringLiteral("0123456789ab"));
        QCOMPARE(saved.contextLength, 16384);
        QCOMPARE(saved.thinking, std::optional<bool>(false));
        QCOMPARE(saved.device, QStringLiteral("cpu"));
        QCOMPARE(*saved.sampling.value(QStringLiteral("minP")), 0.05);

        // A second editor on the same model shows what was saved; clearing a field and reset edit only.
        ModelDefaultsEditor other;
        other.setStore(&store);
        other.setModelId(QStringLiteral("0123456789ab"));
        QCOMPARE(other.contextLength(), 16384);
        QCOMPARE(other.thinking(), QStringLiteral("off"));
        other.clearSamplingOverride(QStringLiteral("minP"));
        QVERIFY(other.samplingOverrides().isEmpty());
        other.reset();
        QVERIFY(other.followsApp());
        QVERIFY(other.modified());
        other.load(); // back to what is stored
        QCOMPARE(other.device(), QStringLiteral("cpu"));
        other.reset();
        QVERIFY(other.save());
        QVERIFY(store.defaults(QStringLiteral("0123456789ab")).followsApp());

        // Without a model there is nothing to save to.
        ModelDefaultsEditor orphan;
        QVERIFY(!orphan.save());
        QVERIFY(!orphan.error().isEmpty());
    }

    void theContextChoicesStopAtTheModelsMaximum()
    {
        ModelDefaultsEditor editor;
        editor.setAppContextLengthChoices({2048, 4096, 8192, 16384, 32768, 65536, 131072});
        QCOMPARE(editor.contextLengthChoices().size(), 7); // the model's maximum unknown: all of them
        editor.setModelContextLength(40960);
        QCOMPARE(editor.contextLengthChoices(), QVariantList({2048, 4096, 8192, 16384, 32768, 40960}));
        editor.setModelContextLength(8192);
        QCOMPARE(editor.contextLengthChoices(), QVariantList({2048, 4096, 8192}));
    }

    void newConversationsStartFromTheModelsDefaults()
    {
        const std::string path = test::writeTestModel(dir_, kScriptedPreset, "scripted.gguf");
        storage::ConversationStore store(dir_.filePath(QStringLiteral("chats.db")));
        app::Engine engine;
        ChatController chat(store, engine);
        chat.setModel(test::loadOnCpu(engine, path));
        chat.setContextLength(1024);
        QVERIFY(chat.thinking());

        // The conversation open and not yet sent takes them at once.
        QSignalSpy settings(&chat, &ChatController::settingsChanged);
        ModelDefaults defaults;
        defaults.thinking = false;
        defaults.sampling.set(QStringLiteral("temperature"), 0.25);
        chat.setModelDefaults(defaults);
        QCOMPARE(settings.count(), 1);
        QVERIFY(!chat.thinking());
        QCOMPARE(chat.samplingOverrides().value("temperature").toDouble(), 0.25);
        QVERIFY(chat.generationSettings().sampling.has_value());
        QCOMPARE(chat.generationSettings().sampling->temperature, 0.25);

        // Sent, it is stored with them, and keeps them when the model's defaults change.
        QVERIFY(chat.send(QStringLiteral("Hello")));
        QTRY_VERIFY_WITH_TIMEOUT(!chat.generating(), 60000);
        const qint64 first = chat.conversationId();
        QVERIFY(!store.conversation(first)->thinking);
        QCOMPARE(store.conversation(first)->samplingJson, QStringLiteral("{\"temperature\":0.25}"));
        ModelDefaults others;
        others.thinking = true;
        chat.setModelDefaults(others);
        QVERIFY(!chat.thinking());
        QCOMPARE(chat.samplingOverrides().value("temperature").toDouble(), 0.25);

        // A new conversation starts from the new defaults: thinking on, no sampling of its own.
        chat.newConversation();
        QVERIFY(chat.thinking());
        QVERIFY(chat.samplingOverrides().isEmpty());
        // Sampling the user set in the unsent conversation survives a change of defaults; thinking follows them.
        QVERIFY(chat.setSamplingOverride(QStringLiteral("topP"), 0.5));
        chat.setModelDefaults(defaults);
        QVERIFY(!chat.thinking());
        QCOMPARE(chat.samplingOverrides(), QVariantMap({{QStringLiteral("topP"), 0.5}}));

        // Without defaults of its own a new conversation keeps the app's way: the last mode, no overrides.
        chat.setModelDefaults({});
        QVERIFY(!chat.thinking());
        chat.setThinking(true);
        chat.newConversation();
        QVERIFY(chat.thinking());
        QVERIFY(chat.samplingOverrides().isEmpty());
        // An existing conversation opened keeps its own settings.
        chat.setModelDefaults(others);
        chat.openConversation(first);
        QVERIFY(!chat.thinking());
        QCOMPARE(chat.samplingOverrides().value("temperature").toDouble(), 0.25);
    }
};

QTEST_GUILESS_MAIN(TestModelDefaults)
#include "test_model_defaults.moc"
