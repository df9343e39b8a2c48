// Writing a message: Enter sends, Shift+Enter starts a new line, Esc or Stop cancels the answer. Disabled,
// with the reason, while no model is loaded.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Pane {
    id: composer

    required property ChatController chat
    required property ModelController model

    readonly property bool ready: model.state === ModelController.Ready

    RowLayout {
        anchors.fill: parent

        ScrollView {
            Layout.fillWidth: true
            Layout.maximumHeight: 160
            TextArea {
                id: input
                objectName: "composerInput"
                enabled: composer.ready
                wrapMode: TextArea.Wrap
                placeholderText: composer.ready ? qsTr("Message %1 (Enter to send, Shift+Enter for a new line)").arg(composer.model.name)
                                                : qsTr("Load a model to start chatting")
                focus: true
                Keys.onPressed: event => {
                    if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && !(event.modifiers & Qt.ShiftModifier)) {
                        event.accepted = true;
                        if (composer.chat.send(text))
                            clear();
                    } else if (event.key === Qt.Key_Escape && composer.chat.generating) {
                        event.accepted = true;
                        composer.chat.stop();
                    }
                }
            }
        }
        Button {
            objectName: "sendButton"
            text: composer.chat.generating ? qsTr("Stop") : qsTr("Send")
            enabled: composer.ready && (composer.chat.generating || input.text.trim().length > 0)
            onClicked: {
                if (composer.chat.generating)
                    composer.chat.stop();
                else if (composer.chat.send(input.text))
                    input.clear();
            }
        }
    }
}
