// The open conversation's messages. Only the visible delegates exist (ListView), and the view follows a
// streaming answer while the user is at the bottom. The messages' actions go to the chat controller.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Ponder

ListView {
    id: transcript
    objectName: "transcript"

    required property ChatController chat
    signal reasoningRequested(int row)

    // Whether new text keeps the end in view. Only the user's own scrolling changes it: a flick, the wheel or
    // the scroll bar away from the end stops following, back at the end starts it again.
    property bool followEnd: true

    clip: true
    spacing: 12
    topMargin: 16
    bottomMargin: 16
    model: chat.messages
    ScrollBar.vertical: ScrollBar {
        onPressedChanged: transcript.followEnd = !pressed && transcript.atYEnd
    }
    onMovementStarted: followEnd = false
    onMovementEnded: followEnd = atYEnd
    onContentHeightChanged: if (followEnd) positionViewAtEnd()
    onCountChanged: if (followEnd) positionViewAtEnd()

    delegate: MessageDelegate {
        width: ListView.view.width
        busy: transcript.chat.generating
        onReasoningRequested: row => transcript.reasoningRequested(row)
        onRegenerateRequested: row => transcript.chat.regenerate(row)
        onEditRequested: (row, text) => transcript.chat.editAndResend(row, text)
        onDeleteRequested: row => transcript.chat.deleteMessage(row)
    }
}
