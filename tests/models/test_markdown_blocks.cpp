// Cutting a reply's Markdown into prose and fenced code blocks (models/markdown_blocks.h): languages, both fence
// characters, longer closing fences, fences that do not close (a reply still streaming), things that look
// like fences but are not, and prose around them.
#include "models/markdown_blocks.h"

#include <QTest>

using namespace ponder::models;
using Kind = MarkdownBlock::Kind;

class TestMarkdownBlocks : public QObject {
    Q_OBJECT

private slots:
    void proseOnlyIsOneBlock()
    {
        const auto blocks = splitMarkdownBlocks(u"# Title\n\nSome *text*, a list:\n\n- one\n- two\n");
        QCOMPARE(blocks.size(), std::size_t(1));
        QCOMPARE(blocks[0].kind, Kind::Text);
        QCOMPARE(blocks[0].text, QStringLiteral("# Title\n\nSome *text*, a list:\n\n- one\n- two"));
        QVERIFY(splitMarkdownBlocks(u"").empty());
        QVERIFY(splitMarkdownBlocks(u"\n  \n").empty());
    }

    void codeBetweenProse()
    {
        const auto blocks = splitMarkdownBlocks(u"Try this:\n\n```cpp\nint main() {\n    return 0;\n}\n```\n\nThen run it.");
        QCOMPARE(blocks.size(), std::size_t(3));
        QCOMPARE(blocks[0].text, QStringLiteral("Try this:"));
        QCOMPARE(blocks[1].kind, Kind::Code);
        QCOMPARE(blocks[1].language, QStringLiteral("cpp"));
        QCOMPARE(blocks[1].text, QStringLiteral("int main() {\n    return 0;\n}"));
        QVERIFY(blocks[1].closed);
        QCOMPARE(blocks[2].text, QStringLiteral("Then run it."));
    }

    void fenceRules()
    {
        // Tildes, an info string with more words, a longer closing fence, CRLF line ends.
        auto blocks = splitMarkdownBlocks(u"~~~~ python title=x\r\nprint(1)\r\n~~~~~\r\n");
        QCOMPARE(blocks.size(), std::size_t(1));
        QCOMPARE(blocks[0].language, QStringLiteral("python"));
        QCOMPARE(blocks[0].text, QStringLiteral("print(1)"));
        // A shorter fence or the other character does not close it; nor does a fence with an info string.
        blocks = splitMarkdownBlocks(u"````\n```\n~~~~\n```` js\n````");
        QCOMPARE(blocks.size(), std::size_t(1));
        QCOMPARE(blocks[0].text, QStringLiteral("```\n~~~~\n```` js"));
        QCOMPARE(blocks[0].language, QString());
        // Not fences: two backticks, four spaces of indent (an indented code block stays prose), inline ```x```.
        blocks = splitMarkdownBlocks(u"``\nx\n    ```\n```a```");
        QCOMPARE(blocks.size(), std::size_t(1));
        QCOMPARE(blocks[0].kind, Kind::Text);
        // Up to three spaces of indent open one.
        blocks = splitMarkdownBlocks(u"   ```\ncode\n   ```");
        QCOMPARE(blocks.size(), std::size_t(1));
        QCOMPARE(blocks[0].kind, Kind::Code);
    }

    void unclosedFenceWhileStreaming()
    {
        const auto blocks = splitMarkdownBlocks(u"Here:\n```rust\nfn main() {");
        QCOMPARE(blocks.size(), std::size_t(2));
        QCOMPARE(blocks[1].kind, Kind::Code);
        QCOMPARE(blocks[1].language, QStringLiteral("rust"));
        QCOMPARE(blocks[1].text, QStringLiteral("fn main() {"));
        QVERIFY(!blocks[1].closed);
        // An empty code block and an opening fence alone.
        QCOMPARE(splitMarkdownBlocks(u"```\n```").at(0).text, QString());
        QCOMPARE(splitMarkdownBlocks(u"```").size(), std::size_t(1));
    }

    void asQmlReadsIt()
    {
        const QVariantList list = markdownBlocksVariant(u"a\n```sh\nls\n```");
        QCOMPARE(list.size(), 2);
        const QVariantMap code = list.at(1).toMap();
        QCOMPARE(code.value("kind").toString(), QStringLiteral("code"));
        QCOMPARE(code.value("language").toString(), QStringLiteral("sh"));
        QCOMPARE(code.value("text").toString(), QStringLiteral("ls"));
        QCOMPARE(code.value("closed").toBool(), true);
        QCOMPARE(list.at(0).toMap().value("kind").toString(), QStringLiteral("text"));
    }
};

QTEST_APPLESS_MAIN(TestMarkdownBlocks)
#include "test_markdown_blocks.moc"
