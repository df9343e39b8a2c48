// A reply's prose and code blocks: code in its own box with its language and a copy button that puts exactly
// the code on the clipboard; a block that grows while streaming keeps its box.
import QtQuick
import QtTest
import Ponder.Ui

TestCase {
    id: testCase
    name: "MarkdownBlocks"
    when: windowShown
    visible: true // TestCase is hidden by default; these tests click
    width: 600
    height: 400

    Component {
        id: blocksComponent
        MarkdownBlocks {
            width: 580
            maximumWidth: 580
            blocks: []
        }
    }
    TextEdit {
        id: pasteTarget
    }

    // The first visible item of that name. Repeater rows are visual children of the view, not its QObject
    // children (which TestCase.findChild walks); each row holds both a prose and a code item, one hidden.
    function findItem(item, objectName) {
        if (!item.visible)
            return null;
        if (item.objectName === objectName)
            return item;
        for (let i = 0; i < item.children.length; ++i) {
            const found = findItem(item.children[i], objectName);
            if (found)
                return found;
        }
        return null;
    }

    function code(text, language, closed) {
        return {kind: "code", text: text, language: language, closed: closed === undefined ? true : closed};
    }

    function test_proseAndCode() {
        const view = createTemporaryObject(blocksComponent, testCase, {
            blocks: [{kind: "text", text: "Run **this**:"}, code("ls -l\necho done", "sh"), {kind: "text", text: "Then look."}]
        });
        const texts = findItem(view, "messageText");
        verify(texts);
        const box = findItem(view, "codeBlock");
        verify(box.visible);
        compare(findItem(view, "codeBlockText").text, "ls -l\necho done");
        verify(box.height > 0);
    }

    function test_copyPutsTheCodeOnTheClipboard() {
        const view = createTemporaryObject(blocksComponent, testCase, {blocks: [code("int x = 1;\nint y = 2;", "cpp")]});
        const button = findItem(view, "copyCodeButton");
        compare(button.text, "Copy code");
        mouseClick(button);
        compare(button.text, "Copied");
        pasteTarget.text = "";
        pasteTarget.paste();
        compare(pasteTarget.text, "int x = 1;\nint y = 2;");
        tryCompare(button, "text", "Copy code", 3000);
    }

    function test_streamingBlockGrowsInPlace() {
        const view = createTemporaryObject(blocksComponent, testCase, {blocks: [code("fn main() {", "rust", false)]});
        const box = findItem(view, "codeBlock");
        const height = box.height;
        view.blocks = [code("fn main() {\n    println!(\"hi\");\n}", "rust", false)];
        compare(findItem(view, "codeBlock"), box, "the same box, not a new one");
        compare(findItem(view, "codeBlockText").text, "fn main() {\n    println!(\"hi\");\n}");
        tryVerify(() => box.height > height, 1000, "the box grows with its code");
    }
}
