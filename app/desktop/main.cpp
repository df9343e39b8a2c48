// Ponder's desktop app: makes the services, hands them to the QML window, and runs the event loop.
//   ponder [MODEL]   opens the window, loading MODEL (a .gguf file or a Hugging Face folder) if given; without
//                    one it opens on the model library (which offers the built-in test model).
// PONDER_DATA_DIR overrides where conversations are kept (tests use a scratch folder); otherwise the folder
// chosen in the settings, otherwise the platform's app data folder.
#include "app_services.h"
#include "qml_plugins.h"

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QStandardPaths>

#include <exception>
#include <iostream>

int main(int argc, char* argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("Ponder"));
    QGuiApplication::setOrganizationName(QStringLiteral("Ponder"));
    QQuickStyle::setStyle(QStringLiteral("Material"));

    QString dataDir = qEnvironmentVariable("PONDER_DATA_DIR");
    if (dataDir.isEmpty())
        dataDir = ponder::desktop::AppSettings::storedDataDir();
    if (dataDir.isEmpty())
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    std::unique_ptr<ponder::desktop::AppServices> services;
    try {
        services = std::make_unique<ponder::desktop::AppServices>(dataDir);
    } catch (const std::exception& e) {
        std::cerr << "ponder: " << e.what() << "\n";
        return 1;
    }

    // Loading starts before the window opens, so the window knows a model is coming (and opens on the chat).
    const QStringList args = QCoreApplication::arguments();
    if (args.size() > 1)
        services->model().load(args.at(1));
    QQmlApplicationEngine engine;
    if (!services->loadWindow(engine))
        return 1;
    return app.exec();
}
