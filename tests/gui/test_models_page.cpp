// The Models page's three tabs through the real window, offscreen: Installed (the library), Discover (the
// built-in Qwen3 catalog with fit badges and the recommendation) and Downloads. A catalog file is downloaded
// for real from a local HTTP server standing in for a Hugging Face mirror (the hub's /resolve/ redirect with
// X-Linked-Etag, so the SHA-256 is checked): the Download button queues it, the Downloads tab shows it, Pause
// and Resume work on it, and once finished the library lists the new model under Installed. Screenshots of
// the three tabs are saved, and the run must log no warning. With the reasoning pane open the Discover and
// Downloads tabs are narrow: their wrapped labels must not overlap, and no view or row may be wider than its slot.
#include "app_services.h"
#include "http_test_server.h"
#include "qml_plugins.h"
#include "synth/synth.h"
#include "test_support.h"
#include "window_items.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRectF>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ponder;
using namespace ponder::test;

namespace {

QStringList& recordedWarnings()
{
    static QStringList messages;
    return messages;
}
QtMessageHandler previousHandler = nullptr;
void recordWarning(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type != QtDebugMsg && type != QtInfoMsg)
        recordedWarnings() << message;
    if (previousHandler)
        previousHandler(type, context, message);
}

void saveScreenshot(QQuickWindow* window, const QString& name)
{
    QDir().mkpath(QStringLiteral(PONDER_SCREENSHOT_DIR));
    const QString path = QStringLiteral(PONDER_SCREENSHOT_DIR "/%1.png").arg(name);
    QVERIFY2(window->grabWindow().save(path), qPrintable(path));
    qInfo("screenshot: %s", qPrintable(path));
}

void click(QQuickWindow* window, QQuickItem* target)
{
    QTest::mouseClick(window, Qt::LeftButton, {}, centreOf(target));
}

// The catalog row's Download button for one file.
QQuickItem* downloadButtonFor(QQuickWindow* window, const QString& fileName)
{
    for (QQuickItem* row : items(window, "catalogFileRow"))
        if (row->property("fileName").toString() == fileName) {
            QList<QQuickItem*> found;
            collect(row, QStringLiteral("catalogDownloadButton"), found);
            return found.value(0);
        }
    return nullptr;
}

// The item's rectangle in the window.
QRectF sceneRect(QQuickItem* item)
{
    return item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
}

QString describe(QQuickItem* item)
{
    const QRectF r = sceneRect(item);
    return QStringLiteral("%1 at (%2, %3) %4 x %5, implicit %6 x %7")
        .arg(item->objectName()).arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height())
        .arg(item->implicitWidth()).arg(item->implicitHeight());
}

// A tab's view fits the slot its StackLayout gives it, and each row of its list fits the list: a row wider
// than the view would push the view past its slot (under the reasoning pane) and its texts out of sight.
void verifyFitsItsSlot(QQuickWindow* window, const char* viewName, const char* listName, const char* rowName)
{
    QQuickItem* view = item(window, viewName);
    QVERIFY2(view->width() <= view->parentItem()->width(),
             qPrintable(describe(view) + QStringLiteral(" in a slot %1 wide").arg(view->parentItem()->width())));
    QVERIFY2(view->implicitWidth() <= view->parentItem()->width(),
             qPrintable(describe(view) + QStringLiteral(" in a slot %1 wide").arg(view->parentItem()->width())));
    const QRectF list = sceneRect(item(window, listName));
    for (QQuickItem* row : items(window, rowName)) {
        const QRectF r = sceneRect(row);
        QVERIFY2(r.left() >= list.left() && r.right() <= list.right() + 0.5,
                 qPrintable(describe(row) + QStringLiteral(" in a list from %1 to %2").arg(list.left()).arg(list.right())));
        QVERIFY2(row->implicitWidth() <= list.width() + 0.5,
                 qPrintable(describe(row) + QStringLiteral(" in a list %1 wide").arg(list.width())));
    }
}

} // namespace

