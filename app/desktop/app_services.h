#pragma once
// Everything the window works with, made once at start-up and handed to QML as the root's required
// properties (no context properties, no globals): the store, the engine thread, the controllers, the app's
// settings, the model library (<data dir>/models and the folders the user added), the model downloads and
// each model's own defaults, which win over the app's settings while that model is loaded (its context
// length and device) and seed the new conversations made with it (thinking mode, sampling).
#include "app_settings.h"
#include "controllers/chat_controller.h"
#include "controllers/conversations_controller.h"
#include "controllers/model_defaults.h"
#include "controllers/model_controller.h"
#include "library/model_library.h"
#include "model_downloads.h"
#include "storage/conversation_store.h"
#include "worker/engine.h"

#include <QQmlApplicationEngine>
#include <QString>

#include <memory>

namespace ponder::desktop {

class AppServices {
public:
    // Opens (or creates) the database under `dataDir`. Throws ponder::Error naming the file and the problem.
    explicit AppServices(const QString& dataDir);
    ~AppServices();

    controllers::ChatController& chat() { return *chat_; }
    controllers::ConversationsController& conversations() { return *conversations_; }
    controllers::ModelController& model() { return *model_; }
    AppSettings& settings() { return *settings_; }
    library::ModelLibrary& library() { return *library_; }
    ModelDownloads& downloads() { return *downloads_; }
    controllers::ModelDefaultsStore& modelDefaults() { return *modelDefaults_; }

    // What the model at `path` loads on: its own device when it has one this machine offers, else the app's.
    BackendChoice backendFor(const QString& path) const;

    // Loads the window (Ponder.Ui's Main.qml) into `engine` with the controllers as its required properties.
    // False when it failed (QML errors go to the log).
    bool loadWindow(QQmlApplicationEngine& engine);

private:
    QString loadedModelId() const; // the library's id of the loaded model, empty when none is
    // The loaded model's defaults to the chat: its context length (else the app's) and what new
    // conversations start with.
    void applyModelDefaults();

    // Declared in the order they depend on one another; destroyed in reverse (controllers, engine, store).
    std::unique_ptr<AppSettings> settings_;
    std::unique_ptr<controllers::ModelDefaultsStore> modelDefaults_;
    std::unique_ptr<storage::ConversationStore> store_;
    std::unique_ptr<app::Engine> engine_;
    std::unique_ptr<controllers::ModelController> model_;
    std::unique_ptr<controllers::ChatController> chat_;
    std::unique_ptr<controllers::ConversationsController> conversations_;
    std::unique_ptr<library::ModelLibrary> library_;
    std::unique_ptr<ModelDownloads> downloads_; // into the library's models folder
};

} // namespace ponder::desktop
