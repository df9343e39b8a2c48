// The model in use (the model picker, with its load progress and errors) and the open conversation's thinking
// controls.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Ponder

Pane {
    id: header

    required property ChatController chat
    required property ModelController model
    required property ModelLibrary library

    signal manageModelsRequested()

    RowLayout {
        anchors.fill: parent

        ModelPicker {
            Layout.fillWidth: true
            model: header.model
            library: header.library
            onManageRequested: header.manageModelsRequested()
        }
        ThinkingControls {
            chat: header.chat
            support: header.model.thinking
        }
    }
}
