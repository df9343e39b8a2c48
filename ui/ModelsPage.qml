// The model library in three tabs. Installed: every model Ponder found (its models folder and the folders
// added here) with what its file says — size, tensor types, context, thinking, dense or mixture of experts —
// or why it cannot be read, each with a Load button; with no model at all it offers to write the built-in
// test model. Discover: the catalog of Qwen3 models to download (CatalogView). Downloads: the queue
// (DownloadsView).
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder

Pane {
    id: page
    objectName: "modelsPage"

    required property ModelLibrary library
    required property ModelController model
    required property ModelDownloads downloads
    required property AppSettings settings
    required property ModelDefaultsStore modelDefaults

    // The honest description of the built-in test model, wherever it is offered or listed.
    readonly property string testModelLabel: qsTr("Test model — random weights, for trying the app; it answers a fixed script")

    signal chatRequested()

    ModelDefaultsDialog {
        id: defaultsDialog
        settings: page.settings
        store: page.modelDefaults
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Choose a folder with models")
        onAccepted: page.library.addFolder(selectedFolder)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 12

        RowLayout {
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: qsTr("Models")
                font.pixelSize: 22
            }
            BusyIndicator {
                visible: page.library.scanning
                running: visible
                Layout.preferredHeight: 28
                Layout.preferredWidth: 28
            }
            Button {
                objectName: "addFolderButton"
                text: qsTr("Add folder…")
                onClicked: folderDialog.open()
            }
            Button {
                objectName: "createTestModelButton"
                visible: page.library.entries.count > 0
                enabled: !page.library.creatingTestModel
                text: qsTr("Create test model")
                ToolTip.visible: hovered
                ToolTip.text: page.testModelLabel
                onClicked: page.library.createTestModel()
            }
            Button {
                objectName: "backToChatButton"
                visible: page.model.state === ModelController.Ready
                text: qsTr("Back to the chat")
                onClicked: page.chatRequested()
            }
        }

        TabBar {
            id: tabs
            objectName: "modelsTabBar"
            Layout.fillWidth: true
            TabButton {
                objectName: "installedTab"
                text: qsTr("Installed")
            }
            TabButton {
                objectName: "discoverTab"
                text: qsTr("Discover")
            }
            TabButton {
                objectName: "downloadsTab"
                text: page.downloads.activeCount > 0 ? qsTr("Downloads (%1)").arg(page.downloads.activeCount) : qsTr("Downloads")
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            ColumnLayout {
                spacing: 12
                // No model anywhere yet: the way to try the app at once.
                Frame {
                    objectName: "testModelOffer"
                    visible: page.library.entries.count === 0 && !page.library.scanning
                    Layout.fillWidth: true
                    ColumnLayout {
                        anchors.fill: parent
                        spacing: 8
                        Label {
                            Layout.fillWidth: true
                            text: qsTr("No models yet")
                            font.pixelSize: 18
                        }
                        Label {
                            Layout.fillWidth: true
                            wrapMode: Text.Wrap
                            text: qsTr("Add a folder that holds .gguf files or Hugging Face model folders, or create Ponder's test model to try the app now.")
                        }
                        Label {
                            Layout.fillWidth: true
                            wrapMode: Text.Wrap
                            font.italic: true
                            text: page.testModelLabel
                        }
                        RowLayout {
                            Button {
                                objectName: "createTestModelOfferButton"
                                highlighted: true
                                // Flat colour: the raised shadow does not render everywhere (offscreen, software).
                                Material.elevation: 0
                                enabled: !page.library.creatingTestModel
                                text: page.library.creatingTestModel ? qsTr("Creating the test model…") : qsTr("Create test model")
                                onClicked: page.library.createTestModel()
                            }
                            BusyIndicator {
                                visible: page.library.creatingTestModel
                                running: visible
                                Layout.preferredHeight: 28
                                Layout.preferredWidth: 28
                            }
                        }
                    }
                }
                Label {
                    objectName: "testModelError"
                    visible: text.length > 0
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Material.color(Material.Red)
                    text: page.library.testModelError.length > 0
                          ? qsTr("Could not create the test model: %1").arg(page.library.testModelError) : ""
                }

                ListView {
                    id: list
                    objectName: "modelList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: 8
                    model: page.library.entries
                    delegate: Frame {
                        id: row
                        objectName: "modelRow"

                        required property string name
                        required property string path
                        required property string source
                        required property string architecture
                        required property string parametersText
                        required property bool moe
                        required property string typeMix
                        required property string fileSizeText
                        required property real contextLength
                        required property string thinking
                        required property bool testModel
                        required property string error
                        required property var model // for its "id" role, a name QML keeps for itself

                        readonly property bool loaded: path === page.model.path && page.model.state === ModelController.Ready

                        width: ListView.view.width
                        RowLayout {
                            anchors.fill: parent
                            spacing: 12
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 2
                                Label {
                                    objectName: "modelRowName"
                                    Layout.fillWidth: true
                                    elide: Text.ElideRight
                                    text: row.name
                                    font.bold: true
                                }
                                Label {
                                    visible: row.testModel
                                    Layout.fillWidth: true
                                    wrapMode: Text.Wrap
                                    font.italic: true
                                    text: page.testModelLabel
                                }
                                Label {
                                    objectName: "modelRowDetails"
                                    visible: row.error.length === 0
                                    Layout.fillWidth: true
                                    wrapMode: Text.Wrap
                                    text: qsTr("%1 parameters · %2 · %3 · %4 · context %5 tokens · %6")
                                          .arg(row.parametersText)
                                          .arg(row.moe ? qsTr("mixture of experts") : qsTr("dense"))
                                          .arg(row.fileSizeText)
                                          .arg(row.typeMix)
                                          .arg(Number(row.contextLength).toLocaleString(Qt.locale(), "f", 0))
                                          .arg(row.thinking === "hybrid" ? qsTr("thinking can be switched on and off")
                                               : row.thinking === "always" ? qsTr("always thinks") : qsTr("does not think"))
                                }
                                Label {
                                    objectName: "modelRowError"
                                    visible: row.error.length > 0
                                    Layout.fillWidth: true
                                    wrapMode: Text.Wrap
                                    color: Material.color(Material.Red)
                                    text: qsTr("Cannot be read: %1").arg(row.error)
                                }
                                Label {
                                    Layout.fillWidth: true
                                    elide: Text.ElideMiddle
                                    opacity: 0.7
                                    font.pixelSize: 12
                                    text: row.source === "ponder" ? qsTr("In Ponder's models folder: %1").arg(row.path)
                                                                  : qsTr("In an added folder: %1").arg(row.path)
                                }
                            }
                            Button {
                                objectName: "modelDefaultsButton"
                                enabled: row.error.length === 0
                                text: qsTr("Defaults…")
                                onClicked: defaultsDialog.openFor(row.model.id, row.name, row.contextLength, row.thinking)
                            }
                            Button {
                                objectName: "loadModelButton"
                                enabled: row.error.length === 0 && !row.loaded
                                         && !(page.model.state === ModelController.Loading && page.model.path === row.path)
                                text: row.loaded ? qsTr("Loaded") : qsTr("Load")
                                onClicked: page.model.load(row.path)
                            }
                        }
                    }
                }

                Label {
                    visible: page.library.folders.length > 0
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    opacity: 0.7
                    text: qsTr("Also searched: %1").arg(page.library.folders.join(", "))
                }
            }
            CatalogView {
                downloads: page.downloads
                onDownloadQueued: tabs.currentIndex = 2
            }
            DownloadsView {
                downloads: page.downloads
            }
        }
    }
}
