#pragma once
// A reply's Markdown cut into prose and fenced code blocks, so the transcript can show each code block in its
// own box with a copy button while the prose stays one Markdown text. Follows CommonMark's fences: a line of
// three or more ` or ~ (indented at most three spaces) opens one, with an optional info string whose first
// word is the language; a line of the same character, at least as long, closes it. A fence still open at
// the end (a reply streaming) is a code block that is not closed yet.
#include <QString>
#include <QStringView>
#include <QVariantList>

#include <vector>

namespace ponder::models {

struct MarkdownBlock {
    enum class Kind { Text, Code };
    Kind kind = Kind::Text;
    QString text;     // prose as Markdown; code as written, without the fences
    QString language; // code only: the info string's first word ("cpp"), or empty
    bool closed = true;
};

std::vector<MarkdownBlock> splitMarkdownBlocks(QStringView markdown);

// The same as QML reads it: a list of {kind: "text"|"code", text, language, closed}.
QVariantList markdownBlocksVariant(QStringView markdown);

} // namespace ponder::models
