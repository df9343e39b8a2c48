#include "models/markdown_blocks.h"

#include <QVariantMap>

#include <optional>

namespace ponder::models {

namespace {

struct Fence {
    QChar mark;
    qsizetype length = 0;
    QString info;
};

// The fence a line opens (or closes), if it is one.
std::optional<Fence> fenceOf(QStringView line)
{
    qsizetype indent = 0;
    while (indent < line.size() && line[indent] == u' ')
        ++indent;
    if (indent > 3 || indent >= line.size() || (line[indent] != u'`' && line[indent] != u'~'))
        return std::nullopt;
    Fence fence;
    fence.mark = line[indent];
    qsizetype end = indent;
    while (end < line.size() && line[end] == fence.mark)
        ++end;
    fence.length = end - indent;
    if (fence.length < 3)
        return std::nullopt;
    const QStringView info = line.mid(end).trimmed();
    if (fence.mark == u'`' && info.contains(u'`')) // not a fence: inline code of three backticks
        return std::nullopt;
    fence.info = info.toString();
    return fence;
}

bool closes(const Fence& open, QStringView line)
{
    const auto fence = fenceOf(line);
    return fence && fence->mark == open.mark && fence->length >= open.length && fence->info.isEmpty();
}

// Drops the blank lines around prose; an all-blank block is dropped.
void addText(std::vector<MarkdownBlock>& blocks, const QStringList& lines)
{
    QString text = lines.join(u'\n');
    while (!text.isEmpty() && (text.front() == u'\n' || text.front() == u'\r'))
        text.remove(0, 1);
    while (!text.isEmpty() && text.back().isSpace())
        text.chop(1);
    if (text.trimmed().isEmpty())
        return;
    MarkdownBlock block;
    block.text = text;
    blocks.push_back(std::move(block));
}

} // namespace

std::vector<MarkdownBlock> splitMarkdownBlocks(QStringView markdown)
{
    std::vector<MarkdownBlock> blocks;
    QStringList prose, code;
    std::optional<Fence> open;
    for (QStringView line : markdown.split(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (!open) {
            if (auto fence = fenceOf(line)) {
                addText(blocks, prose);
                prose.clear();
                open = std::move(fence);
            } else {
                prose << line.toString();
            }
            continue;
        }
        if (closes(*open, line)) {
            MarkdownBlock block;
            block.kind = MarkdownBlock::Kind::Code;
            block.text = code.join(u'\n');
            block.language = open->info.section(u' ', 0, 0);
            blocks.push_back(std::move(block));
            code.clear();
            open.reset();
        } else {
            code << line.toString();
        }
    }
    if (open) {
        MarkdownBlock block;
        block.kind = MarkdownBlock::Kind::Code;
        block.text = code.join(u'\n');
        block.language = open->info.section(u' ', 0, 0);
        block.closed = false;
        blocks.push_back(std::move(block));
    } else {
        addText(blocks, prose);
    }
    return blocks;
}

QVariantList markdownBlocksVariant(QStringView markdown)
{
    QVariantList list;
    for (const MarkdownBlock& block : splitMarkdownBlocks(markdown)) {
        list << QVariantMap{{QStringLiteral("kind"), block.kind == MarkdownBlock::Kind::Code ? QStringLiteral("code") : QStringLiteral("text")},
                            {QStringLiteral("text"), block.text},
                            {QStringLiteral("language"), block.language},
                            {QStringLiteral("closed"), block.closed}};
    }
    return list;
}

} // namespace ponder::models
