// The Models page's Installed tab through the real window, offscreen, over real model files: two models in
// Ponder's models folder, one in a folder the user added (read-only) and one truncated file. The rows are
// checked, sorted with the sort box and the direction button, the read-only model hidden and shown again
// (its Delete button disabled), a model loaded (its "last used" appears, and its Delete is refused while it
// is in use), another imported through the import dialog, and one of Ponder's own deleted through the
// confirmation dialog. A screenshot is saved, and the run must log no warning.
#include "app_services.h"
#include "qml_plugins.h"
#include "synth/synth.h"
#include "test_support.h"
#include "window_items.h"

#include <QDir>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
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

void writeModel(const QString& path, const char* preset, std::uint64_t seed)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    SynthOptions o;
    o.preset = preset;
    o.seed = seed;
    o.tokenizerDir = test::tokenizerJson().parent_path();
    o.out = path.toStdString();
    writeSyntheticModel(o);
}

// The rows' paths as laid out, top to bottom.
QStringList rowPaths(QQuickWindow* window)
{
    QStringList paths;
    for (QQuickItem* row : visibleItems(window, "modelRow"))
        paths << row->property("path").toString();
    return paths;
}

QQuickItem* rowFor(QQuickWindow* window, const QString& path)
{
    for (QQuickItem* row : visibleItems(window, "modelRow"))
        if (row->property("path").toString() == path)
            return row;
    return nullptr;
}

QQuickItem* inRow(QQuickItem* row, const char* name)
{
    QList<QQuickItem*> found;
    collect(row, QString::fromLatin1(name), found);
    return found.value(0);
}

QString canonical(const QString& path) { return QFileInfo(path).canonicalFilePath(); }

} // namespace

class TestInstalledView : public QObject {
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

