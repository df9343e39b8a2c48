// ConversationsController (the sidebar's actions) and ModelController (the header's model state) over a real
// store and engine: the list follows new conversations, renames, pins, search, delete with undo (and the purge
// of the delete before), export to a file (Markdown and JSON read back; bad paths and formats reported), and a
// model load that fails names the file and leaves the controller usable.
#include "controllers/conversations_controller.h"
#include "controllers/model_controller.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace ponder;
using namespace ponder::controllers;

namespace {

QStringList titles(const models::ConversationListModel& list)
{
    QStringList out;
    for (int r = 0; r < list.rowCount(); ++r)
        out << list.at(r)->title;
    return out;
}

} // namespace

class TestConversationsController : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void sidebarActions()
    {
        storage::ConversationStore store(dir_.filePath(QStringLiteral("sidebar.db")));
        for (const char* first : {"Plan a trip to Hangzhou", "天气怎么样", "Fix my CMake build"}) {
            const qint64 id = store.createConversation().id;
            store.appendMessage(id, storage::MessageRole::User, QString::fromUtf8(first));
        }
        app::Engine engine;
        ChatController chat(store, engine);
        ConversationsController sidebar(store, chat);
        QAbstractItemModelTester tester(sidebar.list(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(titles(*sidebar.list()),
                 (QStringList{"Fix my CMake build", QString::fromUtf8("天气怎么样"), "Plan a trip to Hangzhou"}));

        const qint64 trip = sidebar.list()->at(2)->id;
        sidebar.open(trip);
        QCOMPARE(chat.conversationId(), trip);
        QCOMPARE(chat.messages()->rowCount(), 1);

        sidebar.rename(trip, QStringLiteral("Hangzhou"));
        sidebar.setPinned(trip, true);
        QCOMPARE(titles(*sidebar.list()).first(), QStringLiteral("Hangzhou"));
        QVERIFY(sidebar.list()->at(0)->pinned);

        sidebar.setSearchText(QString::fromUtf8("天气"));
        QCOMPARE(titles(*sidebar.list()), QStringList{QString::fromUtf8("天气怎么样")});
        sidebar.setSearchText(QStringLiteral("cmake"));
        QCOMPARE(titles(*sidebar.list()), QStringList{"Fix my CMake build"});
        sidebar.setSearchText(QString());
        QCOMPARE(sidebar.list()->rowCount(), 3);

        // Delete the open conversation: the chat moves to a new one; undo brings it back.
        QSignalSpy undoable(&sidebar, &ConversationsController::undoableDeleteChanged);
        sidebar.remove(trip);
        QCOMPARE(sidebar.undoableDelete(), trip);
        QCOMPARE(chat.conversationId(), qint64(0));
        QCOMPARE(sidebar.list()->rowCount(), 2);
        sidebar.undoDelete();
        QCOMPARE(sidebar.undoableDelete(), qint64(0));
        QCOMPARE(sidebar.list()->rowCount(), 3);
        QCOMPARE(undoable.count(), 2);

        // A second delete ends the first one's undo: that conversation is purged for good.
        const qint64 weather = sidebar.list()->at(2)->id, build = sidebar.list()->at(1)->id;
        sidebar.remove(weather);
        sidebar.remove(build);
        QVERIFY(!store.conversation(weather).has_value());
        QVERIFY(store.conversation(build)->isDeleted());
        sidebar.undoDelete();
        QCOMPARE(titles(*sidebar.list()), (QStringList{"Hangzhou", "Fix my CMake build"}));
    }

    void exportToAFile()
    {
        storage::ConversationStore store(dir_.filePath(QStringLiteral("export.db")));
        const qint64 id = store.createConversation().id;
        store.appendMessage(id, storage::MessageRole::User, QStringLiteral("What is 2/3 as a decimal?"));
        store.appendMessage(id, storage::MessageRole::Assistant, QStringLiteral("About 0.667."));
        app::Engine engine;
        ChatController chat(store, engine);
        ConversationsController sidebar(store, chat);
        QSignalSpy errors(&sidebar, &ConversationsController::errorOccurred);
        const auto read = [](const QString& path) {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };

        // The suggested names keep the title but no path separators.
        QCOMPARE(sidebar.exportFileName(id, QStringLiteral("markdown")),
                 QStringLiteral("What is 2_3 as a decimal_.md"));
        QCOMPARE(sidebar.exportFileName(id, QStringLiteral("json")),
                 QStringLiteral("What is 2_3 as a decimal_.json"));

        const QString markdown = dir_.filePath(QStringLiteral("chat.md"));
        QVERIFY(sidebar.exportConversation(id, QUrl::fromLocalFile(markdown), QStringLiteral("markdown")));
        const QString text = QString::fromUtf8(read(markdown));
        QVERIFY2(text.startsWith(QStringLiteral("# What is 2/3 as a decimal?")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("## User")));
        QVERIFY(text.contains(QStringLiteral("About 0.667.")));

        const QString json = dir_.filePath(QStringLiteral("chat.json"));
        std::ofstream(json.toStdString()) << "an older file, replaced";
        QVERIFY(sidebar.exportConversation(id, QUrl::fromLocalFile(json), QStringLiteral("json")));
        const QJsonObject root = QJsonDocument::fromJson(read(json)).object();
        QCOMPARE(root.value(QStringLiteral("format")).toString(), QStringLiteral("ponder-conversation"));
        const QJsonArray messages = root.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(1).toObject().value(QStringLiteral("content")).toString(), QStringLiteral("About 0.667."));
        QCOMPARE(errors.count(), 0);

        // A folder that cannot exist (its parent is a file), a URL that is not a file, an unknown format, a
        // conversation that is gone: each reported, naming the problem, and nothing written.
        const QString blocked = json + QStringLiteral("/inside.md");
        QVERIFY(!sidebar.exportConversation(id, QUrl::fromLocalFile(blocked), QStringLiteral("markdown")));
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.at(0).at(0).toString().contains(blocked), qPrintable(errors.at(0).at(0).toString()));
        QVERIFY(!QFile::exists(blocked));
        QVERIFY(!sidebar.exportConversation(id, QUrl(QStringLiteral("https://example.com/chat.md")),
                                            QStringLiteral("markdown")));
        QVERIFY(!sidebar.exportConversation(id, QUrl::fromLocalFile(dir_.filePath(QStringLiteral("chat.txt"))),
                                            QStringLiteral("text")));
        QVERIFY(!QFile::exists(dir_.filePath(QStringLiteral("chat.txt"))));
        QVERIFY(!sidebar.exportConversation(4242, QUrl::fromLocalFile(dir_.filePath(QStringLiteral("gone.md"))),
                                            QStringLiteral("markdown")));
        QCOMPARE(errors.count(), 4);
        QVERIFY(errors.at(2).at(0).toString().contains(QStringLiteral("'text'")));
        QVERIFY(!QFile::exists(dir_.filePath(QStringLiteral("gone.md"))));
    }

    void modelStates()
    {
        app::Engine engine;
        ModelController model(engine);
        BackendChoice cpu;
        cpu.backend = "cpu";
        model.setBackend(cpu);
        QCOMPARE(model.state(), ModelController::State::None);
        QCOMPARE(model.thinking(), QStringLiteral("never"));

        const QString broken = dir_.filePath(QStringLiteral("broken.gguf"));
        std::ofstream(broken.toStdString()) << "not a model";
        model.load(broken);
        QCOMPARE(model.state(), ModelController::State::Loading);
        QCOMPARE(model.name(), QStringLiteral("broken.gguf"));
        QTRY_COMPARE_WITH_TIMEOUT(model.state(), ModelController::State::Failed, 30000);
        QVERIFY2(model.error().contains(QStringLiteral("broken.gguf")), qPrintable(model.error()));

        SynthOptions o;
        o.preset = kScriptedPreset;
        o.tokenizerDir = test::tokenizerJson().parent_path();
        o.out = dir_.filePath(QStringLiteral("scripted.gguf")).toStdString();
        writeSyntheticModel(o);
        QSignalSpy changed(&model, &ModelController::modelChanged);
        model.load(QString::fromStdString(o.out));
        QTRY_COMPARE_WITH_TIMEOUT(model.state(), ModelController::State::Ready, 60000);
        QCOMPARE(model.name(), QStringLiteral("Ponder synthetic scripted"));
        QCOMPARE(model.thinking(), QStringLiteral("hybrid"));
        QVERIFY(model.error().isEmpty());
        QVERIFY(model.summary().has_value());
        QVERIFY(changed.count() >= 2); // loading, loaded

        model.unload();
        QTRY_COMPARE_WITH_TIMEOUT(model.state(), ModelController::State::None, 30000);
        QVERIFY(!model.summary().has_value());
    }
};

QTEST_GUILESS_MAIN(TestConversationsController)
#include "test_conversations_controller.moc"
