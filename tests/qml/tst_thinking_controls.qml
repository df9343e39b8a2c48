// The header's thinking controls for each kind of model: hybrid (a switch), thinking-only (locked on) and
// no thinking (hidden); the budget slider's steps and its state when thinking is off.
import QtQuick
import QtTest
import Ponder.Ui
import PonderTest

TestCase {
    id: testCase
    name: "ThinkingControls"
    when: windowShown
    visible: true // TestCase is hidden by default; these tests click
    width: 600
    height: 80

    Component {
        id: controlsComponent
        ThinkingControls {
            chat: Fixture.chat
            support: "hybrid"
        }
    }

    function make(support) {
        const controls = createTemporaryObject(controlsComponent, testCase, {support: support});
        verify(controls);
        return controls;
    }

    function init() {
        Fixture.chat.thinking = true;
        Fixture.chat.thinkingBudget = -1;
    }

    function test_hybridSwitchTogglesThinking() {
        const controls = make("hybrid");
        const toggle = findChild(controls, "thinkingSwitch");
        const slider = findChild(controls, "budgetSlider");
        verify(controls.visible);
        verify(toggle.enabled);
        verify(toggle.checked);
        verify(slider.enabled);
        mouseClick(toggle);
        compare(Fixture.chat.thinking, false);
        verify(!toggle.checked);
        verify(!slider.enabled, "the budget means nothing without thinking");
        mouseClick(toggle);
        compare(Fixture.chat.thinking, true);
        verify(slider.enabled);
    }

    function test_controllerChangesShowInTheSwitch() {
        // A /no_think typed in a message, or another conversation opened, changes the controller.
        const controls = make("hybrid");
        Fixture.chat.thinking = false;
        verify(!findChild(controls, "thinkingSwitch").checked);
        verify(!findChild(controls, "budgetSlider").enabled);
    }

    function test_thinkingOnlyModelLocksTheSwitchOn() {
        Fixture.chat.thinking = false; // the conversation's own choice cannot turn it off
        const controls = make("always");
        const toggle = findChild(controls, "thinkingSwitch");
        verify(controls.visible);
        verify(toggle.checked);
        verify(!toggle.enabled);
        verify(findChild(controls, "budgetSlider").enabled);
        mouseClick(toggle);
        verify(toggle.checked);
    }

    function test_modelWithoutThinkingHidesTheControls() {
        const controls = make("never");
        verify(!controls.visible);
    }

    function test_budgetSliderSteps() {
        const controls = make("hybrid");
        const slider = findChild(controls, "budgetSlider");
        const label = findChild(controls, "budgetLabel");
        compare(label.text, "∞");
        compare(slider.value, slider.to);

        Fixture.chat.thinkingBudget = 256;
        compare(slider.value, 0);
        compare(label.text, "256");

        slider.forceActiveFocus();
        keyClick(Qt.Key_Right);
        compare(Fixture.chat.thinkingBudget, 512);
        keyClick(Qt.Key_Right);
        keyClick(Qt.Key_Right);
        compare(Fixture.chat.thinkingBudget, 2048);
        compare(label.text, "2K");

        Fixture.chat.thinkingBudget = 32768;
        compare(label.text, "32K");
        keyClick(Qt.Key_Right);
        compare(Fixture.chat.thinkingBudget, -1, "the last step is unlimited");
        compare(label.text, "∞");
        keyClick(Qt.Key_Right);
        compare(Fixture.chat.thinkingBudget, -1);
    }

    function test_budgetSliderDragsToAStep() {
        const controls = make("hybrid");
        const slider = findChild(controls, "budgetSlider");
        Fixture.chat.thinkingBudget = 256;
        // A drag ends on one of the nine steps, never between two.
        mouseDrag(slider, slider.leftPadding + 2, slider.height / 2, slider.availableWidth / 2, 0);
        const budgets = [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, -1];
        verify(budgets.indexOf(Fixture.chat.thinkingBudget) > 0, "budget " + Fixture.chat.thinkingBudget);
        compare(slider.value, Math.round(slider.value));
    }
}
