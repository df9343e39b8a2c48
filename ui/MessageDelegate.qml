// One message: the user's on the right, the assistant's on the left with its thinking chip, Markdown text and,
// for a stopped or failed reply, a note with Regenerate / Retry. Under the bubble, shown on hover or when
// the keyboard reaches them, the message's actions (copy; regenerate a reply; edit and resend a question;
// delete) and a reply's figures (tokens, speed, reasoning). Editing replaces the bubble's text with a text
// area: Enter saves and resends, Shift+Enter starts a new line, Esc cancels. The actions that change the
// conversation wait while a reply streams in it (busy).
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Item {
    id: delegate

    required property int index
    required property string role
    required property string content
    required property var blocks
    required property string reasoning
    required property int reasoningTokens
    required property real reasoningSeconds
    required property bool reasoningCut
    required property int tokens
    required property real tokensPerSecond
    required property string status
    required property string error

    // A reply is streaming in this conversation.
    property bool busy

    signal reasoningRequested(int row)
    signal regenerateRequested(int row)
    signal editRequested(int row, string text)
    signal deleteRequested(int row)

    readonly property bool fromUser: role === "user"
    readonly property bool streaming: status === "streaming"
    property bool editing: false
    // The actions and figures show while the pointer is over the message or the keyboard is on them.
    readonly property bool actionsShown: !editing && (hover.hovered || footer.activeFocus)
    readonly property string busyReason: qsTr("Wait for the answer to finish, or stop it.")

    function startEditing() {
        editor.text = delegate.content;
        delegate.editing = true;
        editor.forceActiveFocus();
        editor.cursorPosition = editor.length;
    }
    function saveEdit() {
        if (delegate.busy || editor.text.trim().length === 0)
            return;
        delegate.editing = false;
        delegate.editRequested(delegate.index, editor.text);
    }
    function cancelEdit() {
        delegate.editing = false;
    }

    implicitHeight: bubble.implicitHeight + footer.height + 2

    component ActionButton: ToolButton {
        font.pointSize: 8
        implicitHeight: 28
        padding: 6
        focusPolicy: Qt.StrongFocus
        ToolTip.visible: hovered
        ToolTip.delay: 500
    }

    HoverHandler {
        id: hover
    }

    Pane {
        id: bubble
        objectName: "messageBubble"
        readonly property bool failed: delegate.status === "error"
        readonly property bool dark: Material.theme === Material.Dark
        x: delegate.fromUser ? delegate.width - width - 16 : 16
        width: delegate.editing ? delegate.width * 0.8
                                : Math.min(delegate.width * 0.8, Math.max(column.implicitWidth + 2 * padding, 120))
        padding: 12
        // Flat fills rather than a shadow: they read the same in both themes and on software rendering
        // (which draws no elevation effect).
        Material.elevation: 0
        Material.background: delegate.fromUser ? Material.color(Material.Blue, dark ? Material.Shade900 : Material.Shade100)
                                               : (failed ? Material.color(Material.Red, dark ? Material.Shade900 : Material.Shade50)
                                                         : Material.color(Material.Grey, dark ? Material.Shade800 : Material.Shade100))

        ColumnLayout {
            id: column
            width: parent.width

            ThinkingChip {
                visible: !delegate.fromUser && (delegate.reasoning.length > 0 || delegate.streaming && delegate.content.length === 0)
                streaming: delegate.streaming && delegate.content.length === 0
                seconds: delegate.reasoningSeconds
                tokens: delegate.reasoningTokens
                cut: delegate.reasoningCut
                onClicked: delegate.reasoningRequested(delegate.index)
            }
            Label {
                objectName: delegate.fromUser ? "messageText" : "" // a reply's text is in MarkdownBlocks
                visible: delegate.fromUser && !delegate.editing
                Layout.fillWidth: true
                Layout.maximumWidth: delegate.width * 0.8 - 24
                text: delegate.content
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
            }
            MarkdownBlocks {
                visible: !delegate.fromUser && !delegate.editing
                Layout.fillWidth: true
                maximumWidth: delegate.width * 0.8 - 24
                blocks: delegate.fromUser ? [] : delegate.blocks
            }
            TextArea {
                id: editor
                objectName: "messageEditor"
                visible: delegate.editing
                Layout.fillWidth: true
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Edit your message")
                Keys.onReturnPressed: event => {
                    if (event.modifiers & Qt.ShiftModifier)
                        event.accepted = false;
                    else
                        delegate.saveEdit();
                }
                Keys.onEnterPressed: delegate.saveEdit()
                Keys.onEscapePressed: delegate.cancelEdit()
            }
            RowLayout {
                visible: delegate.editing
                Layout.alignment: Qt.AlignRight
                Button {
                    objectName: "cancelEditButton"
                    text: qsTr("Cancel")
                    flat: true
                    onClicked: delegate.cancelEdit()
                }
                Button {
                    objectName: "saveEditButton"
                    text: qsTr("Save and resend")
                    highlighted: true
                    enabled: !delegate.busy && editor.text.trim().length > 0
                    onClicked: delegate.saveEdit()
                }
            }
            // A failed reply says what went wrong; a stopped one says so. Both offer to generate it again.
            ColumnLayout {
                objectName: "replyNote"
                visible: delegate.status === "cancelled" || bubble.failed
                Layout.fillWidth: true
                Label {
                    objectName: "errorTitle"
                    visible: bubble.failed
                    text: qsTr("The reply failed")
                    font.bold: true
                    color: Material.color(Material.Red, bubble.dark ? Material.Shade200 : Material.Shade800)
                }
                RowLayout {
                    Layout.fillWidth: true
                    Label {
                        objectName: "replyNoteText"
                        Layout.fillWidth: true
                        Layout.maximumWidth: delegate.width * 0.8 - 140
                        text: bubble.failed ? delegate.error : qsTr("Stopped")
                        color: bubble.failed ? Material.foreground : Material.hintTextColor
                        wrapMode: Text.Wrap
                    }
                    Button {
                        objectName: "retryButton"
                        text: bubble.failed ? qsTr("Retry") : qsTr("Regenerate")
                        flat: !bubble.failed
                        enabled: !delegate.busy
                        Accessible.name: bubble.failed ? qsTr("Retry this reply") : qsTr("Regenerate this reply")
                        onClicked: delegate.regenerateRequested(delegate.index)
                    }
                }
            }
        }
    }

    // The actions and figures. Always laid out (so the transcript does not jump) and always in the tab
    // order; transparent until hovered or focused.
    FocusScope {
        id: footer
        objectName: "messageActions"
        x: delegate.fromUser ? delegate.width - width - 16 : 16
        y: bubble.height + 2
        width: actionsRow.implicitWidth
        height: actionsRow.implicitHeight
        opacity: delegate.actionsShown ? 1 : 0
        visible: !delegate.editing && !(delegate.streaming && delegate.content.length === 0)

        HoverHandler {
            id: footerHover
        }
        // Disabled buttons get no hover, so the row explains why they wait.
        ToolTip.visible: delegate.busy && footerHover.hovered
        ToolTip.text: delegate.busyReason
        ToolTip.delay: 500

        RowLayout {
            id: actionsRow
            spacing: 0
            layoutDirection: delegate.fromUser ? Qt.RightToLeft : Qt.LeftToRight

            ActionButton {
                objectName: "copyButton"
                text: qsTr("Copy")
                Accessible.name: qsTr("Copy this message")
                ToolTip.text: qsTr("Copy the text to the clipboard")
                onClicked: {
                    copier.text = delegate.content;
                    copier.selectAll();
                    copier.copy();
                }
            }
            ActionButton {
                objectName: "regenerateButton"
                visible: !delegate.fromUser
                enabled: !delegate.busy
                text: qsTr("Regenerate")
                Accessible.name: qsTr("Regenerate this reply")
                ToolTip.text: qsTr("Drop this reply and the messages after it, and answer again")
                onClicked: delegate.regenerateRequested(delegate.index)
            }
            ActionButton {
                objectName: "editButton"
                visible: delegate.fromUser
                enabled: !delegate.busy
                text: qsTr("Edit")
                Accessible.name: qsTr("Edit and resend this message")
                ToolTip.text: qsTr("Change this message, drop the messages after it, and get a new answer")
                onClicked: delegate.startEditing()
            }
            ActionButton {
                objectName: "deleteButton"
                enabled: !delegate.busy
                text: qsTr("Delete")
                Accessible.name: delegate.fromUser ? qsTr("Delete this message and its reply")
                                                   : qsTr("Delete this reply")
                ToolTip.text: delegate.fromUser ? qsTr("Delete this message and the reply that answers it")
                                                : qsTr("Delete this reply")
                onClicked: delegate.deleteRequested(delegate.index)
            }
            Label {
                objectName: "messageStats"
                visible: !delegate.fromUser && !delegate.streaming && delegate.tokens > 0
                leftPadding: 8
                rightPadding: 8
                color: Material.hintTextColor
                font.pointSize: 8
                readonly property string speed: delegate.tokensPerSecond.toFixed(1)
                text: delegate.reasoningTokens > 0
                      ? qsTr("%1 tokens · %2 tok/s · reasoning %3 tokens in %4 s").arg(delegate.tokens).arg(speed)
                            .arg(delegate.reasoningTokens).arg(delegate.reasoningSeconds.toFixed(1))
                      : qsTr("%1 tokens · %2 tok/s").arg(delegate.tokens).arg(speed)
            }
        }
    }
    TextEdit {
        id: copier
        visible: false
    }
}
