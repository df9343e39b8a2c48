// End to end through the real app: the window from Ponder.Ui over the real controllers, store and engine,
// offscreen, with the scripted model loaded from a real file. A message is typed and sent with Enter; the
// test then reads what a person would see — the reasoning pane's text and counts, the transcript's answer,
// the thinking chip — and the database rows. Then thinking is switched off with the header's switch and the
// next answer comes without reasoning (the non-thinking prompt). The conversation's settings dialog sets a
// sampling override, and the app's settings dialog switches the language to Chinese and back (the chat and
// the Models page are also shot in Chinese). Hovering an
// answer shows its figures and actions, and its Regenerate button brings a new answer; the first question is edited in place and resent;
// a reply that fails for real shows why, and Retry brings it; Tab reaches the actions (with accessible
// names); the sidebar's save dialog exports the conversation. A model's own defaults are set from its row on
// the Models page (context length, thinking off) and a new conversation starts from them. Screenshots in
// light and dark are saved, and the run must log no warning at all (the QML engine's included) on the way.
#include "app_services.h"
#include "library/model_identity.h"
#include "qml_plugins.h"
#include "synth/synth.h"
#include "test_support.h"
#include "window_items.h"

#include <QAccessible>
#include <QDir>
#include <QFont>
#include <QFile>
#include <QFileInfo>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ponder;
using namespace ponder::test;

namespace {

// Records every warning (QML's included: the engine prints them through qWarning) while it lives, passing
// each on to the test's own handler.
class WarningRecorder {
public:
    WarningRecorder()
    {
        recorded().clear();
        previous() = qInstallMessageHandler(&WarningRecorder::handle);
    }
    ~WarningRecorder() { qInstallMessageHandler(previous()); }
    QStringList messages() const { return recorded(); }

private:
    static QStringList& recorded()
    {
        static QStringList messages;
        return messages;
    }
    static QtMessageHandler& previous()
    {
        static QtMessageHandler handler = nullptr;
        return handler;
    }
    static void handle(QtMsgType type, const QMessageLogContext& context, const QString& message)
    {
        if (type != QtDebugMsg && type != QtInfoMsg)
            recorded() << message;
        if (previous())
            previous()(type, context, message);
    }
};

void saveScreenshot(QQuickWindow* window, const QString& name)
{
    QDir().mkpath(QStringLiteral(PONDER_SCREENSHOT_DIR));
    const QString path = QStringLiteral(PONDER_SCREENSHOT_DIR "/%1.png").arg(name);
    QVERIFY2(window->grabWindow().save(path), qPrintable(path));
    qInfo("screenshot: %s", qPrintable(path));
}

} // namespace

class TestAppWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    const SynthScript script_;
    std::string model_;

    static void click(QQuickWindow* window, QQuickItem* target)
    {
        QTest::mouseClick(window, Qt::LeftButton, {}, target->mapToScene(QPointF(target->width() / 2, target->height() / 2)).toPoint());
    }

    // The visible button reading `text` (a dialog's standard buttons have no objectName).
    static QQuickItem* buttonWithText(QQuickWindow* window, const QString& text)
    {
        QList<QQuickItem*> all;
        collect(window->contentItem(), QString(), all); // every item without a name: the buttons among them
        for (QQuickItem* i : all)
            if (i->inherits("QQuickAbstractButton") && i->isVisible() && i->property("text").toString() == text)
                return i;
        return nullptr;
    }

    void typeAndSend(QQuickWindow* window, const QString& text)
    {
        QQuickItem* input = item(window, "composerInput");
        input->forceActiveFocus();
        QVERIFY(input->hasActiveFocus());
        for (const QChar c : text) // QTest has keyClicks for widgets only
            QTest::keyClick(window, c.toLatin1());
        QTest::keyClick(window, Qt::Key_Return);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        // Settings (the reasoning pane's state) go to a test location, under the app's names.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("Ponder"));
        QSettings().clear(); // English, the default settings
        QQuickStyle::setStyle(QStringLiteral("Material"));
        SynthOptions o;
        o.preset = kScriptedPreset;
        o.tokenizerDir = test::tokenizerJson().parent_path();
        o.out = dir_.filePath(QStringLiteral("scripted.gguf")).toStdString();
        writeSyntheticModel(o);
        model_ = o.out;
    }

    void chatThroughTheWindow()
    {
        const WarningRecorder warnings;
        desktop::AppServices services(dir_.filePath(QStringLiteral("data")));
        services.chat().setContextLength(1024);
        QQmlApplicationEngine engine;
        QVERIFY(services.loadWindow(engine));
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QVERIFY(!item(window, "composerInput")->isEnabled()); // no model yet: disabled, with the reason
        services.model().load(QString::fromStdString(model_));
        QTRY_COMPARE_WITH_TIMEOUT(services.model().state(), controllers::ModelController::State::Ready, 60000);
        QTRY_VERIFY(item(window, "composerInput")->isEnabled());
        QVERIFY(item(window, "thinkingSwitch")->property("checked").toBool());
        QVERIFY(item(window, "budgetSlider")->isEnabled());

        typeAndSend(window, QStringLiteral("Hello, Ponder!"));
        QTRY_VERIFY_WITH_TIMEOUT(services.chat().conversationId() != 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!services.chat().generating(), 60000);
        QTest::qWait(50); // one frame for the bindings

        // What a person sees.
        QCOMPARE(item(window, "reasoningText")->property("text").toString(), QString::fromStdString(script_.reasoning));
        const QString stats = item(window, "reasoningStats")->property("text").toString();
        const int reasoningTokens = services.chat().messages()->at(1)->reasoningTokens;
        QVERIFY2(stats.startsWith(QStringLiteral("%1 tokens").arg(reasoningTokens)), qPrintable(stats));
        const QList<QQuickItem*> texts = items(window, "messageText");
        QCOMPARE(texts.size(), 2);
        QCOMPARE(texts[0]->property("text").toString(), QStringLiteral("Hello, Ponder!"));
        QCOMPARE(texts[1]->property("text").toString(), QString::fromStdString(script_.answer));
        const QList<QQuickItem*> chips = items(window, "thinkingChip");
        QVERIFY(!chips.isEmpty());
        const QString chip = chips.last()->property("text").toString();
        QVERIFY2(chip.startsWith(QStringLiteral("Thought for ")) && chip.endsWith(QStringLiteral("· %1 tokens").arg(reasoningTokens)),
                 qPrintable(chip));
        QVERIFY(item(window, "composerInput")->property("text").toString().isEmpty());

        // What was stored.
        {
            storage::ConversationStore store(dir_.filePath(QStringLiteral("data/conversations.db")));
            const auto rows = store.messages(services.chat().conversationId());
            QCOMPARE(rows.size(), std::size_t(2));
            QCOMPARE(rows[0].content, QStringLiteral("Hello, Ponder!"));
            QCOMPARE(rows[1].content, QString::fromStdString(script_.answer));
            QCOMPARE(rows[1].reasoning, QString::fromStdString(script_.reasoning));
            QCOMPARE(rows[1].status, storage::MessageStatus::Complete);
            QCOMPARE(store.conversation(services.chat().conversationId())->title, QStringLiteral("Hello, Ponder!"));
        }
        saveScreenshot(window, QStringLiteral("chat-light-en"));
        window->setProperty("theme", 1); // Material.Dark
        QTest::qWait(50);
        saveScreenshot(window, QStringLiteral("chat-dark-en"));
        // The same chat in Chinese, switched live through the settings, in both themes.
        services.settings().setLanguage(QStringLiteral("zh_CN"));
        QVERIFY2(services.settings().languageError().isEmpty(), qPrintable(services.settings().languageError()));
        QTRY_COMPARE(item(window, "sendButton")->property("text").toString(), QStringLiteral("发送"));
        QTRY_VERIFY2(chips.last()->property("text").toString().startsWith(QStringLiteral("思考了")),
                     qPrintable(chips.last()->property("text").toString()));
        QVERIFY2(item(window, "reasoningStats")->property("text").toString().contains(QStringLiteral("个 token")),
                 qPrintable(item(window, "reasoningStats")->property("text").toString()));
        QTest::qWait(50);
        saveScreenshot(window, QStringLiteral("chat-dark-zh"));
        window->setProperty("theme", 0); // Material.Light
        QTest::qWait(50);
        saveScreenshot(window, QStringLiteral("chat-light-zh"));
        window->setProperty("theme", 1);
        services.settings().setLanguage(QStringLiteral("en"));
        QTRY_COMPARE(item(window, "sendButton")->property("text").toString(), QStringLiteral("Send"));
        QTRY_COMPARE(chips.last()->property("text").toString(), chip);

        // Thinking off with the header's switch: the next answer has no reasoning.
        QQuickItem* toggle = item(window, "thinkingSwitch");
        QTest::mouseClick(window, Qt::LeftButton, {}, toggle->mapToScene(QPointF(toggle->width() / 2, toggle->height() / 2)).toPoint());
        QTRY_VERIFY(!services.chat().thinking());
        QVERIFY(!item(window, "budgetSlider")->isEnabled());
        typeAndSend(window, QStringLiteral("And without thinking?"));
        QTRY_COMPARE_WITH_TIMEOUT(services.chat().messages()->rowCount(), 4, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!services.chat().generating(), 60000);
        const storage::Message* quiet = services.chat().messages()->at(3);
        QCOMPARE(quiet->reasoning, QString());
        QCOMPARE(quiet->reasoningTokens, 0);
        QCOMPARE(quiet->content, QString::fromStdString(script_.answer));
        QVERIFY(!services.chat().messages()->at(1)->reasoning.isEmpty());

        // The conversation's settings: a custom temperature starts from the mode's recommended value.
        click(window, item(window, "conversationSettingsButton"));
        QTRY_VERIFY(!items(window, "conversationSettingsPage").isEmpty() && item(window, "conversationSettingsPage")->isVisible());
        const double recommended = services.chat().recommendedSampling().value("temperature").toDouble();
        QCOMPARE(item(window, "value_temperature")->property("text").toString(), QString::number(recommended, 'f', 2));
        QVERIFY(!item(window, "value_temperature")->isEnabled());
        click(window, item(window, "custom_temperature"));
        QTRY_VERIFY(services.chat().samplingOverrides().contains("temperature"));
        QCOMPARE(services.chat().samplingOverrides().value("temperature").toDouble(), recommended);
        QVERIFY(item(window, "value_temperature")->isEnabled());
        QTest::qWait(300); // the dialog's opening transition
        saveScreenshot(window, QStringLiteral("conversation-settings-dark-en"));
        click(window, item(window, "resetSamplingButton"));
        QTRY_VERIFY(services.chat().samplingOverrides().isEmpty());
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY(items(window, "conversationSettingsPage").isEmpty() ||
                    !item(window, "conversationSettingsPage")->isVisible());

        // The app's settings: Chinese and back, live.
        QQuickItem* newButton = item(window, "newConversationButton");
        QCOMPARE(newButton->property("text").toString(), QStringLiteral("New conversation"));
        click(window, item(window, "settingsButton"));
        QTRY_VERIFY(!items(window, "settingsPage").isEmpty() && item(window, "settingsPage")->isVisible());
        QCOMPARE(item(window, "dataDirLabel")->property("text").toString(), dir_.filePath(QStringLiteral("data")));
        QQuickItem* language = item(window, "languageBox");
        language->forceActiveFocus();
        QTest::keyClick(window, Qt::Key_Down);
        QTRY_COMPARE(services.settings().language(), QStringLiteral("zh_CN"));
        QTRY_COMPARE(newButton->property("text").toString(), QStringLiteral("新建对话"));
        QCOMPARE(item(window, "languageLabel")->property("text").toString(), QStringLiteral("语言"));
        QTest::qWait(300); // the dialog's opening transition
        saveScreenshot(window, QStringLiteral("settings-dark-zh"));
        QTest::keyClick(window, Qt::Key_Up);
        QTRY_COMPARE(services.settings().language(), QStringLiteral("en"));
        QTRY_COMPARE(newButton->property("text").toString(), QStringLiteral("New conversation"));
        QCOMPARE(item(window, "languageLabel")->property("text").toString(), QStringLiteral("Language"));
        QTest::keyClick(window, Qt::Key_Escape);

        // The font size applies to the whole window.
        services.settings().setFontPixelSize(18);
        QTRY_COMPARE(window->property("font").value<QFont>().pixelSize(), 18);
        QCOMPARE(newButton->property("font").value<QFont>().pixelSize(), 18);
        // Hover the newest answer: its figures and actions show; Regenerate brings a new answer in its place.
        QTest::qWait(50);
        QQuickItem* actions = visibleItems(window, "messageActions").last();
        QCOMPARE(actions->opacity(), 0.0); // the pointer is on the header's switch
        QTest::mouseMove(window, centreOf(visibleItems(window, "messageBubble").last()));
        QTRY_COMPARE(actions->opacity(), 1.0);
        const QString figures = visibleItems(window, "messageStats").last()->property("text").toString();
        QVERIFY2(figures.startsWith(QStringLiteral("%1 tokens · ").arg(quiet->tokens)) &&
                     figures.endsWith(QStringLiteral(" tok/s")),
                 qPrintable(figures));
        QQuickItem* regenerate = visibleItems(window, "regenerateButton").last();
        QVERIFY(regenerate->isEnabled());
        QVERIFY(regenerate->activeFocusOnTab()); // reachable by keyboard too
        QSignalSpy removed(services.chat().messages(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(services.chat().messages(), &QAbstractItemModel::rowsInserted);
        QTest::mouseMove(window, centreOf(regenerate));
        QTest::mouseClick(window, Qt::LeftButton, {}, centreOf(regenerate));
        QTRY_COMPARE_WITH_TIMEOUT(inserted.count(), 1, 10000);
        QCOMPARE(removed.count(), 1); // the old answer's row went, the new one's came
        QTRY_VERIFY_WITH_TIMEOUT(!services.chat().generating(), 60000);
        QCOMPARE(services.chat().messages()->rowCount(), 4);
        QTest::qWait(50);
        const storage::Message* again = services.chat().messages()->at(3);
        QCOMPARE(again->status, storage::MessageStatus::Complete);
        QCOMPARE(again->content, QString::fromStdString(script_.answer));
        QCOMPARE(visibleItems(window, "messageText").last()->property("text").toString(),
                 QString::fromStdString(script_.answer));
        {
            storage::ConversationStore store(dir_.filePath(QStringLiteral("data/conversations.db")));
            const auto rows = store.messages(services.chat().conversationId());
            QCOMPARE(rows.size(), std::size_t(4));
            QCOMPARE(rows[3].status, storage::MessageStatus::Complete);
            QCOMPARE(rows[3].content, QString::fromStdString(script_.answer));
        }
        saveScreenshot(window, QStringLiteral("chat-actions-dark-en"));

        // Edit the first question in place: Esc cancels; Enter resends it, and a new answer follows it alone.
        const auto startEditing = [&] {
            QTest::mouseMove(window, centreOf(visibleItems(window, "messageBubble").first()));
            QQuickItem* edit = visibleItems(window, "editButton").first();
            QTest::mouseMove(window, centreOf(edit));
            QTest::mouseClick(window, Qt::LeftButton, {}, centreOf(edit));
            QTRY_COMPARE(visibleItems(window, "messageEditor").size(), 1);
            QQuickItem* editor = visibleItems(window, "messageEditor").first();
            QTRY_VERIFY(editor->hasActiveFocus());
            QCOMPARE(editor->property("text").toString(), QStringLiteral("Hello, Ponder!"));
        };
        startEditing();
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_COMPARE(visibleItems(window, "messageEditor").size(), 0);
        QCOMPARE(services.chat().messages()->rowCount(), 4);
        startEditing();
        QTest::keyClick(window, Qt::Key_A, Qt::ControlModifier);
        for (const QChar c : QStringLiteral("Hi again"))
            QTest::keyClick(window, c.toLatin1());
        QTest::keyClick(window, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(services.chat().messages()->rowCount(), 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!services.chat().generating(), 60000);
        QTest::qWait(50);
        QCOMPARE(services.chat().messages()->at(0)->content, QStringLiteral("Hi again"));
        QCOMPARE(services.chat().messages()->at(1)->status, storage::MessageStatus::Complete);
        QCOMPARE(visibleItems(window, "messageText").first()->property("text").toString(), QStringLiteral("Hi again"));
        QCOMPARE(visibleItems(window, "messageEditor").size(), 0);

        // A reply that fails (a question too long for a 256-position context) says why and offers Retry;
        // with room, Retry brings the answer.
        services.chat().setContextLength(256);
        typeAndSend(window, QStringLiteral("word ").repeated(300).trimmed());
        QTRY_COMPARE_WITH_TIMEOUT(services.chat().messages()->rowCount(), 4, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!services.chat().generating(), 60000);
        QTest::qWait(50);
        QCOMPARE(services.chat().messages()->at(3)->status, storage::MessageStatus::Error);
        const QString note = visibleItems(window, "replyNoteText").last()->property("text").toString();
        QVERIFY2(note.contains(QStringLiteral("does not fit in the context")), qPrintable(note));
        QVERIFY(!visibleItems(window, "errorTitle").isEmpty());
        QQuickItem* retry = visibleItems(window, "retryButton").last();
        QCOMPARE(retry->property("text").toString(), QStringLiteral("Retry"));
        window->setProperty("theme", 0); // Material.Light
        QTest::qWait(50);
        saveScreenshot(window, QStringLiteral("chat-error-light-en"));
        services.chat().setContextLength(1024);
        QTest::mouseClick(window, Qt::LeftButton, {}, centreOf(retry));
        QTRY_COMPARE_WITH_TIMEOUT(services.chat().messages()->at(3)->status, storage::MessageStatus::Complete, 60000);
        QTest::qWait(50);
        QCOMPARE(services.chat().messages()->at(3)->content, QString::fromStdString(script_.answer));
        QVERIFY(visibleItems(window, "retryButton").isEmpty());

        // The actions are reachable by keyboard: Tab from the header lands on one, which shows its row.
        QTest::mouseMove(window, QPoint(1, window->height() - 1)); // the pointer away from the transcript
        item(window, "budgetSlider")->forceActiveFocus();
        const QStringList actionNames{"copyButton", "regenerateButton", "editButton", "deleteButton", "retryButton"};
        for (int i = 0; i < 12 && !actionNames.contains(window->activeFocusItem()->objectName()); ++i)
            QTest::keyClick(window, Qt::Key_Tab);
        QQuickItem* focused = window->activeFocusItem();
        QVERIFY2(actionNames.contains(focused->objectName()), qPrintable(focused->objectName()));
        QQuickItem* row = focused;
        while (row && row->objectName() != QLatin1String("messageActions"))
            row = row->parentItem();
        QVERIFY(row);
        QCOMPARE(row->opacity(), 1.0); // shown while it holds the focus
        // Screen readers get a name that says what the button acts on, not only its label.
        QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(focused);
        QVERIFY(accessible);
        const QString name = accessible->text(QAccessible::Name);
        QVERIFY2(name.endsWith(QStringLiteral(" this message")) || name.endsWith(QStringLiteral(" this reply")) ||
                     name.endsWith(QStringLiteral(" and its reply")),
                 qPrintable(name));

        // Export from the sidebar's menu: the save dialog suggests the title as the name; accepting writes it.
        QObject* dialog = window->findChild<QObject*>(QStringLiteral("exportDialog"));
        QVERIFY(dialog);
        QVERIFY(QMetaObject::invokeMethod(dialog, "openFor", Q_ARG(QVariant, services.chat().conversationId()),
                                          Q_ARG(QVariant, QStringLiteral("markdown"))));
        QTRY_VERIFY(dialog->property("visible").toBool());
        QVERIFY2(dialog->property("selectedFile").toUrl().fileName() == QStringLiteral("Hi again.md"),
                 qPrintable(dialog->property("selectedFile").toUrl().toString()));
        const QString exported = dir_.filePath(QStringLiteral("exported.md"));
        dialog->setProperty("currentFolder", QUrl::fromLocalFile(dir_.path()));
        dialog->setProperty("selectedFile", QUrl::fromLocalFile(exported));
        QVERIFY(QMetaObject::invokeMethod(dialog, "close"));
        // Accepting Qt 6.4's own (non-native) dialog takes the name from its text field, which a file set from
        // outside does not fill, so the test sends what accepting sends: the accepted signal, with selectedFile.
        QVERIFY(QMetaObject::invokeMethod(dialog, "accepted"));
        QTRY_VERIFY(QFile::exists(exported));
        QFile markdown(exported);
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        QVERIFY(markdown.readAll().startsWith("# Hi again"));
        QVERIFY2(warnings.messages().isEmpty(), qPrintable(warnings.messages().join(QLatin1Char('\n'))));
    }

    // A first start with an empty data folder: the window opens on the Models page offering the test model;
    // one click writes it into <data>/models and loads it, and the chat takes the page's place. The header's
    // picker then names the model and its menu leads back to the library.
    void firstRunCreatesTheTestModel()
    {
        qputenv("PONDER_TOKENIZER_DIR", QByteArray::fromStdString(test::tokenizerJson().parent_path().string()));
        const QString dataDir = dir_.filePath(QStringLiteral("first-run"));
        desktop::AppServices services(dataDir);
        QQmlApplicationEngine engine;
        QVERIFY(services.loadWindow(engine));
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        window->setProperty("theme", 0); // Material.Light
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QVERIFY(item(window, "modelsPage")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(item(window, "testModelOffer")->isVisible(), 30000); // once the scan found nothing
        QCOMPARE(item(window, "modelPickerButton")->property("text").toString(), QStringLiteral("Choose a model"));
        QTest::qWait(300); // the offer's button fades in
        saveScreenshot(window, QStringLiteral("models-first-run-light-en"));

        click(window, item(window, "createTestModelOfferButton"));
        QTRY_VERIFY(services.library().creatingTestModel() ||
                    services.model().state() != controllers::ModelController::State::None);
        QTRY_COMPARE_WITH_TIMEOUT(services.model().state(), controllers::ModelController::State::Ready, 60000);
        QCOMPARE(services.model().path(), QDir(dataDir).filePath(QStringLiteral("models/ponder-test-model-random-weights.gguf")));
        QCOMPARE(services.model().progress(), 1.0);
        QTRY_VERIFY(!item(window, "modelsPage")->isVisible());
        QTRY_VERIFY(item(window, "composerInput")->isEnabled());
        QCOMPARE(item(window, "modelPickerButton")->property("text").toString(), services.model().name());
        QTRY_COMPARE_WITH_TIMEOUT(services.library().entries()->count(), 1, 30000);
        QVERIFY(services.library().entries()->entries().front().testModel);

        // The picker's menu lists the model and leads back to the library, now listing it.
        click(window, item(window, "modelPickerButton"));
        QTRY_VERIFY(!items(window, "manageModelsItem").isEmpty() && item(window, "manageModelsItem")->isVisible());
        QCOMPARE(items(window, "modelPickerItem").size(), 1);
        QTRY_VERIFY(item(window, "manageModelsItem")->height() > 0);
        QTest::qWait(300); // the menu's opening transition
        click(window, item(window, "manageModelsItem"));
        QTRY_VERIFY(item(window, "modelsPage")->isVisible());
        QVERIFY(!item(window, "testModelOffer")->isVisible());
        QCOMPARE(items(window, "modelRow").size(), 1);
        QCOMPARE(item(window, "loadModelButton")->property("text").toString(), QStringLiteral("Loaded"));
        QTest::qWait(300);
        saveScreenshot(window, QStringLiteral("models-light-en"));
        window->setProperty("theme", 1); // Material.Dark
        QTest::qWait(50);
        saveScreenshot(window, QStringLiteral("models-dark-en"));
        // The Models page in Chinese, switched live through the settings.
        services.settings().setLanguage(QStringLiteral("zh_CN"));
        QVERIFY2(services.settings().languageError().isEmpty(), qPrintable(services.settings().languageError()));
        QTRY_COMPARE(item(window, "loadModelButton")->property("text").toString(), QStringLiteral("已加载"));
        QCOMPARE(item(window, "backToChatButton")->property("text").toString(), QStringLiteral("返回对话"));
        QCOMPARE(item(window, "modelDefaultsButton")->property("text").toString(), QStringLiteral("默认设置…"));
        // Texts the library's rows get from C++ follow the switch too.
        QTRY_VERIFY2(item(window, "modelRowSources")->property("text").toString().contains(QStringLiteral("Ponder 的模型文件夹")),
                     qPrintable(item(window, "modelRowSources")->property("text").toString()));
        window->setProperty("theme", 0); // Material.Light
        QTest::qWait(50);
        saveScreenshot(window, QStringLiteral("models-light-zh"));
        services.settings().setLanguage(QStringLiteral("en"));
        QTRY_COMPARE(item(window, "loadModelButton")->property("text").toString(), QStringLiteral("Loaded"));
        qunsetenv("PONDER_TOKENIZER_DIR");
    }

    // The Models page's Defaults… on a model's row: the dialog offers the app's context steps up to the
    // model's own 4096, and thinking (the scripted model is hybrid). Setting 2K and thinking off and saving
    // writes models/<id>/... and applies at once; a new conversation then starts without thinking.
    void modelDefaultsFromTheModelsPage()
    {
        const WarningRecorder warnings;
        const QString dataDir = dir_.filePath(QStringLiteral("defaults"));
        QVERIFY(QDir().mkpath(dataDir + QStringLiteral("/models")));
        const QString path = dataDir + QStringLiteral("/models/scripted.gguf");
        QVERIFY(QFile::copy(QString::fromStdString(model_), path));
        const QString id = library::modelId(QFileInfo(path).canonicalFilePath());
        desktop::AppServices services(dataDir);
        QQmlApplicationEngine engine;
        QVERIFY(services.loadWindow(engine));
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        window->setProperty("theme", 0); // Material.Light
        QVERIFY(QTest::qWaitForWindowExposed(window));
        services.model().load(QFileInfo(path).canonicalFilePath());
        QTRY_COMPARE_WITH_TIMEOUT(services.model().state(), controllers::ModelController::State::Ready, 60000);
        QVERIFY(services.chat().thinking());
        QCOMPARE(services.chat().generationSettings().maxTokens, qint64(services.settings().effectiveContextLength()));
        QVERIFY(services.settings().effectiveContextLength() != 2048);

        window->setProperty("showingModels", true);
        QTRY_VERIFY(item(window, "modelsPage")->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(items(window, "modelDefaultsButton").size(), 1, 30000);
        QCOMPARE(item(window, "modelDefaultsButton")->property("text").toString(), QStringLiteral("Defaults…"));
        click(window, item(window, "modelDefaultsButton"));
        QTRY_VERIFY(!items(window, "modelDefaultsPage").isEmpty() && item(window, "modelDefaultsPage")->isVisible());
        QQuickItem* context = item(window, "modelContextLengthBox");
        QCOMPARE(context->property("count").toInt(), 3); // the app's, 2K and 4K (the model's maximum)
        QCOMPARE(context->property("currentIndex").toInt(), 0);
        QQuickItem* thinking = item(window, "modelThinkingBox");
        QVERIFY(thinking->isVisible());
        QCOMPARE(thinking->property("currentIndex").toInt(), 0);
        QVERIFY(item(window, "modelDeviceBox")->property("count").toInt() >= 3); // the app's, Automatic, CPU

        context->forceActiveFocus();
        QTest::keyClick(window, Qt::Key_Down);
        QTRY_COMPARE(context->property("currentValue").toInt(), 2048);
        thinking->forceActiveFocus();
        QTest::keyClick(window, Qt::Key_Down);
        QTest::keyClick(window, Qt::Key_Down);
        QTRY_COMPARE(thinking->property("currentValue").toString(), QStringLiteral("off"));
        QTest::qWait(300); // the dialog's opening transition
        saveScreenshot(window, QStringLiteral("models-defaults-light-en"));
        QCOMPARE(services.modelDefaults().defaults(id).contextLength, 0); // nothing saved before Save

        QQuickItem* save = buttonWithText(window, QStringLiteral("Save"));
        QVERIFY(save);
        click(window, save);
        QTRY_VERIFY(items(window, "modelDefaultsPage").isEmpty() || !item(window, "modelDefaultsPage")->isVisible());
        {
            const QSettings settings;
            QCOMPARE(settings.value(QStringLiteral("models/%1/contextLength").arg(id)).toInt(), 2048);
            QCOMPARE(settings.value(QStringLiteral("models/%1/thinking").arg(id)).toString(), QStringLiteral("off"));
        }
        const controllers::ModelDefaults stored = services.modelDefaults().defaults(id);
        QCOMPARE(stored.contextLength, 2048);
        QCOMPARE(stored.thinking, std::optional<bool>(false));
        QVERIFY(stored.sampling.empty());
        QVERIFY(stored.device.isEmpty());
        QCOMPARE(services.chat().generationSettings().maxTokens, qint64(2048));

        // Back in the chat: thinking switched on by hand here, and a new conversation starts without it.
        click(window, item(window, "backToChatButton"));
        QTRY_VERIFY(item(window, "thinkingSwitch")->isVisible());
        QVERIFY(!item(window, "thinkingSwitch")->property("checked").toBool());
        click(window, item(window, "thinkingSwitch"));
        QTRY_VERIFY(services.chat().thinking());
        click(window, item(window, "newConversationButton"));
        QTRY_VERIFY(!services.chat().thinking());
        QTRY_VERIFY(!item(window, "thinkingSwitch")->property("checked").toBool());
        QVERIFY2(warnings.messages().isEmpty(), qPrintable(warnings.messages().join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(TestAppWindow)
#include "test_app_window.moc"
