// One message: the user's on the right, the assistant's on the left with its thinking chip, Markdown text,
// a stopped or failed note, and copy.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Item {
    id: delegate

    required property int index
    required property string role
    required property string content
    required property string reasoning
    required property int reasoningTokens
    required property real reasoningSeconds
    required property bool reasoningCut
    required property int tokens
    required property real tokensPerSecond
    required property string status
    required property string error

    signal reasoningRequested(int row)

    readonly property bool fromUser: role === "user"

    implicitHeight: bubble.implicitHeight

    Pane {
        id: bubble
        objectName: "messageBubble"
        x: delegate.fromUser ? delegate.width - width - 16 : 16
        width: Math.min(delegate.width * 0.8, Math.max(column.implicitWidth + 2 * padding, 120))
        padding: 12
        Material.elevation: 1
        Material.background: delegate.fromUser ? Material.color(Material.Blue, Material.Shade100)
                                               : (delegate.status === "error" ? Material.color(Material.Red, Material.Shade50) : undefined)

        ColumnLayout {
            id: column
            width: parent.width

            ThinkingChip {
                visible: !delegate.fromUser && (delegate.reasoning.length > 0 || delegate.status === "streaming" && delegate.content.length === 0)
                streaming: delegate.status === "streaming" && delegate.content.length === 0
                seconds: delegate.reasoningSeconds
                tokens: delegate.reasoningTokens
                cut: delegate.reasoningCut
                onClicked: delegate.reasoningRequested(delegate.index)
            }
            Label {
                objectName: "messageText"
                Layout.fillWidth: true
                Layout.maximumWidth: delegate.width * 0.8 - 24
                text: delegate.content
                textFormat: delegate.fromUser ? Text.PlainText : Text.MarkdownText
                wrapMode: Text.Wrap
                onLinkActivated: link => Qt.openUrlExternally(link)
            }
            Label {
                visible: delegate.status === "cancelled" || delegate.status === "error"
                text: delegate.status === "cancelled" ? qsTr("Stopped") : delegate.error
                color: delegate.status === "error" ? Material.color(Material.Red) : Material.hintTextColor
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            RowLayout {
                visible: !delegate.fromUser && delegate.status !== "streaming"
                Label {
                    text: delegate.tokens > 0 ? qsTr("%1 tokens · %2 tok/s").arg(delegate.tokens).arg(delegate.tokensPerSecond.toFixed(1)) : ""
                    color: Material.hintTextColor
                    font.pointSize: 8
                }
                ToolButton {
                    text: qsTr("Copy")
                    font.pointSize: 8
                    onClicked: {
                        copier.text = delegate.content;
                        copier.selectAll();
                        copier.copy();
                    }
                }
            }
        }
    }
    TextEdit {
        id: copier
        visible: false
    }
}
