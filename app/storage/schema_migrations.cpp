#include "schema_migrations.h"

namespace ponder::storage {

namespace {

// Version 1: conversations and their messages. Times are integer milliseconds since the Unix epoch (UTC),
// booleans 0/1. Deleting a conversation row deletes its messages (the purge after a soft delete).
SchemaMigration version1()
{
    return {1,
            "conversations and messages",
            {
                R"(CREATE TABLE conversations (
                    id INTEGER PRIMARY KEY,
                    title TEXT NOT NULL DEFAULT '',
                    title_is_custom INTEGER NOT NULL DEFAULT 0 CHECK (title_is_custom IN (0, 1)),
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    model TEXT NOT NULL DEFAULT '',
                    thinking INTEGER NOT NULL DEFAULT 1 CHECK (thinking IN (0, 1)),
                    thinking_budget INTEGER NOT NULL DEFAULT -1 CHECK (thinking_budget >= -1),
                    system_prompt TEXT NOT NULL DEFAULT '',
                    sampling_json TEXT NOT NULL DEFAULT '',
                    pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
                    deleted_at INTEGER
                ))",
                // The sidebar's listing: live conversations, pinned first, newest first.
                "CREATE INDEX conversations_by_listing ON conversations (deleted_at, pinned DESC, updated_at DESC)",
                R"(CREATE TABLE messages (
                    id INTEGER PRIMARY KEY,
                    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
                    content TEXT NOT NULL DEFAULT '',
                    reasoning TEXT NOT NULL DEFAULT '',
                    reasoning_tokens INTEGER NOT NULL DEFAULT 0,
                    reasoning_seconds REAL NOT NULL DEFAULT 0,
                    reasoning_cut INTEGER NOT NULL DEFAULT 0 CHECK (reasoning_cut IN (0, 1)),
                    tokens INTEGER NOT NULL DEFAULT 0,
                    tokens_per_second REAL NOT NULL DEFAULT 0,
                    status TEXT NOT NULL DEFAULT 'complete'
                        CHECK (status IN ('streaming', 'complete', 'cancelled', 'error')),
                    error TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (conversation_id, position)
                ))",
                // Finding replies a crash left streaming, on every open, without a table scan.
                "CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming'",
            }};
}

// Version 2: full-text search over titles and message text for the sidebar. FTS5 with the trigram tokenizer
// (SQLite 3.34+; Debian 12 has 3.40) because unicode61 keeps a run of CJK characters as one token, so
// "天气" would not be found inside "今天天气很好"; trigram matches any substring of 3+ characters, case-
// insensitively (shorter terms fall back to LIKE, search_terms.h). The indexes are external-content tables
// over the real rows (no second copy of the text), filled from the existing rows here and kept current by
// triggers, which also fire for the cascade when a conversation is purged.
SchemaMigration version2()
{
    return {2,
            "search index",
            {
                "CREATE VIRTUAL TABLE conversation_search USING fts5 (title, content = 'conversations', "
                "content_rowid = 'id', tokenize = 'trigram')",
                "CREATE VIRTUAL TABLE message_search USING fts5 (content, content = 'messages', "
                "content_rowid = 'id', tokenize = 'trigram')",
                "INSERT INTO conversation_search (conversation_search) VALUES ('rebuild')",
                "INSERT INTO message_search (message_search) VALUES ('rebuild')",
                R"(CREATE TRIGGER conversation_search_insert AFTER INSERT ON conversations BEGIN
                    INSERT INTO conversation_search (rowid, title) VALUES (new.id, new.title);
                END)",
                R"(CREATE TRIGGER conversation_search_delete AFTER DELETE ON conversations BEGIN
                    INSERT INTO conversation_search (conversation_search, rowid, title)
                        VALUES ('delete', old.id, old.title);
                END)",
                R"(CREATE TRIGGER conversation_search_update AFTER UPDATE OF title ON conversations BEGIN
                    INSERT INTO conversation_search (conversation_search, rowid, title)
                        VALUES ('delete', old.id, old.title);
                    INSERT INTO conversation_search (rowid, title) VALUES (new.id, new.title);
                END)",
                R"(CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
                    INSERT INTO message_search (rowid, content) VALUES (new.id, new.content);
                END)",
                R"(CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
                    INSERT INTO message_search (message_search, rowid, content)
                        VALUES ('delete', old.id, old.content);
                END)",
                R"(CREATE TRIGGER message_search_update AFTER UPDATE OF content ON messages BEGIN
                    INSERT INTO message_search (message_search, rowid, content)
                        VALUES ('delete', old.id, old.content);
                    INSERT INTO message_search (rowid, content) VALUES (new.id, new.content);
                END)",
            }};
}

} // namespace

const std::vector<SchemaMigration>& schemaMigrations()
{
    static const std::vector<SchemaMigration> migrations{version1(), version2()};
    return migrations;
}

int latestSchemaVersion() { return schemaMigrations().back().version; }

} // namespace ponder::storage
