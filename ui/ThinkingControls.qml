// Thinking for the open conversation: a switch and a budget slider (256 … 32K tokens, then unlimited). The
// switch is locked on for thinking-only models and hidden for models without thinking; the slider is off
// when thinking is.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

RowLayout {
    id: controls

    required property ChatController chat
    required property string support // "hybrid", "always", "never" (ModelController.thinking)

    // Slider positions: budgets a person can hit; -1 is unlimited.
    readonly property var budgets: [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, -1]
    readonly property bool thinkingOn: support === "always" || (support === "hybrid" && chat.thinking)

    function budgetLabel(tokens) {
        if (tokens < 0)
            return "∞";
        return tokens >= 1024 ? qsTr("%1K").arg(tokens / 1024) : String(tokens);
    }
    function positionOf(tokens) {
        const i = budgets.indexOf(tokens);
        return i >= 0 ? i : budgets.length - 1;
    }

    visible: support !== "never"

    Switch {
        objectName: "thinkingSwitch"
        text: qsTr("Thinking")
        checked: controls.thinkingOn
        enabled: controls.support === "hybrid"
        onToggled: controls.chat.thinking = checked
    }
    Label {
        text: qsTr("Budget")
        enabled: controls.thinkingOn
    }
    Slider {
        objectName: "budgetSlider"
        Layout.preferredWidth: 120
        from: 0
        to: controls.budgets.length - 1
        stepSize: 1
        snapMode: Slider.SnapAlways
        enabled: controls.thinkingOn
        value: controls.positionOf(controls.chat.thinkingBudget)
        onMoved: controls.chat.thinkingBudget = controls.budgets[Math.round(value)]
    }
    Label {
        objectName: "budgetLabel"
        Layout.preferredWidth: 36
        text: controls.budgetLabel(controls.chat.thinkingBudget)
        enabled: controls.thinkingOn
    }
}
