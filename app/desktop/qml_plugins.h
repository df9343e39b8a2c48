#pragma once
// The app's two static QML modules, imported into whichever executable includes this once (the app, the GUI
// tests): "Ponder" (C++ types) and "Ponder.Ui" (the window).
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(PonderPlugin)
Q_IMPORT_QML_PLUGIN(Ponder_UiPlugin)
