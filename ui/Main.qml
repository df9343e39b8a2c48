// The main window: the sidebar of conversations, the open conversation (header, transcript, composer) and the
// reasoning pane beside it. All state lives in the controllers handed in as required properties.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Ponder

ApplicationWindow {
    id: root

    required property ChatController chat
    required property ConversationsController conversations
    required property ModelController model
    required property AppSettings settings
    required property ModelLibrary library
    required property ModelDownloads downloads
    required property ModelDefaultsStore modelDefaults

    // The message whose reasoning the pane shows; -1: the newest reply.
    property int selectedMessage: -1
    // The model library in place of the conversation: at start when no model is coming, and on request.
    property bool showingModels: false
    // Light and dark follow the system unless set (the GUI tests shoot both).
    property int theme: Material.System

    width: 1200
    height: 780
    visible: true
    title: qsTr("Ponder")
    Material.theme: theme
    font.pixelSize: settings.fontPixelSize

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Sidebar {
            Layout.fillHeight: true
            Layout.preferredWidth: 260
            conversations: root.conversations
            currentConversation: root.chat.conversationId
            onSettingsRequested: settingsDialog.open()
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            HeaderBar {
                Layout.fillWidth: true
                chat: root.chat
                model: root.model
                onConversationSettingsRequested: conversationSettings.open()
                library: root.library
                onManageModelsRequested: root.showingModels = true
            }
            StackLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: root.showingModels ? 1 : 0

                ColumnLayout {
                    spacing: 0
                    Transcript {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        chat: root.chat
                        onReasoningRequested: row => {
                            root.selectedMessage = row;
                            reasoningPane.expanded = true;
                        }
                    }
                    Composer {
                        Layout.fillWidth: true
                        chat: root.chat
                        model: root.model
                    }
                }
                ModelsPage {
                    library: root.library
                    model: root.model
                    downloads: root.downloads
                    settings: root.settings
                    modelDefaults: root.modelDefaults
                    onChatRequested: root.showingModels = false
                }
            }
        }

        ReasoningPane {
            id: reasoningPane
            Layout.fillHeight: true
            messages: root.chat.messages
            selectedRow: root.selectedMessage >= 0 ? root.selectedMessage : root.chat.messages.count - 1
            thinkingBudget: root.chat.thinkingBudget
        }
    }

    SettingsDialog {
        id: settingsDialog
        settings: root.settings
        model: root.model
    }
    ConversationSettingsDialog {
        id: conversationSettings
        chat: root.chat
    }
    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settingsDialog.open()
    }

    // No model yet and none on its way (no MODEL argument): start on the library.
    Component.onCompleted: root.showingModels = root.model.state === ModelController.None
    Connections {
        target: root.model
        function onStateChanged() {
            if (root.model.state === ModelController.Ready)
                root.showingModels = false;
        }
    }
    Connections {
        target: root.chat
        function onConversationChanged() { root.selectedMessage = -1; }
        function onErrorOccurred(message) { errorBanner.show(message); }
    }
    Connections {
        target: root.downloads
        function onErrorOccurred(message) { errorBanner.show(message); }
    }
    Connections {
        target: root.conversations
        function onErrorOccurred(message) { errorBanner.show(message); }
    }

    footer: ToolBar {
        id: errorBanner
        visible: text.length > 0
        property string text
        function show(message) { text = message; }
        RowLayout {
            anchors.fill: parent
            Label {
                Layout.fillWidth: true
                leftPadding: 12
                text: errorBanner.text
                wrapMode: Text.Wrap
                color: Material.color(Material.Red)
            }
            ToolButton {
                text: qsTr("Dismiss")
                onClicked: errorBanner.text = ""
            }
        }
    }
}
