// The model in use (the model picker, with its load progress and errors), the open conversation's thinking
// controls and the button that opens its settings.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Ponder

Pane {
    id: header

    clip: true // a large font must not draw the controls over the reasoning pane
    required property ChatController chat
    required property ModelController model
    required property ModelLibrary library

    signal manageModelsRequested()
    signal conversationSettingsRequested()

    RowLayout {
        anchors.fill: parent

        ModelPicker {
            Layout.fillWidth: true
            Layout.minimumWidth: 120
            model: header.model
            library: header.library
            onManageRequested: header.manageModelsRequested()
        }
        ThinkingControls {
            chat: header.chat
            support: header.model.thinking
        }
        ToolButton {
            objectName: "conversationSettingsButton"
            text: "⚙"
            font.pixelSize: 20
            Accessible.name: qsTr("Conversation settings")
            ToolTip.visible: hovered || visualFocus
            ToolTip.text: qsTr("Conversation settings")
            onClicked: header.conversationSettingsRequested()
        }
    }
}
