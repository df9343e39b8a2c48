#include "database.h"

#include "schema_migrations.h"
#include "transaction.h"

#include "core/error.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QThread>

#include <atomic>

namespace ponder::storage {

namespace {

// Qt SQL keys connections by name process-wide; each Database needs its own.
QString uniqueConnectionName()
{
    static std::atomic<quint64> next{0};
    return QStringLiteral("ponder-storage-%1").arg(next.fetch_add(1));
}

QString sqliteComplaint(const QSqlError& error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.trimmed();
}

} // namespace

Database::Database(const QString& path)
    : path_(QDir::toNativeSeparators(path)), connectionName_(uniqueConnectionName()),
      thread_(QThread::currentThread())
{
    const QFileInfo file(path);
    if (file.exists() && !file.isFile())
        fail("is not a file");
    if (file.exists() && !file.isReadable())
        fail("cannot be read (permission denied)");
    if (!file.exists() && !QDir().mkpath(file.absolutePath()))
        fail("cannot create its folder " + QDir::toNativeSeparators(file.absolutePath()));

    db_ = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName_);
    try {
        openChecked();
    } catch (...) {
        closeConnection(); // the destructor does not run for a constructor that throws
        throw;
    }
}

void Database::openChecked()
{
    if (!db_.isValid())
        fail("cannot be opened: Qt's SQLite driver (QSQLITE) is not installed (Debian: libqt6sql6-sqlite)");
    db_.setDatabaseName(QDir::fromNativeSeparators(path_));
    // Another Ponder window or a backup tool may hold the file briefly; wait rather than fail at once.
    db_.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db_.open())
        fail("cannot be opened: " + sqliteComplaint(db_.lastError()));

    // Everything up to setPragmas() only reads, so a file refused here is left exactly as it was.
    schemaVersion_ = readUserVersion();
    if (schemaVersion_ > latestSchemaVersion())
        fail(QStringLiteral("was written by a newer Ponder (schema version %1; this version knows up to %2): "
                            "update Ponder to open it. The file was left as it is.")
                 .arg(schemaVersion_)
                 .arg(latestSchemaVersion()));
    if (schemaVersion_ == 0)
        refuseForeignDatabase();
    refuseDamagedDatabase();
    setPragmas();
    migrate();
}

Database::~Database() { closeConnection(); }

void Database::closeConnection()
{
    // Qt requires every QSqlDatabase handle of a connection to be gone before removeDatabase.
    db_.close();
    db_ = QSqlDatabase();
    QSqlDatabase::removeDatabase(connectionName_);
}

QSqlDatabase& Database::connection() const
{
    if (QThread::currentThread() != thread_)
        fail("was used from a thread other than the one that opened it (a store is confined to its thread)");
    return db_;
}

void Database::fail(const QString& problem) const { throw ponder::Error((path_ + ": " + problem).toStdString()); }

QSqlQuery Database::run(const QString& what, const QString& sql, const std::vector<QVariant>& values) const
{
    QSqlQuery query(connection());
    if (!query.prepare(sql))
        fail(what + " failed: " + sqliteComplaint(query.lastError()));
    for (const QVariant& value : values) {
        // Qt binds a null QString as SQL NULL; the text columns are NOT NULL and mean "none" by ''.
        if (value.typeId() == QMetaType::QString && value.toString().isNull())
            query.addBindValue(QString(""));
        else
            query.addBindValue(value);
    }
    if (!query.exec())
        fail(what + " failed: " + sqliteComplaint(query.lastError()));
    return query;
}

int Database::readUserVersion()
{
    QSqlQuery query(connection());
    // The first read of the file: SQLite checks its header here, so garbage fails now ("file is not a
    // database"), and so do damaged pages and unreadable files.
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        fail("is not a Ponder database, or it is damaged (SQLite: " + sqliteComplaint(query.lastError()) +
             "). The file was left as it is.");
    return query.value(0).toInt();
}

// A file at version 0 is either new (empty) or some other program's SQLite database, which must not get
// Ponder's tables added to it.
void Database::refuseForeignDatabase()
{
    QSqlQuery query = run("reading the list of tables",
                          "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
    if (query.next() && query.value(0).toInt() > 0)
        fail("is an SQLite database, but not one of Ponder's (it has tables and no Ponder schema version). "
             "The file was left as it is.");
}

// SQLite reports damaged pages only when a query happens to read them, which could be halfway through a
// change, long after opening. quick_check reads every page once (milliseconds for a few MB of chats; it
// skips the slower index-content checks of integrity_check), so damage is reported up front, before
// anything is written.
void Database::refuseDamagedDatabase()
{
    QSqlQuery query(connection());
    QString problem;
    if (!query.exec(QStringLiteral("PRAGMA quick_check(1)")) || !query.next())
        problem = sqliteComplaint(query.lastError());
    else if (query.value(0).toString() != QLatin1String("ok"))
        // One line for the message: "*** in database main ***\nOn tree page 6 cell 3: ..." -> "On tree ...".
        problem = query.value(0).toString().remove(QStringLiteral("*** in database main ***")).simplified();
    if (!problem.isEmpty())
        fail("is damaged (SQLite's check: " + problem + "). The file was left as it is; restore it from a backup.");
}

void Database::setPragmas()
{
    // WAL: a reader never blocks the writer, and a commit is one append to the log, cheap enough for the
    // streaming updates every half second. synchronous=FULL syncs the log on every commit, so a committed
    // update survives a power cut as well as a killed process.
    QSqlQuery mode = run("switching to WAL journaling", "PRAGMA journal_mode = WAL");
    if (!mode.next() || mode.value(0).toString().compare("wal", Qt::CaseInsensitive) != 0)
        fail("cannot use WAL journaling (SQLite kept journal mode '" + mode.value(0).toString() + "')");
    run("setting synchronous writes", "PRAGMA synchronous = FULL");
    // Off by default in SQLite, and per connection: without it the ON DELETE CASCADE of messages is ignored.
    run("turning on foreign keys", "PRAGMA foreign_keys = ON");
    QSqlQuery keys = run("checking foreign keys", "PRAGMA foreign_keys");
    if (!keys.next() || keys.value(0).toInt() != 1)
        fail("cannot turn on foreign keys in this SQLite build");
}

void Database::migrate()
{
    for (const SchemaMigration& step : schemaMigrations()) {
        if (step.version <= schemaVersion_)
            continue;
        const QString what =
            QStringLiteral("upgrading to schema version %1 (%2)").arg(step.version).arg(step.summary);
        // The step and its version bump commit together (user_version lives in the file header, which is
        // transactional), so a crash mid-upgrade leaves the previous version, to be upgraded again next time.
        Transaction transaction(*this);
        for (const QString& statement : step.statements)
            run(what, statement);
        run(what, QStringLiteral("PRAGMA user_version = %1").arg(step.version));
        transaction.commit();
        schemaVersion_ = step.version;
    }
}

} // namespace ponder::storage
