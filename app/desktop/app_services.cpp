#include "app_services.h"

#include "library/model_identity.h"
#include "library/test_model.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <exception>

namespace ponder::desktop {

AppServices::AppServices(const QString& dataDir)
{
    settings_ = std::make_unique<AppSettings>(dataDir);
    modelDefaults_ = std::make_unique<controllers::ModelDefaultsStore>();
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
        applyModelDefaults();
    });
    // The settings apply to the next turn (context length) and the next load (device), unless the model has
    // its own.
    model_->setBackendFor([this](const QString& path) { return backendFor(path); });
    applyModelDefaults();
    QObject::connect(settings_.get(), &AppSettings::contextLengthChanged, chat_.get(), [this] { applyModelDefaults(); });
    QObject::connect(modelDefaults_.get(), &controllers::ModelDefaultsStore::changed, chat_.get(), [this](const QString& id) {
        if (id == loadedModelId())
            applyModelDefaults();
    });
    library_ = std::make_unique<library::ModelLibrary>(QDir(dataDir).filePath(QStringLiteral("models")),
                                                       library::testModelTokenizerDir(),
                                                       library::storeRootsFromEnvironment());
    // The library's memory estimates follow the context length chosen in the settings.
    library_->entries()->setEstimateContext(settings_->contextLength());
    QObject::connect(settings_.get(), &AppSettings::contextLengthChanged, library_.get(),
                     [this] { library_->entries()->setEstimateContext(settings_->contextLength()); });
    QObject::connect(settings_.get(), &AppSettings::languageChanged, library_.get(),
                     [this] { library_->entries()->retranslate(); });
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

namespace {

QString idOfModel(const QString& path)
{
    const QString canonical = QFileInfo(path).canonicalFilePath(); // as the library's scan names it
    return library::modelId(canonical.isEmpty() ? path : canonical);
}

} // namespace

BackendChoice AppServices::backendFor(const QString& path) const
{
    QString device;
    try {
        device = modelDefaults_->defaults(idOfModel(path)).device;
    } catch (const std::exception& e) {
        qWarning("AppServices: %s", e.what());
    }
    // A device gone from this machine (a GPU removed) falls back to the app's choice rather than failing.
    if (!device.isEmpty() && !settings_->offersDevice(device)) {
        qWarning("AppServices: the model's device \"%s\" is not on this machine; the app's device is used",
                 qPrintable(device));
        device.clear();
    }
    return AppSettings::backendChoiceOf(device.isEmpty() ? settings_->device() : device);
}

QString AppServices::loadedModelId() const
{
    return model_->summary() ? idOfModel(model_->summary()->path) : QString();
}

void AppServices::applyModelDefaults()
{
    controllers::ModelDefaults defaults;
    if (const QString id = loadedModelId(); !id.isEmpty()) {
        try {
            defaults = modelDefaults_->defaults(id);
        } catch (const std::exception& e) {
            qWarning("AppServices: %s", e.what());
        }
    }
    chat_->setModelDefaults(defaults);
    qint64 context = settings_->effectiveContextLength();
    if (defaults.contextLength > 0) {
        const qint64 maximum = model_->summary() ? model_->summary()->contextLength : 0;
        context = maximum > 0 ? std::min<qint64>(defaults.contextLength, maximum) : defaults.contextLength;
    }
    chat_->setContextLength(context);
}

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
        {QStringLiteral("modelDefaults"), QVariant::fromValue(modelDefaults_.get())},
    });
    engine.load(QUrl(QStringLiteral("qrc:/Ponder/Ui/Main.qml")));
    return !engine.rootObjects().isEmpty();
}

} // namespace ponder::desktop
