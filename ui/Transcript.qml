// The open conversation's messages. Only the visible delegates exist (ListView), and the view follows a
// streaming answer while the user is at the bottom.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Ponder

ListView {
    id: transcript

    required property MessageListModel messages
    signal reasoningRequested(int row)

    property bool followEnd: true

    clip: true
    spacing: 12
    topMargin: 16
    bottomMargin: 16
    model: messages
    ScrollBar.vertical: ScrollBar {}
    onMovementEnded: followEnd = atYEnd
    onContentHeightChanged: if (followEnd) positionViewAtEnd()
    onCountChanged: if (followEnd) positionViewAtEnd()

    delegate: MessageDelegate {
        width: ListView.view.width
        onReasoningRequested: row => transcript.reasoningRequested(row)
    }
}
