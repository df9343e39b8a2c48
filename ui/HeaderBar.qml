// The model in use (with its load state and errors), the open conversation's thinking controls and the
// button that opens its settings.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Ponder

Pane {
    id: header

    required property ChatController chat
    required property ModelController model

    signal conversationSettingsRequested()

    RowLayout {
        anchors.fill: parent

        BusyIndicator {
            visible: header.model.state === ModelController.Loading
            running: visible
            Layout.preferredHeight: 28
            Layout.preferredWidth: 28
        }
        Label {
            Layout.fillWidth: true
            elide: Text.ElideRight
            text: {
                switch (header.model.state) {
                case ModelController.None: return qsTr("No model loaded");
                case ModelController.Loading: return qsTr("Loading %1…").arg(header.model.name);
                case ModelController.Failed: return qsTr("Could not load the model: %1").arg(header.model.error);
                default: return header.model.name + "  ·  " + header.model.backendName;
                }
            }
            color: header.model.state === ModelController.Failed ? Material.color(Material.Red) : Material.foreground
        }
        ThinkingControls {
            chat: header.chat
            support: header.model.thinking
        }
        ToolButton {
            objectName: "conversationSettingsButton"
            text: qsTr("Conversation settings")
            onClicked: header.conversationSettingsRequested()
        }
    }
}
