// Conversations grouped by date, with search, new, rename, pin, export (Markdown or JSON) and delete (with
// undo), and the button that opens the app's settings.
pragma ComponentBehavior: Bound
import QtCore
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder

Pane {
    id: sidebar

    required property ConversationsController conversations
    required property var currentConversation

    signal settingsRequested()

    padding: 8

    function sectionTitle(key) {
        switch (key) {
        case "pinned": return qsTr("Pinned");
        case "today": return qsTr("Today");
        case "yesterday": return qsTr("Yesterday");
        case "week": return qsTr("Previous 7 days");
        case "month": return qsTr("Previous 30 days");
        default: return key; // "YYYY-MM"
        }
    }

    ColumnLayout {
        anchors.fill: parent

        Button {
            objectName: "newConversationButton"
            Layout.fillWidth: true
            text: qsTr("New conversation")
            onClicked: sidebar.conversations.startNew()
        }
        TextField {
            Layout.fillWidth: true
            placeholderText: qsTr("Search conversations")
            text: sidebar.conversations.searchText
            onTextEdited: sidebar.conversations.searchText = text
        }
        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: sidebar.conversations.list
            // The date headings are drawn by the rows: Qt 6.4 cannot create a section.delegate in a file
            // with "pragma ComponentBehavior: Bound" ("Component is not ready"), so there would be none.
            section.property: "section"
            delegate: Column {
                id: row
                required property var conversationId
                required property string title
                required property bool pinned
                required property string section
                width: ListView.view.width

                Label {
                    objectName: "sectionHeading"
                    visible: row.ListView.section !== row.ListView.previousSection
                    text: sidebar.sectionTitle(row.section)
                    font.bold: true
                    topPadding: 8
                    bottomPadding: 4
                }
                ItemDelegate {
                    width: row.width
                    text: (row.pinned ? "📌 " : "") + row.title
                    highlighted: row.conversationId === sidebar.currentConversation
                    onClicked: sidebar.conversations.open(row.conversationId)
                    onPressAndHold: menu.popup()
                    TapHandler {
                        acceptedButtons: Qt.RightButton
                        onTapped: menu.popup()
                    }
                }
                Menu {
                    id: menu
                    MenuItem {
                        text: row.pinned ? qsTr("Unpin") : qsTr("Pin")
                        onTriggered: sidebar.conversations.setPinned(row.conversationId, !row.pinned)
                    }
                    MenuItem {
                        text: qsTr("Rename…")
                        onTriggered: renameDialog.openFor(row.conversationId, row.title)
                    }
                    MenuItem {
                        objectName: "exportMarkdownItem"
                        text: qsTr("Export as Markdown…")
                        onTriggered: exportDialog.openFor(row.conversationId, "markdown")
                    }
                    MenuItem {
                        objectName: "exportJsonItem"
                        text: qsTr("Export as JSON…")
                        onTriggered: exportDialog.openFor(row.conversationId, "json")
                    }
                    MenuItem {
                        text: qsTr("Delete")
                        onTriggered: sidebar.conversations.remove(row.conversationId)
                    }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            visible: sidebar.conversations.undoableDelete !== 0
            Label {
                Layout.fillWidth: true
                text: qsTr("Conversation deleted")
            }
            Button {
                text: qsTr("Undo")
                onClicked: sidebar.conversations.undoDelete()
            }
        }
        Button {
            objectName: "settingsButton"
            Layout.fillWidth: true
            flat: true
            text: qsTr("Settings")
            onClicked: sidebar.settingsRequested()
        }
    }

    Dialog {
        id: renameDialog
        property var conversationId: 0
        function openFor(id, title) {
            conversationId = id;
            titleField.text = title;
            open();
            titleField.forceActiveFocus();
        }
        anchors.centerIn: Overlay.overlay
        title: qsTr("Rename conversation")
        // Material draws a dialog's background through a shadow effect that software rendering leaves out
        // (the dialog would be see-through): a plain fill reads the same on every renderer.
        Material.elevation: 0
        modal: true
        standardButtons: Dialog.Ok | Dialog.Cancel
        TextField {
            id: titleField
            width: 320
            onAccepted: renameDialog.accept()
        }
        onAccepted: sidebar.conversations.rename(conversationId, titleField.text)
    }

    // Where an export goes: the controller writes the file and reports a failure (errorOccurred).
    FileDialog {
        id: exportDialog
        objectName: "exportDialog"
        property var conversationId: 0
        property string format: "markdown"
        function openFor(id, format) {
            conversationId = id;
            exportDialog.format = format;
            const folder = StandardPaths.writableLocation(StandardPaths.DocumentsLocation);
            currentFolder = folder;
            selectedFile = folder + "/" + encodeURIComponent(sidebar.conversations.exportFileName(id, format));
            open();
        }
        title: format === "json" ? qsTr("Export the conversation as JSON") : qsTr("Export the conversation as Markdown")
        fileMode: FileDialog.SaveFile
        defaultSuffix: format === "json" ? "json" : "md"
        nameFilters: format === "json" ? [qsTr("JSON files (*.json)")] : [qsTr("Markdown files (*.md)")]
        onAccepted: sidebar.conversations.exportConversation(conversationId, selectedFile, format)
    }
}
