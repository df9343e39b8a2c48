#include "qml_test_setup.h"

#include "qml_plugins.h"
#include "qml_types.h"

#include <QCoreApplication>
#include <QDir>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QStandardPaths>

namespace ponder::test {

QmlFixture::QmlFixture()
{
    if (!dir_.isValid())
        qFatal("no scratch folder for the QML tests");
    store_ = std::make_unique<storage::ConversationStore>(dir_.filePath(QStringLiteral("conversations.db")));
    engine_ = std::make_unique<app::Engine>();
    chat_ = std::make_unique<controllers::ChatController>(*store_, *engine_);
}

QmlFixture::~QmlFixture() = default;

void QmlFixture::clearMessages()
{
    messages_.setMessages({});
}

void QmlFixture::addUserMessage(const QString& text)
{
    storage::Message m;
    m.id = nextMessageId_++;
    m.position = messages_.rowCount();
    m.role = storage::MessageRole::User;
    m.content = text;
    messages_.append(m);
}

qint64 QmlFixture::startReply()
{
    storage::Message m;
    m.id = nextMessageId_++;
    m.position = messages_.rowCount();
    m.role = storage::MessageRole::Assistant;
    m.status = storage::MessageStatus::Streaming;
    messages_.append(m);
    return m.id;
}

void QmlFixture::stream(qint64 messageId, const QString& reasoning, const QString& content, int reasoningTokens,
                        double reasoningSeconds, bool cut)
{
    models::StreamedText streamed;
    streamed.reasoning = reasoning;
    streamed.content = content;
    streamed.reasoningTokens = reasoningTokens;
    streamed.reasoningSeconds = reasoningSeconds;
    streamed.reasoningCut = cut;
    const storage::Message* m = messages_.at(messages_.rowOf(messageId));
    streamed.tokens = (m ? m->tokens : 0) + 1;
    messages_.appendStreamed(messageId, streamed);
}

void QmlFixture::finishReply(qint64 messageId)
{
    const storage::Message* m = messages_.at(messages_.rowOf(messageId));
    if (!m)
        return;
    storage::Message done = *m;
    done.status = storage::MessageStatus::Complete;
    messages_.update(done);
}

void QmlTestSetup::applicationAvailable()
{
    // The pane's collapsed state is a Qt.labs.settings value: keep it out of the user's settings.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
    QCoreApplication::setApplicationName(QStringLiteral("PonderQmlTests"));
    QQuickStyle::setStyle(QStringLiteral("Material"));
    qmlRegisterSingletonType<QmlFixture>("PonderTest", 1, 0, "Fixture",
                                         [](QQmlEngine*, QJSEngine*) -> QObject* { return new QmlFixture; });
}

void QmlTestSetup::qmlEngineAvailable(QQmlEngine* engine)
{
    engine->addImportPath(QStringLiteral("qrc:/"));
}

} // namespace ponder::test
