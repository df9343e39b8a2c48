// The header's model picker: the loaded model (or what is loading) as a button whose menu lists the library's
// models and "Manage models…", with the load's progress bar and, after a failed load, the error.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtQml.Models
import Ponder

RowLayout {
    id: picker

    required property ModelController model
    required property ModelLibrary library

    signal manageRequested()

    Button {
        id: button
        objectName: "modelPickerButton"
        flat: true
        Layout.fillWidth: true
        Layout.minimumWidth: 120
        Layout.maximumWidth: 320
        font.capitalization: Font.MixedCase // a model's name as its file spells it
        text: picker.model.state === ModelController.None ? qsTr("Choose a model") : picker.model.name
        icon.name: "pan-down"
        ToolTip.visible: hovered && picker.model.state === ModelController.Ready
        ToolTip.text: qsTr("%1, running on %2").arg(picker.model.name).arg(picker.model.backendName)
        onClicked: menu.open()

        Menu {
            id: menu
            objectName: "modelPickerMenu"
            y: button.height

            Instantiator {
                model: picker.library.entries
                delegate: MenuItem {
                    required property string name
                    required property string path
                    required property string parametersText
                    required property string error
                    objectName: "modelPickerItem"
                    text: error.length > 0 ? qsTr("%1 (cannot be read)").arg(name)
                                           : qsTr("%1 · %2 parameters").arg(name).arg(parametersText)
                    enabled: error.length === 0
                    checkable: true
                    checked: path === picker.model.path
                    onTriggered: picker.model.load(path)
                }
                onObjectAdded: (index, object) => menu.insertItem(index, object)
                onObjectRemoved: (index, object) => menu.removeItem(object)
            }
            MenuSeparator {}
            MenuItem {
                objectName: "manageModelsItem"
                text: qsTr("Manage models…")
                onTriggered: picker.manageRequested()
            }
        }
    }
    ProgressBar {
        objectName: "modelLoadProgress"
        visible: picker.model.state === ModelController.Loading
        value: picker.model.progress
        Layout.preferredWidth: 140
    }
    // Loading, a failure or no model; once loaded the thinking controls need the room (the backend is in the
    // button's tool tip).
    Label {
        objectName: "modelStatus"
        visible: picker.model.state !== ModelController.Ready
        Layout.fillWidth: true
        elide: Text.ElideRight
        text: {
            switch (picker.model.state) {
            case ModelController.None: return qsTr("No model loaded");
            case ModelController.Loading: return qsTr("Loading %1…").arg(picker.model.name);
            case ModelController.Failed: return qsTr("Could not load the model: %1").arg(picker.model.error);
            default: return "";
            }
        }
        color: picker.model.state === ModelController.Failed ? Material.color(Material.Red) : Material.foreground
    }
}
