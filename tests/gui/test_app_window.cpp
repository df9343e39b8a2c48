// End to end through the real app: the window from Ponder.Ui over the real controllers, store and engine,
// offscreen, with the scripted model loaded from a real file. A message is typed and sent with Enter; the
// test then reads what a person would see — the reasoning pane's text and counts, the transcript's answer,
// the thinking chip — and the database rows. Then thinking is switched off with the header's switch and the
// next answer comes without reasoning (the non-thinking prompt). Screenshots in light and dark are saved.
#include "app_services.h"
#include "qml_plugins.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ponder;

namespace {

// Walks the visual tree: a view's delegates are its content item's child items, not its QObject children.
void collect(QQuickItem* item, const QString& name, QList<QQuickItem*>& found)
{
    if (item->objectName() == name)
        found << item;
    for (QQuickItem* child : item->childItems())
        collect(child, name, found);
}

// Items of that name, in the order they are laid out top to bottom (the transcript's rows).
QList<QQuickItem*> items(QQuickWindow* window, const char* name)
{
    QList<QQuickItem*> all;
    collect(window->contentItem(), QString::fromLatin1(name), all);
    std::sort(all.begin(), all.end(), [](QQuickItem* a, QQuickItem* b) {
        return a->mapToScene({0, 0}).y() < b->mapToScene({0, 0}).y();
    });
    return all;
}

QQuickItem* item(QQuickWindow* window, const char* name)
{
    const QList<QQuickItem*> found = items(window, name);
    if (found.isEmpty())
        qFatal("no item named %s in the window", name);
    return found.first();
}

void click(QQuickWindow* window, QQuickItem* target)
{
    QTest::mouseClick(window, Qt::LeftButton, {},
                      target->mapToScene(QPointF(target->width() / 2, target->height() / 2)).toPoint());
}

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
        qunsetenv("PONDER_TOKENIZER_DIR");
    }
};

QTEST_MAIN(TestAppWindow)
#include "test_app_window.moc"