    void manageInstalledModels()
    {
        previousHandler = qInstallMessageHandler(&recordWarning);
        const QString dataDir = dir_.filePath(QStringLiteral("data"));
        const QString models = QDir(dataDir).filePath(QStringLiteral("models"));
        // Different shapes and seeds: different sizes, and no two taken for copies of each other.
        writeModel(models + QStringLiteral("/dense.gguf"), "tiny-dense", 1);
        writeModel(models + QStringLiteral("/moe.gguf"), "tiny-moe", 2);
        writeModel(dir_.filePath(QStringLiteral("mine/untied.gguf")), "tiny-dense-untied", 3);
        writeModel(dir_.filePath(QStringLiteral("incoming/imported.gguf")), "tiny-dense", 4);
        {
            QFile dense(models + QStringLiteral("/dense.gguf"));
            QVERIFY(dense.open(QIODevice::ReadOnly));
            QFile broken(models + QStringLiteral("/broken.gguf"));
            QVERIFY(broken.open(QIODevice::WriteOnly));
            broken.write(dense.read(1024));
        }
        QSettings().setValue(QStringLiteral("library/folders"), QStringList{dir_.filePath(QStringLiteral("mine"))});
        const QString dense = canonical(models + QStringLiteral("/dense.gguf"));
        const QString moe = canonical(models + QStringLiteral("/moe.gguf"));
        const QString broken = canonical(models + QStringLiteral("/broken.gguf"));
        const QString untied = canonical(dir_.filePath(QStringLiteral("mine/untied.gguf")));

        desktop::AppServices services(dataDir);
        services.chat().setContextLength(1024);
        QQmlApplicationEngine engine;
        QVERIFY(services.loadWindow(engine));
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        window->setProperty("theme", 0); // Material.Light
        window->resize(1200, 1500); // every row in view (a view makes delegates only for what it shows)
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(item(window, "modelsPage")->isVisible());
        QVERIFY(item(window, "installedView")->isVisible());

        // Four rows, by name; the file that cannot be read last, with its reason.
        QTRY_COMPARE_WITH_TIMEOUT(visibleItems(window, "modelRow").size(), 4, 30000);
        QVERIFY(!item(window, "testModelOffer")->isVisible());
        const auto& entries = services.library().entries()->entries();
        QStringList byName;
        for (const QString& path : {dense, moe, untied})
            byName << path;
        std::sort(byName.begin(), byName.end(), [&](const QString& a, const QString& b) {
            const auto nameOf = [&](const QString& p) {
                return entries[std::size_t(services.library().entries()->indexOfPath(p))].name;
            };
            return QString::localeAwareCompare(nameOf(a), nameOf(b)) < 0;
        });
        QCOMPARE(rowPaths(window), byName + QStringList{broken});
        QVERIFY(inRow(rowFor(window, broken), "modelRowError")->isVisible());
        QVERIFY(!inRow(rowFor(window, broken), "loadModelButton")->isEnabled());
        QVERIFY(inRow(rowFor(window, dense), "modelRowDetails")->property("text").toString().contains(QStringLiteral("dense")));
        QVERIFY(inRow(rowFor(window, moe), "modelRowDetails")->property("text").toString().contains(QStringLiteral("mixture of experts")));
        QVERIFY(inRow(rowFor(window, dense), "modelRowMemory")->property("text").toString().startsWith(QStringLiteral("Needs about ")));
        QVERIFY(inRow(rowFor(window, dense), "installedFitBadge")->isVisible());
        QVERIFY(!inRow(rowFor(window, broken), "installedFitBadge")->isVisible());
        QVERIFY(inRow(rowFor(window, untied), "modelRowSources")->property("text").toString().contains(QStringLiteral("a folder you added")));
        QVERIFY(inRow(rowFor(window, dense), "modelRowSources")->property("text").toString().contains(QStringLiteral("never loaded")));

        // Sort by file size (the second choice), smallest first, then the other way round.
        QStringList bySize{dense, moe, untied};
        std::sort(bySize.begin(), bySize.end(), [](const QString& a, const QString& b) { return QFileInfo(a).size() < QFileInfo(b).size(); });
        QVERIFY(QFileInfo(bySize[0]).size() < QFileInfo(bySize[1]).size() && QFileInfo(bySize[1]).size() < QFileInfo(bySize[2]).size());
        QQuickItem* sortBox = item(window, "sortBox");
        sortBox->forceActiveFocus();
        QTest::keyClick(window, Qt::Key_Down);
        QTRY_COMPARE(rowPaths(window), bySize + QStringList{broken});
        QCOMPARE(item(window, "sortDirectionButton")->property("text").toString(), QStringLiteral("Ascending"));
        click(window, item(window, "sortDirectionButton"));
        QTRY_COMPARE(rowPaths(window), (QStringList{bySize[2], bySize[1], bySize[0], broken}));
        QCOMPARE(item(window, "sortDirectionButton")->property("text").toString(), QStringLiteral("Descending"));

        // The added folder's model is the user's own: no Delete (the button says why), Hide instead.
        QQuickItem* theirs = rowFor(window, untied);
        QVERIFY(!inRow(theirs, "deleteModelButton")->isEnabled());
        QVERIFY(inRow(theirs, "hideModelButton")->isVisible());
        QVERIFY(!inRow(rowFor(window, dense), "hideModelButton")->isVisible());
        QVERIFY(inRow(rowFor(window, dense), "deleteModelButton")->isEnabled());
        QVERIFY(!item(window, "showHiddenBox")->isVisible());
        click(window, inRow(theirs, "hideModelButton"));
        QTRY_COMPARE(visibleItems(window, "modelRow").size(), 3);
        QVERIFY(!rowFor(window, untied));
        QTRY_VERIFY(item(window, "showHiddenBox")->isVisible());
        click(window, item(window, "showHiddenBox"));
        QTRY_COMPARE(visibleItems(window, "modelRow").size(), 4);
        QCOMPARE(inRow(rowFor(window, untied), "hideModelButton")->property("text").toString(), QStringLiteral("Show"));
        click(window, inRow(rowFor(window, untied), "hideModelButton"));
        QTRY_VERIFY(services.library().hiddenIds().isEmpty());
        QTRY_VERIFY(!item(window, "showHiddenBox")->isVisible());
        QCOMPARE(visibleItems(window, "modelRow").size(), 4);

        // Load the dense model: its row says when, and it cannot be deleted while loaded.
        click(window, inRow(rowFor(window, dense), "loadModelButton"));
        QTRY_COMPARE_WITH_TIMEOUT(services.model().state(), controllers::ModelController::State::Ready, 60000);
        window->setProperty("showingModels", true); // loading switched to the chat
        QTRY_VERIFY(item(window, "installedView")->isVisible());
        QTRY_VERIFY(inRow(rowFor(window, dense), "modelRowSources")->property("text").toString().contains(QStringLiteral("last used")));
        QCOMPARE(inRow(rowFor(window, dense), "loadModelButton")->property("text").toString(), QStringLiteral("Loaded"));
        QVERIFY(!inRow(rowFor(window, dense), "deleteModelButton")->isEnabled());
        QVERIFY(services.library().revealUrl(entries[std::size_t(services.library().entries()->indexOfPath(dense))].id) ==
                QUrl::fromLocalFile(QFileInfo(dense).absolutePath()));

        // Import a model by copy through the dialog (as a drop opens it): a new row, the message says so.
        QObject* importDialog = window->findChild<QObject*>(QStringLiteral("importDialog"));
        QVERIFY(importDialog);
        const QString incoming = dir_.filePath(QStringLiteral("incoming/imported.gguf"));
        QVERIFY(QMetaObject::invokeMethod(importDialog, "openWith",
                                          Q_ARG(QVariant, QVariant(QVariantList{QUrl::fromLocalFile(incoming)}))));
        QTRY_VERIFY(importDialog->property("opened").toBool());
        QCOMPARE(importDialog->property("mode").toString(), QStringLiteral("copy"));
        QCOMPARE(items(window, "importSource").size(), 1);
        click(window, item(window, "importConfirmButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!services.library().importing(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(visibleItems(window, "modelRow").size(), 5, 30000);
        const QString imported = canonical(models + QStringLiteral("/imported.gguf"));
        QVERIFY(rowFor(window, imported));
        QVERIFY(QFileInfo::exists(incoming));
        QTRY_VERIFY(item(window, "libraryMessage")->isVisible());
        QVERIFY2(item(window, "libraryMessageText")->property("text").toString().startsWith(QStringLiteral("Copied ")),
                 qPrintable(item(window, "libraryMessageText")->property("text").toString()));
        window->resize(1200, 780); // the window's own size, for the screenshot
        QTest::qWait(300); // the dialog's closing transition
        saveScreenshot(window, QStringLiteral("models-installed-light-en"));
        window->resize(1200, 1500);

        // Delete Ponder's MoE model: the confirmation first; Cancel keeps it, Delete removes it.
        click(window, inRow(rowFor(window, moe), "deleteModelButton"));
        QObject* deleteDialog = window->findChild<QObject*>(QStringLiteral("deleteModelDialog"));
        QVERIFY(deleteDialog);
        QTRY_VERIFY(deleteDialog->property("opened").toBool());
        QVERIFY(item(window, "deleteModelText")->property("text").toString().contains(moe));
        click(window, item(window, "cancelDeleteButton"));
        QTRY_VERIFY(!deleteDialog->property("visible").toBool());
        QVERIFY(QFileInfo::exists(moe));
        click(window, inRow(rowFor(window, moe), "deleteModelButton"));
        QTRY_VERIFY(deleteDialog->property("opened").toBool());
        click(window, item(window, "confirmDeleteButton"));
        QTRY_VERIFY(!QFileInfo::exists(moe));
        QTRY_COMPARE(visibleItems(window, "modelRow").size(), 4);
        QVERIFY(!rowFor(window, moe));
        QVERIFY2(item(window, "libraryMessageText")->property("text").toString().startsWith(QStringLiteral("Deleted ")),
                 qPrintable(item(window, "libraryMessageText")->property("text").toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!services.library().scanning(), 30000);
        QCOMPARE(visibleItems(window, "modelRow").size(), 4);

        qInstallMessageHandler(previousHandler);
        QVERIFY2(recordedWarnings().isEmpty(), qPrintable(recordedWarnings().join(QLatin1Char('\n'))));
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(TestInstalledView)
#include "test_installed_view.moc"
