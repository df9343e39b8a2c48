#include "app_services.h"

#include "library/test_model.h"

#include <QDateTime>
#include <QDir>

namespace ponder::desktop {

AppServices::AppServices(const QString& dataDir)
{
    settings_ = std::make_unique<AppSettings>(dataDir);
    QDir().mkpath(dataDir);
    store_ = std::make_unique<storage::ConversationStore>(QDir(dataDir).filePath(QStringLiteral("conversations.db")));
    // A delete's undo ends with the session that made it.
    store_->purgeDeletedBefore(QDateTime::currentDateTimeUtc());
    engine_ = std::make_unique<app::Engine>();
    model_ = std::make_unique<controllers::ModelController>(*engine_);
    chat_ = std::make_unique<controllers::ChatController>(*store_, *engine_);
    conversations_ = std::make_unique<controllers::ConversationsController>(*store_, *chat_);
    QObject::connect(model_.get(), &controllers::ModelController::modelChanged, chat_.get(), [this] {
        chat_->setModel(model_->summary());
        settings_->setModelLoaded(model_->summary().has_value(), model_->summary() ? model_->summary()->contextLength : 0);
    });
    // The settings apply to the next turn (context length) and the next load (device).
    model_->setBackend(settings_->backendChoice());
    chat_->setContextLength(settings_->effectiveContextLength());
    QObject::connect(settings_.get(), &AppSettings::deviceChanged, model_.get(),
                     [this] { model_->setBackend(settings_->backendChoice()); });
    QObject::connect(settings_.get(), &AppSettings::contextLengthChanged, chat_.get(),
                     [this] { chat_->setContextLength(settings_->effectiveContextLength()); });
    library_ = std::make_unique<library::ModelLibrary>(QDir(dataDir).filePath(QStringLiteral("models")),
                                                       library::testModelTokenizerDir(),
                                                       library::storeRootsFromEnvironment());
    // The library's memory estimates follow the context length chosen in the settings.
    library_->entries()->setEstimateContext(settings_->contextLength());
    QObject::connect(settings_.get(), &AppSettings::contextLengthChanged, library_.get(),
                     [this] { library_->entries()->setEstimateContext(settings_->contextLength()); });
    // The test model is made to be tried at once.
    QObject::connect(library_.get(), &library::ModelLibrary::testModelCreated, model_.get(),
                     &controllers::ModelController::load);
    // The library never deletes the model in use, and lists when each model was last loaded.
    QObject::connect(model_.get(), &controllers::ModelController::modelChanged, library_.get(), [this] {
        using State = controllers::ModelController::State;
        const State state = model_->state();
        library_->setModelInUse(state == State::Ready || state == State::Loading ? model_->path() : QString());
        if (state == State::Ready)
            library_->recordUse(model_->path());
    });
    downloads_ = std::make_unique<ModelDownloads>(*settings_, *library_);
}

AppServices::~AppServices() = default;

bool AppServices::loadWindow(QQmlApplicationEngine& engine)
{
    settings_->setQmlEngine(&engine);
    engine.setInitialProperties({
        {QStringLiteral("settings"), QVariant::fromValue(settings_.get())},
        {QStringLiteral("chat"), QVariant::fromValue(chat_.get())},
        {QStringLiteral("conversations"), QVariant::fromValue(conversations_.get())},
        {QStringLiteral("model"), QVariant::fromValue(model_.get())},
        {QStringLiteral("library"), QVariant::fromValue(library_.get())},
        {QStringLiteral("downloads"), QVariant::fromValue(downloads_.get())},
    });
    engine.load(QUrl(QStringLiteral("qrc:/Ponder/Ui/Main.qml")));
    return !engine.rootObjects().isEmpty();
}

} // namespace ponder::desktop
