// The Models page's Installed tab: every model the library found — Ponder's models folder, the folders added
// here and the other apps' stores — sorted as the user picks (ModelLibrarySortModel), with what its file says
// (family, parameters, dense or mixture of experts, tensor types, size, context, thinking), where it was found,
// when it was last loaded, the memory it needs and how that fits this machine, or why it cannot be read. Each
// row loads, deletes (Ponder's own files only, after a confirmation; other apps' models are hidden instead)
// and shows its folder. Models are imported with "Import…" or by dropping files or folders here; with no
// model at all the tab offers to write the built-in test model.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder

Item {
    id: view
    objectName: "installedView"

    required property ModelLibrary library
    required property ModelController model
    required property string testModelLabel

    // "Defaults…" on a row: the page opens the model's defaults dialog.
    signal defaultsRequested(string id, string name, real contextLength, string thinking)

    // The last import's or delete's outcome, shown above the list until dismissed or replaced.
    property string message: ""
    property bool messageIsError: false

    function thinkingText(thinking) {
        return thinking === "hybrid" ? qsTr("thinking can be switched on and off")
             : thinking === "always" ? qsTr("always thinks") : qsTr("does not think");
    }

    ModelLibrarySortModel {
        id: sorted
        objectName: "installedSortModel"
        sourceModel: view.library.entries
        showHidden: showHiddenBox.checked
    }

    Connections {
        target: view.library
        function onImportFinished(ok, message) {
            view.message = message;
            view.messageIsError = !ok;
        }
        function onDeleteFinished(ok, message) {
            view.message = message;
            view.messageIsError = !ok;
        }
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Choose a folder with models")
        onAccepted: view.library.addFolder(selectedFolder)
    }

    ImportModelDialog {
        id: importDialog
        library: view.library
    }

    Dialog {
        id: deleteDialog
        objectName: "deleteModelDialog"

        property string entryId: ""
        property string entryName: ""
        property string entryPath: ""

        function openFor(entry, name, path) {
            entryId = entry;
            entryName = name;
            entryPath = path;
            open();
        }

        anchors.centerIn: Overlay.overlay
        width: Math.min(560, Overlay.overlay ? Overlay.overlay.width - 48 : 560)
        title: qsTr("Delete %1?").arg(deleteDialog.entryName)
        Material.elevation: 0 // a plain fill: the shadowed background does not render everywhere
        modal: true
        Label {
            objectName: "deleteModelText"
            width: parent.width
            wrapMode: Text.Wrap
            text: qsTr("Its file is removed from Ponder's models folder for good:\n%1").arg(deleteDialog.entryPath)
        }
        footer: DialogButtonBox {
            Button {
                objectName: "confirmDeleteButton"
                text: qsTr("Delete")
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button {
                objectName: "cancelDeleteButton"
                text: qsTr("Cancel")
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
        onAccepted: view.library.deleteModel(deleteDialog.entryId)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 12

        // No model anywhere yet: the way to try the app at once.
        Frame {
            objectName: "testModelOffer"
            visible: view.library.entries.count === 0 && !view.library.scanning
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
                    text: qsTr("Add a folder that holds .gguf files or Hugging Face model folders, import or drop a model here, or create Ponder's test model to try the app now.")
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    font.italic: true
                    text: view.testModelLabel
                }
                RowLayout {
                    Button {
                        objectName: "createTestModelOfferButton"
                        highlighted: true
                        // Flat colour: the raised shadow does not render everywhere (offscreen, software).
                        Material.elevation: 0
                        enabled: !view.library.creatingTestModel
                        text: view.library.creatingTestModel ? qsTr("Creating the test model…") : qsTr("Create test model")
                        onClicked: view.library.createTestModel()
                    }
                    BusyIndicator {
                        visible: view.library.creatingTestModel
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
            text: view.library.testModelError.length > 0
                  ? qsTr("Could not create the test model: %1").arg(view.library.testModelError) : ""
        }

        // Wraps onto a second line when the window is narrow (the reasoning pane open beside the page).
        Flow {
            Layout.fillWidth: true
            spacing: 8
            Button {
                objectName: "importButton"
                text: view.library.importing ? qsTr("Importing…") : qsTr("Import…")
                onClicked: importDialog.openWith([])
            }
            Button {
                objectName: "addFolderButton"
                text: qsTr("Add folder…")
                onClicked: folderDialog.open()
            }
            BusyIndicator {
                visible: view.library.importing
                running: visible
                height: 40
                width: 40
            }
            RowLayout {
                spacing: 8
                Label {
                    text: qsTr("Sort by")
                }
                ComboBox {
                    id: sortBox
                    objectName: "sortBox"
                    Layout.preferredWidth: 190
                    textRole: "text"
                    valueRole: "key"
                    model: [
                        { text: qsTr("Name"), key: ModelLibrarySortModel.Name },
                        { text: qsTr("File size"), key: ModelLibrarySortModel.Size },
                        { text: qsTr("Parameters"), key: ModelLibrarySortModel.Parameters },
                        { text: qsTr("Last used"), key: ModelLibrarySortModel.LastUsed },
                        { text: qsTr("Memory needed"), key: ModelLibrarySortModel.Memory }
                    ]
                    onActivated: sorted.sortKey = currentValue
                }
                Button {
                    objectName: "sortDirectionButton"
                    flat: true
                    text: sorted.ascending ? qsTr("Ascending") : qsTr("Descending")
                    onClicked: sorted.ascending = !sorted.ascending
                }
            }
            CheckBox {
                id: showHiddenBox
                objectName: "showHiddenBox"
                visible: view.library.hiddenIds.length > 0
                text: qsTr("Show hidden (%1)").arg(view.library.hiddenIds.length)
            }
        }

        // What the last import or delete did, or why it failed.
        Frame {
            objectName: "libraryMessage"
            visible: view.message.length > 0
            Layout.fillWidth: true
            RowLayout {
                anchors.fill: parent
                Label {
                    objectName: "libraryMessageText"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: view.messageIsError ? Material.color(Material.Red) : Material.foreground
                    text: view.message
                }
                Button {
                    flat: true
                    text: qsTr("Dismiss")
                    onClicked: view.message = ""
                }
            }
        }

        ListView {
            id: list
            objectName: "modelList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 8
            model: sorted
            ScrollBar.vertical: ScrollBar {}
            delegate: Frame {
                id: row
                objectName: "modelRow"

                required property var model
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
                required property bool readOnly
                required property bool hidden
                required property string memoryText
                required property string fit
                required property string lastUsedText
                required property var sourceNames

                readonly property string entryId: row.model.id
                readonly property bool loaded: path === view.model.path && view.model.state === ModelController.Ready
                readonly property bool inUse: path === view.model.path
                                              && (view.model.state === ModelController.Ready || view.model.state === ModelController.Loading)

                width: ListView.view.width
                opacity: row.hidden ? 0.6 : 1
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 2
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: 12
                        Label {
                            objectName: "modelRowName"
                            Layout.fillWidth: true
                            elide: Text.ElideRight
                            text: row.name
                            font.bold: true
                        }
                        Label {
                            visible: row.hidden
                            text: qsTr("Hidden")
                            font.italic: true
                        }
                        FitBadge {
                            objectName: "installedFitBadge"
                            fit: row.fit
                        }
                    }
                    Label {
                        visible: row.testModel
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        font.italic: true
                        text: view.testModelLabel
                    }
                    Label {
                        objectName: "modelRowDetails"
                        visible: row.error.length === 0
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        text: qsTr("%1 · %2 parameters · %3 · %4 · %5 · context %6 tokens · %7")
                              .arg(row.architecture)
                              .arg(row.parametersText)
                              .arg(row.moe ? qsTr("mixture of experts") : qsTr("dense"))
                              .arg(row.fileSizeText)
                              .arg(row.typeMix)
                              .arg(Number(row.contextLength).toLocaleString(Qt.locale(), "f", 0))
                              .arg(view.thinkingText(row.thinking))
                    }
                    Label {
                        objectName: "modelRowMemory"
                        visible: row.error.length === 0
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        opacity: 0.8
                        text: qsTr("Needs about %1 of memory at %2 tokens of context")
                              .arg(row.memoryText)
                              .arg(Number(view.library.entries.estimateContext).toLocaleString(Qt.locale(), "f", 0))
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
                        objectName: "modelRowSources"
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        opacity: 0.7
                        font.pixelSize: 12
                        text: qsTr("Found in %1").arg(row.sourceNames.join(", ")) + " · "
                              + (row.lastUsedText.length > 0 ? qsTr("last used %1").arg(row.lastUsedText) : qsTr("never loaded"))
                    }
                    Label {
                        Layout.fillWidth: true
                        elide: Text.ElideMiddle
                        opacity: 0.7
                        font.pixelSize: 12
                        text: row.path
                    }
                    // The row's actions.
                    RowLayout {
                        id: actions
                        objectName: "modelRowActions"
                        Layout.fillWidth: true
                        spacing: 8
                        Button {
                            objectName: "loadModelButton"
                            enabled: row.error.length === 0 && !row.loaded
                                     && !(view.model.state === ModelController.Loading && view.model.path === row.path)
                            text: row.loaded ? qsTr("Loaded") : qsTr("Load")
                            onClicked: view.model.load(row.path)
                        }
                        Button {
                            objectName: "modelDefaultsButton"
                            enabled: row.error.length === 0
                            text: qsTr("Defaults…")
                            onClicked: view.defaultsRequested(row.model.id, row.name, row.contextLength, row.thinking)
                        }
                        // A disabled button takes no hover: the wrapper shows why it is disabled.
                        Item {
                            implicitWidth: deleteButton.implicitWidth
                            implicitHeight: deleteButton.implicitHeight
                            ToolTip.visible: deleteHover.hovered && !deleteButton.enabled
                            ToolTip.text: row.readOnly
                                          ? qsTr("This model belongs to %1; Ponder does not delete it. Hide it instead.").arg(row.sourceNames.join(", "))
                                          : qsTr("This model is loaded; load another model before deleting it.")
                            HoverHandler {
                                id: deleteHover
                            }
                            Button {
                                id: deleteButton
                                objectName: "deleteModelButton"
                                anchors.fill: parent
                                enabled: !row.readOnly && !row.inUse
                                text: qsTr("Delete…")
                                onClicked: deleteDialog.openFor(row.entryId, row.name, row.path)
                            }
                        }
                        Button {
                            objectName: "hideModelButton"
                            visible: row.readOnly
                            text: row.hidden ? qsTr("Show") : qsTr("Hide")
                            onClicked: row.hidden ? view.library.unhide(row.entryId) : view.library.hide(row.entryId)
                        }
                        Button {
                            objectName: "revealModelButton"
                            flat: true
                            text: qsTr("Show in folder")
                            onClicked: Qt.openUrlExternally(view.library.revealUrl(row.entryId))
                        }
                        Item { Layout.fillWidth: true }
                    }
                }
            }
        }

        Label {
            visible: view.library.folders.length > 0
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            opacity: 0.7
            text: qsTr("Also searched: %1").arg(view.library.folders.join(", "))
        }
    }

    // Files or folders dropped anywhere on the tab are imported, after choosing how.
    DropArea {
        id: dropArea
        objectName: "modelDropArea"
        anchors.fill: parent
        onEntered: (drag) => { drag.accepted = drag.hasUrls; }
        onDropped: (drop) => {
            if (!drop.hasUrls)
                return;
            drop.accept(Qt.CopyAction);
            importDialog.openWith(drop.urls);
        }
    }
    Rectangle {
        visible: dropArea.containsDrag
        anchors.fill: parent
        radius: 8
        color: "transparent"
        border.width: 3
        border.color: Material.accentColor
        Label {
            anchors.centerIn: parent
            text: qsTr("Drop to import")
            font.pixelSize: 20
            color: Material.accentColor
        }
    }
}
