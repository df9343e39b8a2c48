// The open conversation's own settings: its system prompt, and its sampling, where each field is either the
// value recommended for the mode (thinking or not, from the model's generation_config when it has one) or
// a value the user set. They apply from the next turn; the rules and the values live in ChatController.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Ponder

Dialog {
    id: dialog

    required property ChatController chat

    // How each sampling field is shown (the keys are ChatController's). The labels come from a function, not
    // from this list, so that a language switch retranslates them without rebuilding the rows (and their fields).
    readonly property var fields: [
        { key: "temperature", decimals: 2 },
        { key: "topP", decimals: 2 },
        { key: "topK", decimals: 0 },
        { key: "minP", decimals: 2 },
        { key: "presencePenalty", decimals: 2 },
        { key: "repetitionPenalty", decimals: 2 }
    ]
    function fieldLabel(key) {
        switch (key) {
        case "temperature": return qsTr("Temperature");
        case "topP": return qsTr("Top-p");
        case "topK": return qsTr("Top-k");
        case "minP": return qsTr("Min-p");
        case "presencePenalty": return qsTr("Presence penalty");
        case "repetitionPenalty": return qsTr("Repetition penalty");
        }
        return key;
    }

    objectName: "conversationSettingsDialog"
    // Material draws a dialog's background through a shadow effect that software rendering leaves out
    // (the dialog would be see-through): a plain fill reads the same on every renderer.
    Material.elevation: 0
    title: qsTr("Conversation settings")
    modal: true
    focus: true
    standardButtons: Dialog.Close
    anchors.centerIn: Overlay.overlay
    width: Math.min(620, Overlay.overlay ? Overlay.overlay.width - 40 : 620)

    onAboutToShow: promptInput.text = dialog.chat.systemPrompt
    onClosed: dialog.chat.systemPrompt = promptInput.text

    ColumnLayout {
        objectName: "conversationSettingsPage"
        width: parent.width // the height follows the content
        spacing: 8

        Label {
            text: qsTr("System prompt")
            font.bold: true
        }
        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: 110
            TextArea {
                id: promptInput
                objectName: "systemPromptInput"
                wrapMode: TextEdit.Wrap
                placeholderText: qsTr("Instructions the model follows throughout this conversation (optional)")
                onEditingFinished: dialog.chat.systemPrompt = text
            }
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("Sampling: each value is the one recommended for the current mode unless you set your own.")
            font.bold: true
            wrapMode: Text.Wrap
        }
        GridLayout {
            Layout.fillWidth: true
            columns: 4
            columnSpacing: 12

            Repeater {
                model: dialog.fields
                delegate: Label {
                    required property var modelData
                    required property int index
                    Layout.row: index
                    Layout.column: 0
                    text: dialog.fieldLabel(modelData.key)
                }
            }
            Repeater {
                model: dialog.fields
                delegate: CheckBox {
                    id: custom
                    required property var modelData
                    required property int index
                    readonly property var recommended: dialog.chat.recommendedSampling[modelData.key]
                    Layout.row: index
                    Layout.column: 1
                    objectName: "custom_" + modelData.key
                    text: qsTr("Custom")
                    checked: dialog.chat.samplingOverrides[modelData.key] !== undefined
                    // Starts from the recommended value, which the field then edits.
                    onToggled: checked ? dialog.chat.setSamplingOverride(modelData.key, recommended)
                                       : dialog.chat.clearSamplingOverride(modelData.key)
                }
            }
            Repeater {
                model: dialog.fields
                delegate: TextField {
                    id: field
                    required property var modelData
                    required property int index
                    readonly property var overridden: dialog.chat.samplingOverrides[modelData.key]
                    readonly property var shown: overridden !== undefined ? overridden
                                                                          : dialog.chat.recommendedSampling[modelData.key]
                    function showValue() { return field.shown === undefined ? "" : Number(field.shown).toFixed(field.modelData.decimals); }
                    Layout.row: index
                    Layout.column: 2
                    Layout.preferredWidth: 90
                    objectName: "value_" + modelData.key
                    enabled: overridden !== undefined
                    text: showValue()
                    validator: DoubleValidator { locale: "C" }
                    onEditingFinished: {
                        if (enabled && text.length > 0)
                            dialog.chat.setSamplingOverride(modelData.key, Number(text));
                        text = Qt.binding(showValue); // what applies now, also after a refused value
                    }
                }
            }
            Repeater {
                model: dialog.fields
                delegate: Label {
                    required property var modelData
                    required property int index
                    readonly property var recommended: dialog.chat.recommendedSampling[modelData.key]
                    Layout.row: index
                    Layout.column: 3
                    Layout.fillWidth: true
                    opacity: 0.7
                    text: recommended === undefined ? "" : qsTr("recommended: %1").arg(Number(recommended).toFixed(modelData.decimals))
                }
            }
        }
        Button {
            objectName: "resetSamplingButton"
            text: qsTr("Reset to recommended")
            enabled: Object.keys(dialog.chat.samplingOverrides).length > 0
            onClicked: dialog.chat.resetSampling()
        }
    }
}
