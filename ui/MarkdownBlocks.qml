// A reply's text: its prose as Markdown, and each fenced code block in a box of its own (monospace, its
// language named) with a copy button. The model cuts the blocks (app/models/markdown_blocks.h); a block
// still streaming grows in place, since the rows here are by position and only their text changes.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

ColumnLayout {
    id: view

    required property var blocks // [{kind: "text"|"code", text, language, closed}]
    property real maximumWidth: 600
    readonly property bool dark: Material.theme === Material.Dark

    spacing: 8

    Repeater {
        model: view.blocks.length

        ColumnLayout {
            id: block

            required property int index
            readonly property var entry: view.blocks[index] || ({})
            readonly property bool code: entry.kind === "code"

            Layout.fillWidth: true
            Layout.maximumWidth: view.maximumWidth

            Label {
                objectName: "messageText"
                visible: !block.code
                Layout.fillWidth: true
                Layout.maximumWidth: view.maximumWidth
                text: block.code ? "" : block.entry.text || ""
                textFormat: Text.MarkdownText
                wrapMode: Text.Wrap
                onLinkActivated: link => Qt.openUrlExternally(link)
            }
            Rectangle {
                objectName: "codeBlock"
                visible: block.code
                Layout.fillWidth: true
                Layout.maximumWidth: view.maximumWidth
                implicitWidth: codeColumn.implicitWidth + 16
                implicitHeight: codeColumn.implicitHeight + 12
                radius: 4
                color: view.dark ? "#1e1e1e" : "#f3f3f3"
                border.color: view.dark ? "#3a3a3a" : "#dddddd"

                ColumnLayout {
                    id: codeColumn
                    x: 8
                    y: 6
                    width: parent.width - 16
                    spacing: 2

                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            text: block.entry.language || qsTr("code")
                            color: Material.hintTextColor
                            font.pointSize: 8
                        }
                        ToolButton {
                            objectName: "copyCodeButton"
                            text: copied.running ? qsTr("Copied") : qsTr("Copy code")
                            font.pointSize: 8
                            implicitHeight: 26
                            padding: 4
                            focusPolicy: Qt.StrongFocus
                            Accessible.name: qsTr("Copy this code")
                            onClicked: {
                                clipboard.text = codeText.text;
                                clipboard.selectAll();
                                clipboard.copy();
                                copied.restart();
                            }
                            Timer {
                                id: copied
                                interval: 1500
                            }
                        }
                    }
                    TextEdit {
                        id: codeText
                        objectName: "codeBlockText"
                        Layout.fillWidth: true
                        text: block.code ? block.entry.text || "" : ""
                        readOnly: true
                        selectByMouse: true
                        wrapMode: TextEdit.WrapAtWordBoundaryOrAnywhere
                        font.family: "monospace"
                        color: Material.foreground
                        selectionColor: Material.accent
                    }
                }
            }
        }
    }

    TextEdit {
        id: clipboard
        visible: false
    }
}
