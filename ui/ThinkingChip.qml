// "Thinking…" while the model reasons, then "Thought for 12 s · 834 tokens"; opens the reasoning pane.
import QtQuick
import QtQuick.Controls

Button {
    id: chip

    property bool streaming
    property real seconds
    property int tokens
    property bool cut

    objectName: "thinkingChip"
    flat: true
    font.pointSize: 9
    text: streaming ? qsTr("Thinking…")
          : cut ? qsTr("Thought for %1 s · %2 tokens · cut by the budget").arg(Math.round(seconds)).arg(tokens)
                : qsTr("Thought for %1 s · %2 tokens").arg(Math.round(seconds)).arg(tokens)
}
