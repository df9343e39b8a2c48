// How a model fits this machine, as a short coloured label: "gpu", "partial", "cpu" or "none" (what the
// library's and the catalog's rows say). Used by the Discover and Installed tabs alike. Hidden without a fit
// (a file that could not be read has none).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

Label {
    id: badge

    required property string fit

    visible: fit.length > 0
    text: {
        switch (badge.fit) {
        case "gpu": return qsTr("fits on the GPU");
        case "partial": return qsTr("fits partly on the GPU");
        case "cpu": return qsTr("only on the CPU");
        default: return qsTr("too large");
        }
    }
    color: {
        switch (badge.fit) {
        case "gpu": return Material.color(Material.Green);
        case "partial": return Material.color(Material.Amber);
        case "cpu": return Material.color(Material.Blue);
        default: return Material.color(Material.Red);
        }
    }
}
