// The model library in three tabs. Installed: every model Ponder found, to load, import, delete, hide or
// give its own defaults (InstalledView, ModelDefaultsDialog); with no model at all it offers to write the
// built-in test model. Discover: the catalog of Qwen3 models to download (CatalogView). Downloads: the queue
// (DownloadsView).
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
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

            InstalledView {
                library: page.library
                model: page.model
                testModelLabel: page.testModelLabel
                onDefaultsRequested: (id, name, contextLength, thinking) => defaultsDialog.openFor(id, name, contextLength, thinking)
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
