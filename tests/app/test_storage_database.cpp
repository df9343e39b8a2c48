// app/storage/database: schema creation and pragmas, the migration from schema version 1 (built with the
// version 1 statements, then opened by the current code: data kept, search index filled and kept current),
// and the files it must refuse without changing a byte: newer schema, garbage, another program's database.
#include "storage/conversation_store.h"
#include "storage/database.h"
#include "storage/schema_migrations.h"

#include "core/error.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

using namespace ponder;
using namespace ponder::storage;

namespace {

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Runs statements on a plain Qt SQL connection of its own (not through Database), then closes it.
void runRaw(const QString& path, const QStringList& statements)
{
    const QString name = "raw-" + path;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", name);
        db.setDatabaseName(path);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        for (const QString& statement : statements) {
            QSqlQuery query(db);
            QVERIFY2(query.exec(statement), qPrintable(statement + ": " + query.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

QString pragma(const Database& database, const QString& name)
{
    QSqlQuery query = database.run("reading " + name, "PRAGMA " + name);
    return query.next() ? query.value(0).toString() : QString();
}

// Expects opening `path` to throw a ponder::Error mentioning the file and `problem`, leaving it unchanged.
void expectRefused(const QString& path, const QString& problem)
{
    const QByteArray before = fileBytes(path);
    QVERIFY(!before.isEmpty());
    try {
        ConversationStore store(path);
        QFAIL("the file was opened");
    } catch (const ponder::Error& error) {
        const QString message = QString::fromStdString(error.what());
        QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
        QVERIFY2(message.contains("left as it is"), qPrintable(message));
        qInfo("%s", qPrintable(message));
    }
    QCOMPARE(fileBytes(path), before);
    QVERIFY(!QFile::exists(path + "-wal"));
}

} // namespace

class TestStorageDatabase : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString scratch(const QString& name) const { return dir_.filePath(name); }

private slots:
    void migrationsAreNumberedInOrder()
    {
        const auto& steps = schemaMigrations();
        QVERIFY(steps.size() >= 2);
        for (std::size_t i = 0; i < steps.size(); ++i) {
            QCOMPARE(steps[i].version, int(i) + 1);
            QVERIFY(!steps[i].statements.isEmpty());
        }
        QCOMPARE(latestSchemaVersion(), int(steps.size()));
    }

    void createsTheSchemaInANewFileAndFolder()
    {
        const QString path = scratch("new/folder/ponder.db");
        {
            Database database(path);
            QCOMPARE(database.schemaVersion(), latestSchemaVersion());
            QCOMPARE(pragma(database, "user_version").toInt(), latestSchemaVersion());
            QCOMPARE(pragma(database, "journal_mode"), QString("wal"));
            QCOMPARE(pragma(database, "foreign_keys").toInt(), 1);
            QCOMPARE(pragma(database, "synchronous").toInt(), 2); // FULL
            QSqlQuery tables = database.run("listing tables", "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                                              "AND name IN ('conversations', 'messages', "
                                                              "'conversation_search', 'message_search')");
            int found = 0;
            while (tables.next())
                ++found;
            QCOMPARE(found, 4);
        }
        // Reopening an up-to-date file changes nothing and works.
        Database again(path);
        QCOMPARE(again.schemaVersion(), latestSchemaVersion());
    }

    void migratesFromVersion1()
    {
        const QString path = scratch("version1.db");
        QStringList statements = schemaMigrations().front().statements;
        statements << "INSERT INTO conversations (id, title, created_at, updated_at, model, thinking_budget, pinned) "
                      "VALUES (1, 'Weather talk', 1000, 5000, 'Qwen3-0.6B-Q8_0.gguf', 512, 0)"
                   << "INSERT INTO conversations (id, title, title_is_custom, created_at, updated_at, pinned) "
                      "VALUES (2, '中文对话', 1, 2000, 3000, 1)"
                   << "INSERT INTO messages (conversation_id, position, role, content, created_at, updated_at) "
                      "VALUES (1, 0, 'user', 'Is it raining in Lisbon today?', 1000, 1000)"
                   << "INSERT INTO messages (conversation_id, position, role, content, reasoning, tokens, status, "
                      "created_at, updated_at) VALUES (1, 1, 'assistant', 'I cannot check live weather.', "
                      "'The user asks about weather.', 7, 'complete', 1100, 1100)"
                   << "INSERT INTO messages (conversation_id, position, role, content, created_at, updated_at) "
                      "VALUES (2, 0, 'user', '今天天气很好，我们去公园散步吧。', 2000, 2000)"
                   << "PRAGMA user_version = 1";
        runRaw(path, statements);

        ConversationStore store(path);
        QCOMPARE(store.database().schemaVersion(), latestSchemaVersion());

        // The rows came through unchanged, in listing order (pinned first).
        const auto list = store.listConversations();
        QCOMPARE(list.size(), std::size_t(2));
        QCOMPARE(list[0].id, 2);
        QCOMPARE(list[0].title, QString("中文对话"));
        QVERIFY(list[0].titleIsCustom);
        QCOMPARE(list[1].title, QString("Weather talk"));
        QCOMPARE(list[1].model, QString("Qwen3-0.6B-Q8_0.gguf"));
        QCOMPARE(list[1].thinkingBudget, 512);
        QCOMPARE(list[1].createdAt.toMSecsSinceEpoch(), 1000);
        const auto messages = store.messages(1);
        QCOMPARE(messages.size(), std::size_t(2));
        QCOMPARE(messages[1].content, QString("I cannot check live weather."));
        QCOMPARE(messages[1].reasoning, QString("The user asks about weather."));
        QCOMPARE(messages[1].tokens, 7);

        // The migration filled the index from the existing rows: titles and message text, English and Chinese.
        const auto ids = [&](const QString& text) {
            std::vector<qint64> found;
            for (const auto& c : store.searchConversations(text))
                found.push_back(c.id);
            return found;
        };
        QCOMPARE(ids("lisbon"), std::vector<qint64>{1});
        QCOMPARE(ids("WEATHER"), std::vector<qint64>{1});
        QCOMPARE(ids("天气很好"), std::vector<qint64>{2});
        QCOMPARE(ids("公园散步"), std::vector<qint64>{2});
        QCOMPARE(ids("中文对话"), std::vector<qint64>{2});
        QCOMPARE(ids("天气"), std::vector<qint64>{2}); // two characters: the LIKE fallback
        QVERIFY(ids("snow").empty());

        // ...and the triggers keep it current after the upgrade.
        store.appendMessage(1, MessageRole::User, "What about snow in Oslo?");
        QCOMPARE(ids("snow"), std::vector<qint64>{1});
    }

    void refusesANewerVersion()
    {
        const QString path = scratch("newer.db");
        runRaw(path, {"CREATE TABLE future (x)", QString("PRAGMA user_version = %1").arg(latestSchemaVersion() + 1)});
        expectRefused(path, QString("newer Ponder (schema version %1; this version knows up to %2)")
                                .arg(latestSchemaVersion() + 1)
                                .arg(latestSchemaVersion()));
    }

    void refusesACorruptFile()
    {
        const QString path = scratch("garbage.db");
        QByteArray garbage(16384, '\0');
        QRandomGenerator random(20261203);
        for (char& byte : garbage)
            byte = char(random.bounded(256));
        test::writeFile(path.toStdString(), garbage.toStdString());
        expectRefused(path, "is not a Ponder database, or it is damaged");
    }

    void refusesATextFile()
    {
        const QString path = scratch("notes.db");
        test::writeFile(path.toStdString(), "These are my notes, not a database.\n");
        expectRefused(path, "is not a Ponder database, or it is damaged");
    }

    void refusesADamagedDatabase()
    {
        // A real Ponder database with one page in the middle overwritten: the header is fine, so only a
        // check of the pages finds the damage.
        const QString path = scratch("damaged.db");
        {
            ConversationStore store(path);
            for (int i = 0; i < 40; ++i) {
                const qint64 id = store.createConversation().id;
                for (int j = 0; j < 10; ++j)
                    store.appendMessage(id, MessageRole::User,
                                        QStringLiteral("message %1.%2 about 天气").arg(i).arg(j));
            }
        }
        QVERIFY(!QFile::exists(path + "-wal")); // checkpointed into the file on close
        QByteArray bytes = fileBytes(path);
        const qsizetype pageSize = 4096;
        const qsizetype pages = bytes.size() / pageSize;
        QVERIFY2(pages >= 8, qPrintable(QString::number(pages)));
        for (qsizetype i = 0; i < pageSize; ++i)
            bytes[(pages / 2) * pageSize + i] = char(0xA5 ^ (i * 7));
        test::writeFile(path.toStdString(), bytes.toStdString());
        expectRefused(path, "is damaged (SQLite's check: ");
    }

    void refusesADirectory()
    {
        QVERIFY(QDir(dir_.path()).mkdir("folder.db"));
        QVERIFY_THROWS_EXCEPTION(ponder::Error, Database{scratch("folder.db")});
        try {
            Database database(scratch("folder.db"));
        } catch (const ponder::Error& error) {
            QCOMPARE(QString(error.what()), scratch("folder.db") + ": is not a file");
        }
    }

    void refusesAnotherProgramsDatabase()
    {
        const QString path = scratch("other.db");
        runRaw(path, {"CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)", "INSERT INTO notes VALUES (1, 'x')"});
        expectRefused(path, "not one of Ponder's");
    }

    void refusesAnUnreadableFile()
    {
        if (geteuid() == 0)
            QSKIP("root reads any file");
        const QString path = scratch("unreadable.db");
        { Database database(path); }
        QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
        QVERIFY_THROWS_EXCEPTION(ponder::Error, Database{path});
        try {
            Database database(path);
        } catch (const ponder::Error& error) {
            QVERIFY2(QString(error.what()).contains("cannot be read"), error.what());
        }
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void isConfinedToItsThread()
    {
        Database database(scratch("threads.db"));
        QString message;
        QThread* other = QThread::create([&] {
            try {
                database.run("reading the version", "PRAGMA user_version");
            } catch (const ponder::Error& error) {
                message = error.what();
            }
        });
        other->start();
        QVERIFY(other->wait(30000));
        delete other;
        QVERIFY2(message.contains("thread other than the one that opened it"), qPrintable(message));
        // Still fine from its own thread.
        QCOMPARE(pragma(database, "user_version").toInt(), latestSchemaVersion());
    }

    void manyConnectionsAtOnce()
    {
        // Each Database has its own connection name, so several (on one file or several) coexist.
        Database a(scratch("a.db"));
        Database b(scratch("b.db"));
        Database c(scratch("a.db"));
        QCOMPARE(pragma(a, "user_version").toInt(), latestSchemaVersion());
        QCOMPARE(pragma(b, "user_version").toInt(), latestSchemaVersion());
        QCOMPARE(pragma(c, "user_version").toInt(), latestSchemaVersion());
    }
};

QTEST_GUILESS_MAIN(TestStorageDatabase)
#include "test_storage_database.moc"
