#pragma once
// Turning the sidebar's search text into SQL conditions. Each whitespace-separated term must occur (AND) in
// the conversation's title or in one of its messages, as a case-insensitive substring.
// Terms of 3+ characters use the trigram full-text index (schema version 2); shorter ones, which a trigram
// index cannot look up (and two-character words are common in Chinese), fall back to LIKE over the rows.
#include <QString>
#include <QStringList>
#include <QVariant>

#include <vector>

namespace ponder::storage {

struct SearchCondition {
    QString sql;                 // a boolean expression over conversation alias `c`, with ? placeholders
    std::vector<QVariant> values; // for the placeholders, in order
};

QStringList searchTerms(const QString& text);

// The conditions for all terms (one per term); empty when the text has no terms.
std::vector<SearchCondition> searchConditions(const QString& text);

} // namespace ponder::storage
