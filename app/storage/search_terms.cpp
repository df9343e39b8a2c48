#include "search_terms.h"

#include <QRegularExpression>

namespace ponder::storage {

namespace {

constexpr int trigramLength = 3;

// Characters, not UTF-16 units: a character outside the BMP (an emoji) is one trigram character.
qsizetype characterCount(const QString& text) { return text.toUcs4().size(); }

// An FTS5 string: inside double quotes the query syntax (AND, NEAR, *, column filters) means nothing, so
// any user text is a plain phrase. A double quote inside is written twice.
QString ftsPhrase(const QString& term)
{
    QString escaped = term;
    escaped.replace('"', QStringLiteral("\"\""));
    return '"' + escaped + '"';
}

// A LIKE pattern matching `term` anywhere, with LIKE's own wildcards escaped (ESCAPE '\').
QString likeSubstring(const QString& term)
{
    QString escaped = term;
    escaped.replace('\\', QStringLiteral("\\\\"))
        .replace('%', QStringLiteral("\\%"))
        .replace('_', QStringLiteral("\\_"));
    return '%' + escaped + '%';
}

} // namespace

QStringList searchTerms(const QString& text)
{
    return text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
}

std::vector<SearchCondition> searchConditions(const QString& text)
{
    std::vector<SearchCondition> conditions;
    for (const QString& term : searchTerms(text)) {
        if (characterCount(term) >= trigramLength) {
            const QString phrase = ftsPhrase(term);
            conditions.push_back(
                {"(c.id IN (SELECT rowid FROM conversation_search WHERE conversation_search MATCH ?)"
                 " OR c.id IN (SELECT m.conversation_id FROM message_search"
                 " JOIN messages m ON m.id = message_search.rowid WHERE message_search MATCH ?))",
                 {phrase, phrase}});
        } else {
            const QString pattern = likeSubstring(term);
            conditions.push_back({"(c.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m"
                                  " WHERE m.conversation_id = c.id AND m.content LIKE ? ESCAPE '\\'))",
                                  {pattern, pattern}});
        }
    }
    return conditions;
}

} // namespace ponder::storage
