#pragma once
// A write transaction on a Database: BEGIN IMMEDIATE on construction (taking the write lock up front, so a
// transaction never fails halfway for want of it), ROLLBACK on destruction unless commit() ran. Every change
// the store makes goes through one, so a crash leaves each change wholly applied or not at all.
namespace ponder::storage {

class Database;

class Transaction {
public:
    explicit Transaction(const Database& database);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    const Database& database_;
    bool open_ = true;
};

} // namespace ponder::storage
