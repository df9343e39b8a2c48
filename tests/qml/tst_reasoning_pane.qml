// The reasoning pane: follows the streaming reply live (text, tokens against the budget, time), says when the
// budget cut the thinking, shows an earlier message's reasoning when selected, and collapses to a slim bar
// whose state is remembered.
import QtQuick
import QtTest
import QtQuick.Layouts
import Ponder.Ui
import PonderTest

TestCase {
    id: testCase
    name: "ReasoningPane"
    when: windowShown
    visible: true // TestCase is hidden by default; these tests click
    width: 500
    height: 500

    Component {
        id: paneComponent
        ReasoningPane {
            height: 480
            messages: Fixture.messages
            selectedRow: Fixture.messages.count - 1
            thinkingBudget: 1024
        }
    }

    function make(properties) {
        const pane = createTemporaryObject(paneComponent, testCase, properties || {});
        verify(pane);
        pane.expanded = true;
        return pane;
    }

    function init() {
        Fixture.clearMessages();
    }

    function test_streamsLive() {
        const pane = make();
        const text = findChild(pane, "reasoningText");
        const stats = findChild(pane, "reasoningStats");
        Fixture.addUserMessage("Why is the sky blue?");
        const reply = Fixture.startReply();
        compare(text.text, "");
        Fixture.stream(reply, "Rayleigh", "", 1, 0.2, false);
        compare(text.text, "Rayleigh");
        compare(stats.text, "1 of 1024 tokens · 0.2 s · thinking…");
        Fixture.stream(reply, " scattering", "", 2, 0.4, false);
        compare(text.text, "Rayleigh scattering");
        compare(stats.text, "2 of 1024 tokens · 0.4 s · thinking…");
        verify(!findChild(pane, "budgetCutNotice").visible);
        Fixture.stream(reply, "", "Because", 2, 0.4, false);
        Fixture.finishReply(reply);
        compare(stats.text, "2 of 1024 tokens · 0.4 s");
    }

    function test_unlimitedBudget() {
        const pane = make({thinkingBudget: -1});
        const reply = Fixture.startReply();
        Fixture.stream(reply, "Hmm", "", 7, 1.25, false);
        compare(findChild(pane, "reasoningStats").text, "7 tokens · 1.3 s · thinking…");
    }

    function test_saysWhenTheBudgetCutIt() {
        const pane = make();
        const reply = Fixture.startReply();
        Fixture.stream(reply, "A long thought", "", 1024, 9, true);
        verify(findChild(pane, "budgetCutNotice").visible);
    }

    function test_showsTheSelectedMessage() {
        const pane = make();
        const first = Fixture.startReply();
        Fixture.stream(first, "first thought", "one", 2, 1, false);
        Fixture.finishReply(first);
        Fixture.addUserMessage("and?");
        const second = Fixture.startReply();
        Fixture.stream(second, "second thought", "", 2, 1, false);
        compare(findChild(pane, "reasoningText").text, "second thought");
        pane.selectedRow = 0;
        compare(findChild(pane, "reasoningText").text, "first thought");
        // The selected message does not follow the stream of another one.
        Fixture.stream(second, " goes on", "", 4, 2, false);
        compare(findChild(pane, "reasoningText").text, "first thought");
    }

    function test_collapsesAndRemembers() {
        const pane = make();
        const toggle = findChild(pane, "reasoningToggle");
        const text = findChild(pane, "reasoningText");
        const wide = pane.Layout.preferredWidth;
        verify(text.visible);
        mouseClick(toggle);
        verify(!pane.expanded);
        verify(!text.visible);
        verify(!findChild(pane, "reasoningStats").visible);
        verify(pane.Layout.preferredWidth < wide / 4, "a slim bar");
        // Text keeps arriving while collapsed; opening it again shows all of it.
        const reply = Fixture.startReply();
        Fixture.stream(reply, "while hidden", "", 2, 0.5, false);
        pane.destroy();
        wait(0);

        const again = createTemporaryObject(paneComponent, testCase);
        verify(!again.expanded, "the collapsed state is remembered");
        mouseClick(findChild(again, "reasoningToggle"));
        verify(again.expanded);
        compare(findChild(again, "reasoningText").text, "while hidden");
    }
}
