#pragma once
// The C++ types QML sees, registered under the module "Ponder" without touching their classes (they live in
// libraries with no QML dependency). The app makes every instance; QML only binds to them — except the
// editors, small objects a dialog makes for what it edits (ModelDefaultsEditor).
#include "app_settings.h"
#include "controllers/chat_controller.h"
#include "controllers/conversations_controller.h"
#include "controllers/model_controller.h"
#include "controllers/model_defaults.h"
#include "controllers/model_defaults_editor.h"
#include "download/download.h"
#include "download/download_list_model.h"
#include "library/model_library.h"
#include "library/model_library_sort_model.h"
#include "models/conversation_list_model.h"
#include "model_downloads.h"
#include "models/message_list_model.h"

#include <QtQml/qqml.h>

namespace ponder::desktop {

struct ChatControllerForeign {
    Q_GADGET
    QML_FOREIGN(ponder::controllers::ChatController)
    QML_NAMED_ELEMENT(ChatController)
    QML_UNCREATABLE("made by the app")
};

struct ConversationsControllerForeign {
    Q_GADGET
    QML_FOREIGN(ponder::controllers::ConversationsController)
    QML_NAMED_ELEMENT(ConversationsController)
    QML_UNCREATABLE("made by the app")
};

struct ModelControllerForeign {
    Q_GADGET
    QML_FOREIGN(ponder::controllers::ModelController)
    QML_NAMED_ELEMENT(ModelController)
    QML_UNCREATABLE("made by the app")
};

struct ModelDefaultsStoreForeign {
    Q_GADGET
    QML_FOREIGN(ponder::controllers::ModelDefaultsStore)
    QML_NAMED_ELEMENT(ModelDefaultsStore)
    QML_UNCREATABLE("made by the app")
};

// Made by ModelDefaultsDialog, over the app's ModelDefaultsStore.
struct ModelDefaultsEditorForeign {
    Q_GADGET
    QML_FOREIGN(ponder::controllers::ModelDefaultsEditor)
    QML_NAMED_ELEMENT(ModelDefaultsEditor)
};

struct AppSettingsForeign {
    Q_GADGET
    QML_FOREIGN(ponder::desktop::AppSettings)
    QML_NAMED_ELEMENT(AppSettings)
    QML_UNCREATABLE("made by the app")
};

struct ConversationListModelForeign {
    Q_GADGET
    QML_FOREIGN(ponder::models::ConversationListModel)
    QML_NAMED_ELEMENT(ConversationListModel)
    QML_UNCREATABLE("made by the app")
};

struct MessageListModelForeign {
    Q_GADGET
    QML_FOREIGN(ponder::models::MessageListModel)
    QML_NAMED_ELEMENT(MessageListModel)
    QML_UNCREATABLE("made by the app")
};

struct ModelLibraryForeign {
    Q_GADGET
    QML_FOREIGN(ponder::library::ModelLibrary)
    QML_NAMED_ELEMENT(ModelLibrary)
    QML_UNCREATABLE("made by the app")
};

struct ModelLibraryModelForeign {
    Q_GADGET
    QML_FOREIGN(ponder::library::ModelLibraryModel)
    QML_NAMED_ELEMENT(ModelLibraryModel)
    QML_UNCREATABLE("made by the app")
};

// Made in QML over library.entries (the Installed tab's sorted, filtered list).
struct ModelLibrarySortModelForeign {
    Q_GADGET
    QML_FOREIGN(ponder::library::ModelLibrarySortModel)
    QML_NAMED_ELEMENT(ModelLibrarySortModel)
};

struct ModelDownloadsForeign {
    Q_GADGET
    QML_FOREIGN(ponder::desktop::ModelDownloads)
    QML_NAMED_ELEMENT(ModelDownloads)
    QML_UNCREATABLE("made by the app")
};

struct DownloadListModelForeign {
    Q_GADGET
    QML_FOREIGN(ponder::download::DownloadListModel)
    QML_NAMED_ELEMENT(DownloadListModel)
    QML_UNCREATABLE("made by the app")
};

// For its State enum (Download.Finished and so on) in the Downloads tab.
struct DownloadForeign {
    Q_GADGET
    QML_FOREIGN(ponder::download::Download)
    QML_NAMED_ELEMENT(Download)
    QML_UNCREATABLE("made by the app")
};

} // namespace ponder::desktop
