#include "transaction.h"

#include "database.h"

#include "core/error.h"

namespace ponder::storage {

Transaction::Transaction(const Database& database) : database_(database)
{
    database_.run("starting a transaction", "BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!open_)
        return;
    // Unwinding from an error: the rollback's own failure (the connection is gone) changes nothing, since
    // SQLite discards an uncommitted transaction anyway.
    try {
        database_.run("rolling back a transaction", "ROLLBACK");
    } catch (const ponder::Error&) {
    }
}

void Transaction::commit()
{
    database_.run("saving changes", "COMMIT");
    open_ = false;
}

} // namespace ponder::storage