class TestModelsPage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("Ponder"));
        QSettings().clear();
        QQuickStyle::setStyle(QStringLiteral("Material"));
    }

    void downloadFromTheCatalog()
    {
        previousHandler = qInstallMessageHandler(&recordWarning);
        // The file the "mirror" serves: a small synthetic model, under a catalog file's name.
        SynthOptions o;
        o.preset = "tiny-dense";
        o.tokenizerDir = test::tokenizerJson().parent_path();
        o.out = dir_.filePath(QStringLiteral("served.gguf")).toStdString();
        writeSyntheticModel(o);
        QFile served(QString::fromStdString(o.out.string()));
        QVERIFY(served.open(QIODevice::ReadOnly));
        HttpTestServer server;
        server.content = served.readAll();
        server.linkedEtag = QCryptographicHash::hash(server.content, QCryptographicHash::Sha256).toHex();
        // Slow enough to be paused on the way.
        server.trickleBytes = int(std::max<qsizetype>(server.content.size() / 40, 1));
        server.trickleMs = 50;
        const QString fileName = QStringLiteral("Qwen3-0.6B-Q8_0.gguf");

        const QString dataDir = dir_.filePath(QStringLiteral("data"));
        desktop::AppServices services(dataDir);
        services.settings().setDownloadSource(QStringLiteral("mirror"));
        services.settings().setMirrorUrl(server.url(QString()).toString());
        QVERIFY(services.settings().mirrorUrlValid());
        QQmlApplicationEngine engine;
        QVERIFY(services.loadWindow(engine));
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        window->setProperty("theme", 0); // Material.Light
        QVERIFY(QTest::qWaitForWindowExposed(window));

        // Installed: the empty library (the window starts on the Models page without a model).
        QTRY_VERIFY(item(window, "modelsPage")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(item(window, "testModelOffer")->isVisible(), 30000);
        QVERIFY(item(window, "modelList")->isVisible());
        QTest::qWait(300);
        saveScreenshot(window, QStringLiteral("models-installed-empty-light-en"));

        // Discover: the eight models, each file with a fit badge; the recommendation named.
        click(window, item(window, "discoverTab"));
        QTRY_VERIFY(item(window, "catalogView")->isVisible());
        QVERIFY(!item(window, "modelList")->isVisible());
        QCOMPARE(services.downloads().models().size(), 8);
        QTRY_VERIFY(!items(window, "catalogEntry").isEmpty());
        QCOMPARE(items(window, "catalogEntryName").first()->property("text").toString(), QStringLiteral("Qwen3-0.6B"));
        const QString fit = items(window, "fitBadge").first()->property("text").toString();
        QVERIFY2(QStringList({"fits on the GPU", "fits partly on the GPU", "only on the CPU", "too large"}).contains(fit), qPrintable(fit));
        const QString recommendation = item(window, "recommendationLabel")->property("text").toString();
        QVERIFY2(services.downloads().recommendedFile().isEmpty() ||
                     recommendation.endsWith(services.downloads().recommendedFile()), qPrintable(recommendation));
        QTest::qWait(300);
        // The machine's memory wraps (the reasoning pane is open) and its lines stay above the recommendation:
        // the label's height is the one its text needs at its width, not one line's.
        QQuickItem* memoryLabel = item(window, "machineMemoryLabel");
        QVERIFY2(memoryLabel->height() >= memoryLabel->property("contentHeight").toReal(), qPrintable(describe(memoryLabel)));
        QVERIFY2(sceneRect(memoryLabel).bottom() <= sceneRect(item(window, "recommendationLabel")).top(),
                 qPrintable(describe(memoryLabel) + QStringLiteral("; ") + describe(item(window, "recommendationLabel"))));
        // Every entry fits, the recommended file's row (with its badge) among them: the list is walked so that
        // each entry is made.
        QQuickItem* catalogList = item(window, "catalogList");
        for (int i = 0; i < services.downloads().models().size(); ++i) {
            QMetaObject::invokeMethod(catalogList, "positionViewAtIndex", Q_ARG(int, i), Q_ARG(int, 1 /* ListView.Beginning */));
            QTest::qWait(50);
            verifyFitsItsSlot(window, "catalogView", "catalogList", "catalogEntry");
            if (QTest::currentTestFailed())
                return;
            // A file in parts says so, in full (wrapped where the row is short of room).
            for (QQuickItem* note : visibleItems(window, "splitFileNote"))
                QVERIFY2(note->width() > 0 && !note->property("truncated").toBool() &&
                             note->height() >= note->property("contentHeight").toReal() &&
                             note->property("lineCount").toInt() <= 2,
                         qPrintable(describe(note)));
        }
        QMetaObject::invokeMethod(catalogList, "positionViewAtBeginning");
        saveScreenshot(window, QStringLiteral("models-discover-light-en"));

        // Download: the page moves to the Downloads tab with the file in it.
        QQuickItem* button = downloadButtonFor(window, fileName);
        QVERIFY(button);
        QCOMPARE(button->property("text").toString(), QStringLiteral("Download"));
        click(window, button);
        QTRY_VERIFY(item(window, "downloadsView")->isVisible());
        QCOMPARE(services.downloads().queue().count(), 1);
        QTRY_COMPARE(items(window, "downloadRow").size(), 1);
        QCOMPARE(item(window, "downloadName")->property("text").toString(), fileName);
        QTRY_COMPARE_WITH_TIMEOUT(item(window, "downloadState")->property("text").toString(), QStringLiteral("Downloading"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(services.downloads().queue().at(0)->bytesDone() > 0, 10000);

        // Pause keeps the part; the row offers Resume.
        QTRY_VERIFY(item(window, "pauseDownloadButton")->isVisible());
        click(window, item(window, "pauseDownloadButton"));
        QTRY_COMPARE(item(window, "downloadState")->property("text").toString(), QStringLiteral("Paused"));
        QTRY_VERIFY(item(window, "resumeDownloadButton")->isVisible());
        const qint64 pausedAt = services.downloads().queue().at(0)->bytesDone();
        QVERIFY(pausedAt > 0 && pausedAt < server.content.size());
        QVERIFY(QFile::exists(QDir(dataDir).filePath(QStringLiteral("models/%1.part").arg(fileName))));
        QTest::qWait(300);
        verifyFitsItsSlot(window, "downloadsView", "downloadList", "downloadRow");
        if (QTest::currentTestFailed())
            return;
        saveScreenshot(window, QStringLiteral("models-downloads-light-en"));

        // Resume continues from the part (a Range request) and finishes verified.
        click(window, item(window, "resumeDownloadButton"));
        QTRY_COMPARE_WITH_TIMEOUT(item(window, "downloadState")->property("text").toString(), QStringLiteral("Finished"), 60000);
        QVERIFY(services.downloads().queue().at(0)->errorString().isEmpty());
        QCOMPARE(services.downloads().queue().at(0)->expectedSha256(), QString::fromLatin1(server.linkedEtag));
        QVERIFY(server.gets().last().range.startsWith("bytes="));
        QVERIFY(item(window, "removeDownloadButton")->isVisible());
        const QString installedPath = QDir(dataDir).filePath(QStringLiteral("models/") + fileName);
        QFile installed(installedPath);
        QVERIFY(installed.open(QIODevice::ReadOnly));
        QCOMPARE(installed.readAll(), server.content);

        // The library rescans: the new model is under Installed, and Discover says it is installed.
        click(window, item(window, "installedTab"));
        QTRY_VERIFY(item(window, "modelList")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT([&] {
            for (QQuickItem* row : items(window, "modelRow"))
                if (row->property("path").toString() == installedPath)
                    return true;
            return false;
        }(), 30000);
        QVERIFY(!item(window, "testModelOffer")->isVisible());
        QTRY_COMPARE(downloadButtonFor(window, fileName)->property("text").toString(), QStringLiteral("Installed"));

        qInstallMessageHandler(previousHandler);
        QVERIFY2(recordedWarnings().isEmpty(), qPrintable(recordedWarnings().join(QLatin1Char('\n'))));
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(TestModelsPage)
#include "test_models_page.moc"
