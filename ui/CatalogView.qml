// The Models page's Discover tab: the Qwen3 models Ponder can download, each with its quantisations, their
// approximate sizes and how they fit this machine (the GPU's memory, the RAM), the recommended one marked.
// The rows, fits and recommendation come from ModelDownloads; this only shows them and queues a download.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Ponder

// An Item with the column inside rather than a ColumnLayout as the root: a layout that is a StackLayout's
// child leaves its relayouts to the StackLayout, and Qt 6.4's drops the one a wrapped label asks for once
// its width is known (the label kept one line's height and overlapped the next). A layout whose parent is
// not a layout schedules its own. The wrapped labels ask for no width of their own (preferredWidth 0): the
// view takes its slot's width instead of its longest sentence's.
Item {
    id: view
    objectName: "catalogView"

    required property ModelDownloads downloads

    signal downloadQueued()

    implicitWidth: column.implicitWidth
    implicitHeight: column.implicitHeight

    ColumnLayout {
        id: column
        anchors.fill: parent
        spacing: 8

        Label {
            objectName: "machineMemoryLabel"
            Layout.fillWidth: true
            Layout.preferredWidth: 0
            wrapMode: Text.Wrap
            text: view.downloads.gpuText.length > 0
                  ? qsTr("This computer: %1 of memory and a GPU with %2. A model needs about 1.2 times its file size.").arg(view.downloads.ramText).arg(view.downloads.gpuText)
                  : qsTr("This computer: %1 of memory and no GPU Ponder can use. A model needs about 1.2 times its file size.").arg(view.downloads.ramText)
        }
        Label {
            objectName: "recommendationLabel"
            Layout.fillWidth: true
            Layout.preferredWidth: 0
            wrapMode: Text.Wrap
            font.bold: true
            text: view.downloads.recommendedFile.length > 0
                  ? qsTr("Recommended for this computer: %1").arg(view.downloads.recommendedFile)
                  : qsTr("None of these models fits this computer's memory.")
        }
        Label {
            visible: view.downloads.catalogError.length > 0
            Layout.fillWidth: true
            Layout.preferredWidth: 0
            wrapMode: Text.Wrap
            color: Material.color(Material.Red)
            text: qsTr("The model catalog cannot be read: %1").arg(view.downloads.catalogError)
        }

        ListView {
            objectName: "catalogList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 8
            model: view.downloads.models
            delegate: Frame {
                id: entry
                objectName: "catalogEntry"

                required property var modelData

                width: ListView.view.width
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 4
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            objectName: "catalogEntryName"
                            text: entry.modelData.id
                            font.bold: true
                        }
                        Label {
                            Layout.fillWidth: true
                            Layout.preferredWidth: 0
                            wrapMode: Text.Wrap
                            opacity: 0.8
                            text: (entry.modelData.moe
                                   ? qsTr("%1 parameters, %2 active per token · mixture of experts").arg(entry.modelData.parametersText).arg(entry.modelData.activeParametersText)
                                   : qsTr("%1 parameters · dense").arg(entry.modelData.parametersText))
                                  + " · " + qsTr("context %1 tokens (%2 with YaRN)").arg(Number(entry.modelData.contextLength).toLocaleString(Qt.locale(), "f", 0))
                                                                                   .arg(Number(entry.modelData.extendedContextLength).toLocaleString(Qt.locale(), "f", 0))
                                  + " · " + (entry.modelData.thinking === "hybrid" ? qsTr("thinking can be switched on and off")
                                             : entry.modelData.thinking === "always" ? qsTr("always thinks") : qsTr("does not think"))
                        }
                        Button {
                            flat: true
                            text: qsTr("Repository")
                            onClicked: Qt.openUrlExternally(entry.modelData.repoUrl)
                        }
                    }
                    Repeater {
                        model: entry.modelData.files
                        delegate: RowLayout {
                            id: fileRow
                            objectName: "catalogFileRow"

                            required property var modelData
                            readonly property string fileName: modelData.file
                            readonly property string quant: modelData.quant

                            Layout.fillWidth: true
                            spacing: 12
                            Label {
                                Layout.preferredWidth: 90
                                text: fileRow.modelData.quant
                            }
                            Label {
                                Layout.preferredWidth: 110
                                text: fileRow.modelData.approximate ? qsTr("about %1").arg(fileRow.modelData.sizeText) : fileRow.modelData.sizeText
                            }
                            // The fit and the recommendation in one column, one above the other: side by
                            // side they made the recommended file's row wider than the list.
                            ColumnLayout {
                                Layout.fillWidth: false
                                Layout.preferredWidth: 170
                                spacing: 0
                                FitBadge {
                                    objectName: "fitBadge"
                                    Layout.fillWidth: true
                                    elide: Text.ElideRight
                                    fit: fileRow.modelData.fit
                                }
                                Label {
                                    objectName: "recommendedBadge"
                                    visible: fileRow.modelData.recommended
                                    Layout.fillWidth: true
                                    elide: Text.ElideRight
                                    text: qsTr("Recommended")
                                    font.bold: true
                                    color: Material.accentColor
                                }
                            }
                            // The split-file note takes the spare width itself (wrapping if it must).
                            Item {
                                visible: fileRow.modelData.downloadable
                                Layout.fillWidth: true
                            }
                            Label {
                                objectName: "splitFileNote"
                                visible: !fileRow.modelData.downloadable
                                Layout.fillWidth: true
                                Layout.preferredWidth: 0
                                horizontalAlignment: Text.AlignRight
                                wrapMode: Text.Wrap
                                opacity: 0.7
                                text: qsTr("split into parts: see the repository")
                            }
                            Button {
                                objectName: "catalogDownloadButton"
                                visible: fileRow.modelData.downloadable
                                enabled: !fileRow.modelData.installed && !fileRow.modelData.inQueue
                                text: fileRow.modelData.installed ? qsTr("Installed")
                                      : fileRow.modelData.inQueue ? qsTr("In the downloads") : qsTr("Download")
                                onClicked: {
                                    if (view.downloads.download(entry.modelData.id, fileRow.modelData.quant))
                                        view.downloadQueued();
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
