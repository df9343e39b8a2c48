// Conversations grouped by date, with search, new, rename, pin and delete (with undo), and the button that
// opens the app's settings.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
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
            section.property: "section"
            section.delegate: Label {
                required property string section
                text: sidebar.sectionTitle(section)
                font.bold: true
                topPadding: 8
                bottomPadding: 4
            }
            delegate: ItemDelegate {
                id: row
                required property var conversationId
                required property string title
                required property bool pinned
                width: ListView.view.width
                text: (pinned ? "📌 " : "") + title
                highlighted: conversationId === sidebar.currentConversation
                onClicked: sidebar.conversations.open(conversationId)
                onPressAndHold: menu.popup()
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: menu.popup()
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
        modal: true
        standardButtons: Dialog.Ok | Dialog.Cancel
        TextField {
            id: titleField
            width: 320
            onAccepted: renameDialog.accept()
        }
        onAccepted: sidebar.conversations.rename(conversationId, titleField.text)
    }
}
