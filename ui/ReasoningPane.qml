// Beside the transcript: the reasoning of the selected answer (by default the newest), streaming live, with the
// tokens used against the budget and the time spent. Collapses to a slim bar; the choice is remembered.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Qt.labs.settings
import Ponder

Pane {
    id: pane

    required property MessageListModel messages
    required property int selectedRow
    required property int thinkingBudget

    property bool expanded: true

    // The selected row's fields, re-read whenever the model changes them.
    property string reasoning
    property int tokens
    property real seconds
    property bool cut
    property bool streaming

    function refresh() {
        const m = pane.messages;
        // The row count, not selectedRow alone: while rows are removed, selectedRow follows the old count.
        const row = pane.selectedRow;
        const valid = row >= 0 && row < m.rowCount();
        const index = m.index(row, 0);
        pane.reasoning = valid ? m.data(index, MessageListModel.ReasoningRole) || "" : "";
        pane.tokens = valid ? m.data(index, MessageListModel.ReasoningTokensRole) || 0 : 0;
        pane.seconds = valid ? m.data(index, MessageListModel.ReasoningSecondsRole) || 0 : 0;
        pane.cut = valid ? m.data(index, MessageListModel.ReasoningCutRole) || false : false;
        pane.streaming = valid && m.data(index, MessageListModel.StatusRole) === "streaming";
    }

    objectName: "reasoningPane"
    Layout.preferredWidth: expanded ? 340 : 36
    padding: 8

    Settings {
        category: "reasoningPane"
        property alias expanded: pane.expanded
    }
    onSelectedRowChanged: refresh()
    onMessagesChanged: refresh()
    Component.onCompleted: refresh()
    Connections {
        target: pane.messages
        function onDataChanged() { pane.refresh(); }
        function onModelReset() { pane.refresh(); }
        function onRowsInserted() { pane.refresh(); }
        function onRowsRemoved() { pane.refresh(); }
    }

    ColumnLayout {
        anchors.fill: parent

        RowLayout {
            Layout.fillWidth: true
            ToolButton {
                objectName: "reasoningToggle"
                text: pane.expanded ? "⟩" : "⟨"
                onClicked: pane.expanded = !pane.expanded
                ToolTip.visible: hovered
                ToolTip.text: pane.expanded ? qsTr("Hide the reasoning") : qsTr("Show the reasoning")
            }
            Label {
                visible: pane.expanded
                Layout.fillWidth: true
                text: qsTr("Reasoning")
                font.bold: true
            }
        }
        Label {
            objectName: "reasoningStats"
            visible: pane.expanded
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            // One whole sentence per case, so a translation can order the figures as its language needs.
            readonly property string time: pane.seconds.toFixed(1)
            text: pane.thinkingBudget > 0
                  ? (pane.streaming ? qsTr("%1 of %2 tokens · %3 s · thinking…")
                                    : qsTr("%1 of %2 tokens · %3 s")).arg(pane.tokens).arg(pane.thinkingBudget).arg(time)
                  : (pane.streaming ? qsTr("%1 tokens · %2 s · thinking…")
                                    : qsTr("%1 tokens · %2 s")).arg(pane.tokens).arg(time)
        }
        Label {
            objectName: "budgetCutNotice"
            visible: pane.expanded && pane.cut
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: qsTr("The thinking budget ended the reasoning here; the answer follows from what was thought so far.")
        }
        ScrollView {
            visible: pane.expanded
            Layout.fillWidth: true
            Layout.fillHeight: true
            TextArea {
                objectName: "reasoningText"
                readOnly: true
                wrapMode: TextArea.Wrap
                text: pane.reasoning
                placeholderText: qsTr("No reasoning for this answer")
            }
        }
    }
}
