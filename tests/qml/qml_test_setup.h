#pragma once
// What the QML component tests bind the components to: a real ChatController over a scratch store and the
// real engine thread (no model loaded: the thinking controls only read and write its settings), and a real
// MessageListModel the tests grow the way the controller grows it while a reply streams. Exposed to the
// tests as the singleton `Fixture` of the test-only module "PonderTest".
#include "controllers/chat_controller.h"
#include "models/message_list_model.h"
#include "storage/conversation_store.h"
#include "worker/engine.h"

#include <QObject>
#include <QTemporaryDir>

#include <memory>

class QQmlEngine;

namespace ponder::test {

class QmlFixture : public QObject {
    Q_OBJECT
    Q_PROPERTY(ponder::controllers::ChatController* chat READ chat CONSTANT)
    Q_PROPERTY(ponder::models::MessageListModel* messages READ messages CONSTANT)

public:
    QmlFixture();
    ~QmlFixture() override;

    controllers::ChatController* chat() { return chat_.get(); }
    models::MessageListModel* messages() { return &messages_; }

    Q_INVOKABLE void clearMessages();
    Q_INVOKABLE void addUserMessage(const QString& text);
    // A reply that has started streaming; returns its message id.
    Q_INVOKABLE qint64 startReply();
    // What the controller does with one batched delta: new text and the running totals.
    Q_INVOKABLE void stream(qint64 messageId, const QString& reasoning, const QString& content, int reasoningTokens,
                            double reasoningSeconds, bool cut);
    Q_INVOKABLE void finishReply(qint64 messageId);

private:
    QTemporaryDir dir_;
    std::unique_ptr<storage::ConversationStore> store_;
    std::unique_ptr<app::Engine> engine_;
    std::unique_ptr<controllers::ChatController> chat_;
    models::MessageListModel messages_;
    qint64 nextMessageId_ = 1;
};

// Quick Test's setup object (QUICK_TEST_MAIN_WITH_SETUP): settings in a test location, and the fixture
// registered as a singleton type before the tests' QML is compiled. Each test file runs in its own QML
// engine, which makes (and owns) its own fixture.
class QmlTestSetup : public QObject {
    Q_OBJECT

public slots:
    void applicationAvailable();
    void qmlEngineAvailable(QQmlEngine* engine);
};

} // namespace ponder::test
