// One model's own defaults, opened from its row on the Models page: the context length and device it loads
// with, and the thinking mode (hybrid models only) and sampling that new conversations with it start from.
// Each field either follows the app (the Settings dialog, Qwen3's recommended sampling) or holds the model's
// own value. The values and their rules live in ModelDefaultsEditor; Save writes them.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Ponder

Dialog {
    id: dialog

    required property AppSettings settings
    required property ModelDefaultsStore store

    property string modelName
    property bool hybrid: false

    // Opens the dialog on the model with library id `modelId`, holding at most `contextLength` positions and
    // thinking as ModelLibraryModel's role says ("hybrid", "always", "never").
    function openFor(modelId, name, contextLength, thinking) {
        dialog.modelName = name;
        dialog.hybrid = thinking === "hybrid";
        editor.modelContextLength = contextLength;
        editor.modelId = modelId;
        editor.load();
        dialog.open();
    }

    // The sampling fields in the order the conversation's settings show them (the keys are SamplingOverrides').
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
    function tokensLabel(n) {
        return n % 1024 === 0 ? qsTr("%1K tokens").arg(n / 1024)
                              : qsTr("%1 tokens").arg(Number(n).toLocaleString(Qt.locale(), "f", 0));
    }

    objectName: "modelDefaultsDialog"
    // Material draws a dialog's background through a shadow effect that software rendering leaves out
    // (the dialog would be see-through): a plain fill reads the same on every renderer.
    Material.elevation: 0
    title: qsTr("Defaults for %1").arg(dialog.modelName)
    modal: true
    focus: true
    standardButtons: Dialog.Save | Dialog.Cancel | Dialog.RestoreDefaults
    anchors.centerIn: Overlay.overlay
    width: Math.min(640, Overlay.overlay ? Overlay.overlay.width - 40 : 640)

    // A value typed but not yet confirmed with Enter counts as well.
    onAccepted: {
        for (let i = 0; i < samplingFields.count; ++i)
            samplingFields.itemAt(i).commit();
        editor.save();
    }
    onReset: editor.reset()

    ModelDefaultsEditor {
        id: editor
        store: dialog.store
        appContextLengthChoices: dialog.settings.contextLengthChoices
    }

    GridLayout {
        objectName: "modelDefaultsPage"
        width: parent.width // the height follows the content
        columns: 2
        columnSpacing: 16

        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            opacity: 0.7
            text: qsTr("These win over the app's settings whenever this model is loaded. Thinking and sampling apply to new conversations with it; the device applies the next time it loads.")
        }

        Label { text: qsTr("Context length") }
        ComboBox {
            id: contextBox
            objectName: "modelContextLengthBox"
            Layout.fillWidth: true
            model: [{ value: 0, label: qsTr("The app's setting (%1)").arg(dialog.tokensLabel(dialog.settings.contextLength)) }]
                   .concat(editor.contextLengthChoices.map(n => ({ value: n, label: dialog.tokensLabel(n) })))
            textRole: "label"
            valueRole: "value"
            currentIndex: Math.max(0, contextBox.model.findIndex(c => c.value === editor.contextLength))
            onActivated: editor.contextLength = currentValue
        }

        Label {
            visible: dialog.hybrid
            text: qsTr("Thinking")
        }
        ComboBox {
            id: thinkingBox
            objectName: "modelThinkingBox"
            visible: dialog.hybrid
            Layout.fillWidth: true
            model: [
                { value: "", label: qsTr("As the last conversation had it") },
                { value: "on", label: qsTr("On") },
                { value: "off", label: qsTr("Off") }
            ]
            textRole: "label"
            valueRole: "value"
            currentIndex: Math.max(0, thinkingBox.model.findIndex(c => c.value === editor.thinking))
            onActivated: editor.thinking = currentValue
        }

        Label { text: qsTr("Device") }
        ComboBox {
            id: deviceBox
            objectName: "modelDeviceBox"
            Layout.fillWidth: true
            model: [{ value: "", label: qsTr("The app's setting") }].concat(dialog.settings.devices.map(d => d)) // a JS array to concatenate
            textRole: "label"
            valueRole: "value"
            // A device no longer on this machine shows as the app's, which is what then applies.
            currentIndex: Math.max(0, deviceBox.model.findIndex(c => c.value === editor.device))
            onActivated: editor.device = currentValue
        }

        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            Layout.topMargin: 8
            text: qsTr("Sampling: leave a field empty for the value recommended for the mode.")
            font.bold: true
            wrapMode: Text.Wrap
        }
        GridLayout {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            columns: 2
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
                id: samplingFields
                model: dialog.fields
                delegate: TextField {
                    id: field
                    required property var modelData
                    required property int index
                    readonly property var own: editor.samplingOverrides[modelData.key]
                    function showValue() { return field.own === undefined ? "" : Number(field.own).toFixed(field.modelData.decimals); }
                    // The typed text to the editor: empty follows the mode, a number is the model's own.
                    function commit() {
                        if (field.text.trim().length === 0)
                            editor.clearSamplingOverride(field.modelData.key);
                        else
                            editor.setSamplingOverride(field.modelData.key, Number(field.text));
                        field.text = Qt.binding(field.showValue); // what holds now, also after a refused value
                    }
                    Layout.row: index
                    Layout.column: 1
                    Layout.preferredWidth: 160
                    objectName: "modelValue_" + modelData.key
                    placeholderText: qsTr("recommended")
                    text: showValue()
                    validator: DoubleValidator { locale: "C" }
                    onEditingFinished: commit()
                }
            }
        }
        Label {
            objectName: "modelDefaultsError"
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: text.length > 0
            text: editor.error
            wrapMode: Text.Wrap
            color: Material.color(Material.Red)
        }
    }
}
