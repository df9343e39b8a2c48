// The app's settings: language, font size, context length, compute device, the data folder and where models
// are downloaded from. The values
// and their rules live in AppSettings; this only shows and edits them.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder

Dialog {
    id: dialog

    required property AppSettings settings
    required property ModelController model

    // Each language named in itself, so anyone can find theirs.
    readonly property var languages: [
        { value: "en", label: "English" },
        { value: "zh_CN", label: "简体中文" }
    ]

    objectName: "settingsDialog"
    // Material draws a dialog's background through a shadow effect that software rendering leaves out
    // (the dialog would be see-through): a plain fill reads the same on every renderer.
    Material.elevation: 0
    title: qsTr("Settings")
    modal: true
    focus: true
    standardButtons: Dialog.Close
    anchors.centerIn: Overlay.overlay
    width: Math.min(640, Overlay.overlay ? Overlay.overlay.width - 40 : 640)

    GridLayout {
        objectName: "settingsPage"
        width: parent.width // the height follows the content
        columns: 2
        columnSpacing: 16

        Label {
            objectName: "languageLabel"
            text: qsTr("Language")
        }
        ComboBox {
            objectName: "languageBox"
            Layout.fillWidth: true
            model: dialog.languages
            textRole: "label"
            valueRole: "value"
            currentIndex: dialog.languages.findIndex(l => l.value === dialog.settings.language)
            onActivated: dialog.settings.language = currentValue
        }
        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: text.length > 0
            text: dialog.settings.languageError
            wrapMode: Text.Wrap
            color: Material.color(Material.Red)
        }

        Label { text: qsTr("Font size") }
        SpinBox {
            objectName: "fontSizeBox"
            from: dialog.settings.minFontPixelSize
            to: dialog.settings.maxFontPixelSize
            value: dialog.settings.fontPixelSize
            editable: true
            onValueModified: dialog.settings.fontPixelSize = value
        }

        Label { text: qsTr("Context length") }
        ComboBox {
            objectName: "contextLengthBox"
            Layout.fillWidth: true
            model: dialog.settings.contextLengthChoices.map(n => ({ value: n, label: qsTr("%1K tokens").arg(n / 1024) }))
            textRole: "label"
            valueRole: "value"
            currentIndex: dialog.settings.contextLengthChoices.indexOf(dialog.settings.contextLength)
            onActivated: dialog.settings.contextLength = currentValue
        }
        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: dialog.settings.effectiveContextLength < dialog.settings.contextLength
            text: qsTr("This model holds at most %1 tokens, so %2 apply.")
                  .arg(dialog.settings.modelContextLength).arg(dialog.settings.effectiveContextLength)
            wrapMode: Text.Wrap
            opacity: 0.7
        }

        Label { text: qsTr("Device") }
        ComboBox {
            objectName: "deviceBox"
            Layout.fillWidth: true
            model: dialog.settings.devices
            textRole: "label"
            valueRole: "value"
            currentIndex: dialog.settings.devices.findIndex(d => d.value === dialog.settings.device)
            onActivated: dialog.settings.device = currentValue
        }
        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: text.length > 0
            text: dialog.settings.devicesNote
            wrapMode: Text.Wrap
            opacity: 0.7
        }
        RowLayout {
            Layout.columnSpan: 2
            visible: dialog.settings.reloadSuggested
            Label { text: qsTr("The new device is used the next time a model loads.") }
            Button {
                objectName: "reloadModelButton"
                text: qsTr("Reload now")
                onClicked: dialog.model.load(dialog.model.path)
            }
        }

        Label { text: qsTr("Data folder") }
        Label {
            objectName: "dataDirLabel"
            Layout.fillWidth: true
            text: dialog.settings.dataDir
            elide: Text.ElideMiddle
        }
        RowLayout {
            Layout.columnSpan: 2
            Button {
                text: qsTr("Open folder")
                onClicked: Qt.openUrlExternally(dialog.settings.dataDirUrl)
            }
            Button {
                text: qsTr("Choose another…")
                onClicked: folderDialog.open()
            }
            Button {
                text: qsTr("Use the default")
                onClicked: dialog.settings.resetDataDir()
            }
        }
        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: dialog.settings.nextDataDir !== dialog.settings.dataDir || dialog.settings.dataDirFromEnvironment
            text: dialog.settings.dataDirFromEnvironment
                  ? qsTr("PONDER_DATA_DIR is set, so it decides the data folder.")
                  : qsTr("From the next start, Ponder keeps its data in %1.").arg(dialog.settings.nextDataDir)
            wrapMode: Text.Wrap
            opacity: 0.7
        }

        Label { text: qsTr("Download from") }
        ComboBox {
            objectName: "downloadSourceBox"
            Layout.fillWidth: true
            textRole: "label"
            valueRole: "value"
            model: [
                { value: "huggingface", label: qsTr("Hugging Face") },
                { value: "mirror", label: qsTr("A Hugging Face mirror") },
                { value: "modelscope", label: qsTr("ModelScope") }
            ]
            currentIndex: indexOfValue(dialog.settings.downloadSource)
            onActivated: dialog.settings.downloadSource = currentValue
        }
        Label {
            visible: dialog.settings.downloadSource === "mirror"
            text: qsTr("Mirror address")
        }
        TextField {
            objectName: "mirrorUrlField"
            visible: dialog.settings.downloadSource === "mirror"
            Layout.fillWidth: true
            text: dialog.settings.mirrorUrl
            placeholderText: "https://hf-mirror.com"
            onEditingFinished: dialog.settings.mirrorUrl = text
        }
        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: dialog.settings.downloadSource === "mirror" && !dialog.settings.mirrorUrlValid
            text: qsTr("The mirror address must start with https:// or http://.")
            wrapMode: Text.Wrap
            color: Material.color(Material.Red)
        }
        Label { text: qsTr("Access token") }
        TextField {
            objectName: "accessTokenField"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            text: dialog.settings.accessToken
            placeholderText: qsTr("Only for gated repositories")
            onEditingFinished: dialog.settings.accessToken = text
        }
        Label {
            objectName: "tokenStorageNote"
            Layout.columnSpan: 2
            Layout.fillWidth: true
            text: dialog.settings.tokenStorage === "keychain"
                  ? qsTr("The token is kept in the system's secret store.")
                  : qsTr("No secret store is available, so the token is kept in memory until Ponder quits; it is not saved.")
            wrapMode: Text.Wrap
            opacity: 0.7
        }
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Where Ponder keeps its data")
        currentFolder: dialog.settings.dataDirUrl
        onAccepted: dialog.settings.chooseDataDir(selectedFolder)
    }
}
