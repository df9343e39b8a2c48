// Importing models into the library: what to import (files chosen here, a Hugging Face model folder, or what
// was dropped on the Installed tab: openWith(urls)) and how — copied into Ponder's models folder, moved there,
// or used where it is. The library does the work off the GUI thread and reports each import (importFinished).
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder

Dialog {
    id: dialog
    objectName: "importDialog"

    required property ModelLibrary library
    // file:// URLs of .gguf files or Hugging Face model folders.
    property var sources: []
    readonly property string mode: moveMode.checked ? "move" : inPlaceMode.checked ? "inPlace" : "copy"

    function openWith(urls) {
        sources = urls;
        open();
    }

    anchors.centerIn: Overlay.overlay
    width: Math.min(640, Overlay.overlay ? Overlay.overlay.width - 48 : 640)
    title: qsTr("Import models")
    // A plain fill: Material's shadowed background does not render everywhere (offscreen, software).
    Material.elevation: 0
    modal: true

    FileDialog {
        id: fileDialog
        title: qsTr("Choose model files")
        fileMode: FileDialog.OpenFiles
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("All files (*)")]
        onAccepted: dialog.sources = selectedFiles
    }
    FolderDialog {
        id: folderDialog
        title: qsTr("Choose a Hugging Face model folder")
        onAccepted: dialog.sources = [selectedFolder]
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: dialog.sources.length > 0 ? qsTr("To import:") : qsTr("Choose a .gguf file or a Hugging Face model folder (config.json beside the .safetensors files), or drop them on the Installed tab.")
        }
        Repeater {
            model: dialog.sources
            delegate: Label {
                objectName: "importSource"
                required property url modelData
                Layout.fillWidth: true
                elide: Text.ElideMiddle
                font.pixelSize: 12
                text: decodeURIComponent(modelData.toString().replace(/^file:\/\//, ""))
            }
        }
        RowLayout {
            Button {
                objectName: "chooseImportFilesButton"
                text: qsTr("Choose files…")
                onClicked: fileDialog.open()
            }
            Button {
                objectName: "chooseImportFolderButton"
                text: qsTr("Choose a model folder…")
                onClicked: folderDialog.open()
            }
        }
        Label {
            Layout.topMargin: 8
            text: qsTr("How")
            font.bold: true
        }
        RadioButton {
            id: copyMode
            objectName: "importCopyMode"
            checked: true
            text: qsTr("Copy into Ponder's models folder (the original stays where it is)")
        }
        RadioButton {
            id: moveMode
            objectName: "importMoveMode"
            text: qsTr("Move into Ponder's models folder")
        }
        RadioButton {
            id: inPlaceMode
            objectName: "importInPlaceMode"
            text: qsTr("Use it where it is (Ponder reads it there and never deletes it)")
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            opacity: 0.7
            font.pixelSize: 12
            text: qsTr("Ponder's models folder: %1").arg(dialog.library.modelsFolder)
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "importConfirmButton"
            text: qsTr("Import")
            enabled: dialog.sources.length > 0
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
        }
        Button {
            objectName: "importCancelButton"
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }

    onAccepted: {
        for (const source of dialog.sources)
            dialog.library.importModel(source, dialog.mode);
        dialog.sources = [];
    }
    onRejected: dialog.sources = []
}
