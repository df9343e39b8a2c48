// The chip on an assistant message: live while thinking, then how long and how many tokens, and whether
// the budget cut the reasoning; clicking it asks for the reasoning pane.
import QtQuick
import QtTest
import Ponder.Ui

TestCase {
    id: testCase
    name: "ThinkingChip"
    when: windowShown
    visible: true // TestCase is hidden by default; these tests click
    width: 400
    height: 60

    Component {
        id: chipComponent
        ThinkingChip {}
    }

    SignalSpy {
        id: clicks
        signalName: "clicked"
    }

    function test_streamingThenFinished() {
        const chip = createTemporaryObject(chipComponent, testCase, {streaming: true});
        compare(chip.text, "Thinking…");
        chip.seconds = 12.4;
        chip.tokens = 834;
        chip.streaming = false;
        compare(chip.text, "Thought for 12 s · 834 tokens");
    }

    function test_cutByTheBudget() {
        const chip = createTemporaryObject(chipComponent, testCase, {seconds: 3, tokens: 256, cut: true});
        compare(chip.text, "Thought for 3 s · 256 tokens · cut by the budget");
    }

    function test_clickOpensTheReasoning() {
        const chip = createTemporaryObject(chipComponent, testCase, {seconds: 1, tokens: 9});
        clicks.clear();
        clicks.target = chip;
        mouseClick(chip);
        compare(clicks.count, 1);
        chip.forceActiveFocus();
        keyClick(Qt.Key_Space);
        compare(clicks.count, 2, "keyboard users open it too");
    }
}
