#pragma once
// The database schema as ordered, versioned steps. The file's PRAGMA user_version is the number of the last
// step applied; Database runs the steps after it, each in its own transaction with the version bump, so a
// file is always at exactly one version. Steps are never edited once released: a change is a new step.
#include <QString>
#include <QStringList>

#include <vector>

namespace ponder::storage {

struct SchemaMigration {
    int version;            // user_version once applied: 1, 2, ...
    QString summary;        // for error messages ("upgrading to schema version 2 (search index) failed")
    QStringList statements; // one SQL statement each (Qt's SQLite driver runs one per exec)
};

// All steps, in order, versions 1..latestSchemaVersion() without gaps.
const std::vector<SchemaMigration>& schemaMigrations();
int latestSchemaVersion();

} // namespace ponder::storage
