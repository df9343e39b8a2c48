// The Models page's Downloads tab: the download queue (ModelDownloads.downloads), one row per file with its
// progress, speed, time left, state and error, and Pause / Resume / Cancel / Remove.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Ponder

// An Item with the column inside, as in CatalogView: a layout directly in the page's StackLayout would
// leave its relayouts (a wrapped label's height once its width is known) to Qt 6.4's StackLayout, which
// drops them. Elided and wrapped labels ask for no width of their own, so a long name or error message
// does not make the view wider than its slot.
Item {
    id: view
    objectName: "downloadsView"

    required property ModelDownloads downloads

    implicitWidth: column.implicitWidth
    implicitHeight: column.implicitHeight

    function stateLabel(state) {
        switch (state) {
        case Download.Queued: return qsTr("Waiting");
        case Download.Running: return qsTr("Downloading");
        case Download.Paused: return qsTr("Paused");
        case Download.Retrying: return qsTr("Retrying");
        case Download.Verifying: return qsTr("Verifying");
        case Download.Finished: return qsTr("Finished");
        case Download.Failed: return qsTr("Failed");
        default: return qsTr("Canceled");
        }
    }
    function timeLeft(seconds) {
        if (seconds < 0)
            return "";
        if (seconds < 60)
            return qsTr("%1 s left").arg(seconds);
        if (seconds < 3600)
            return qsTr("%1 min left").arg(Math.ceil(seconds / 60));
        return qsTr("%1 h %2 min left").arg(Math.floor(seconds / 3600)).arg(Math.ceil((seconds % 3600) / 60));
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        spacing: 8

        Label {
            objectName: "noDownloadsLabel"
            visible: downloadList.count === 0
            Layout.fillWidth: true
            Layout.preferredWidth: 0
            wrapMode: Text.Wrap
            text: qsTr("No downloads yet. Choose a model under Discover.")
        }

        ListView {
            id: downloadList
            objectName: "downloadList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 8
            model: view.downloads.downloads
            delegate: Frame {
                id: row
                objectName: "downloadRow"

                required property int index
                required property string name
                required property int state
                required property real bytes
                required property real total
                required property real speed
                required property real secondsLeft
                required property string error

                readonly property bool done: state === Download.Finished || state === Download.Canceled

                width: ListView.view.width
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 4
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            objectName: "downloadName"
                            Layout.fillWidth: true
                            Layout.preferredWidth: 0
                            elide: Text.ElideMiddle
                            text: row.name
                            font.bold: true
                        }
                        Label {
                            objectName: "downloadState"
                            text: view.stateLabel(row.state)
                        }
                    }
                    ProgressBar {
                        objectName: "downloadProgress"
                        Layout.fillWidth: true
                        from: 0
                        to: 1
                        indeterminate: row.total <= 0 && row.state === Download.Running
                        value: row.total > 0 ? row.bytes / row.total : (row.state === Download.Finished ? 1 : 0)
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: 12
                        Label {
                            objectName: "downloadBytes"
                            text: row.total > 0 ? qsTr("%1 of %2").arg(view.downloads.sizeText(row.bytes)).arg(view.downloads.sizeText(row.total))
                                                : view.downloads.sizeText(row.bytes)
                        }
                        Label {
                            visible: row.state === Download.Running && row.speed > 0
                            text: qsTr("%1/s").arg(view.downloads.sizeText(row.speed))
                        }
                        Label {
                            visible: row.state === Download.Running
                            text: view.timeLeft(row.secondsLeft)
                        }
                        Item { Layout.fillWidth: true }
                        Button {
                            objectName: "pauseDownloadButton"
                            visible: row.state === Download.Running || row.state === Download.Retrying || row.state === Download.Queued
                            text: qsTr("Pause")
                            onClicked: view.downloads.pause(row.index)
                        }
                        Button {
                            objectName: "resumeDownloadButton"
                            visible: row.state === Download.Paused || row.state === Download.Failed
                            text: qsTr("Resume")
                            onClicked: view.downloads.resume(row.index)
                        }
                        Button {
                            objectName: "cancelDownloadButton"
                            visible: !row.done && row.state !== Download.Verifying
                            text: qsTr("Cancel")
                            onClicked: view.downloads.cancel(row.index)
                        }
                        Button {
                            objectName: "removeDownloadButton"
                            visible: row.done || row.state === Download.Failed
                            text: qsTr("Remove from the list")
                            onClicked: view.downloads.remove(row.index)
                        }
                    }
                    Label {
                        objectName: "downloadError"
                        visible: row.error.length > 0
                        Layout.fillWidth: true
                        Layout.preferredWidth: 0
                        wrapMode: Text.Wrap
                        color: row.state === Download.Failed ? Material.color(Material.Red) : Material.color(Material.Amber)
                        text: row.state === Download.Failed ? qsTr("Failed: %1").arg(row.error) : qsTr("Retrying after: %1").arg(row.error)
                    }
                }
            }
        }
    }
}
