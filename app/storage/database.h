#pragma once
// One open Ponder database file: opening it safely, its pragmas, and bringing its schema up to date.
//
// Opening never changes a file it cannot use: a file that is unreadable, not SQLite, damaged, another
// program's SQLite database, or from a newer Ponder (PRAGMA user_version above latestSchemaVersion()) is
// refused with a ponder::Error naming the file and the problem, before anything is written to it.
// A usable file is switched to WAL with synchronous=FULL and foreign keys on, then migrated step by step
// (schema_migrations.h).
//
// Thread confinement: a Database owns one QSqlDatabase connection under a name of its own, and Qt SQL
// connections may only be used from the thread that made them, so every call must come from the thread that
// constructed the Database (checked: another thread gets a ponder::Error). Use one Database per thread.
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <vector>

class QThread;

namespace ponder::storage {

class Database {
public:
    // Opens (creating when missing, with its folder) and migrates the database at `path`. Throws ponder::Error.
    explicit Database(const QString& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const QString& path() const { return path_; }
    int schemaVersion() const { return schemaVersion_; }

    // Runs one statement with positional (?) values; throws ponder::Error naming the file and SQLite's
    // complaint. `what` says what was being done, for the message ("renaming conversation 3").
    QSqlQuery run(const QString& what, const QString& sql, const std::vector<QVariant>& values = {}) const;

    // Throws ponder::Error with "<file>: <problem>".
    [[noreturn]] void fail(const QString& problem) const;

private:
    void openChecked();
    void closeConnection();
    QSqlDatabase& connection() const; // checks the calling thread
    int readUserVersion();
    void refuseForeignDatabase();
    void refuseDamagedDatabase();
    void setPragmas();
    void migrate();

    QString path_;
    QString connectionName_;
    QThread* thread_;
    mutable QSqlDatabase db_;
    int schemaVersion_ = 0;
};

} // namespace ponder::storage
