// MessageListModel: the transcript's rows and roles, streamed text signalling only its row and the roles that
// changed, finishing, removal from a message on and of one row. QAbstractItemModelTester watches every change.
#include "models/message_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace ponder;
using namespace ponder::models;

namespace {

storage::Message message(qint64 id, storage::MessageRole role, const QString& content,
                         storage::MessageStatus status = storage::MessageStatus::Complete)
{
    storage::Message m;
    m.id = id;
    m.role = role;
    m.content = content;
    m.status = status;
    return m;
}

QList<int> rolesOf(const QList<QVariant>& dataChangedArguments)
{
    return dataChangedArguments.at(2).value<QList<int>>();
}

} // namespace

class TestMessageListModel : public QObject {
    Q_OBJECT

    MessageListModel model_;
    QAbstractItemModelTester tester_{&model_, QAbstractItemModelTester::FailureReportingMode::QtTest};

private slots:
    void init()
    {
        model_.setMessages({message(10, storage::MessageRole::User, "Hello"),
                            message(11, storage::MessageRole::Assistant, "", storage::MessageStatus::Streaming)});
    }

    void rowsAndRoles()
    {
        QCOMPARE(model_.rowCount(), 2);
        const QHash<int, QByteArray> names = model_.roleNames();
        const auto value = [&](int row, const char* role) { return model_.data(model_.index(row), names.key(role)); };
        QCOMPARE(value(0, "role").toString(), QStringLiteral("user"));
        QCOMPARE(value(0, "content").toString(), QStringLiteral("Hello"));
        QCOMPARE(value(0, "status").toString(), QStringLiteral("complete"));
        QCOMPARE(value(1, "role").toString(), QStringLiteral("assistant"));
        QCOMPARE(value(1, "status").toString(), QStringLiteral("streaming"));
        QCOMPARE(value(1, "messageId").toLongLong(), qint64(11));
        QCOMPARE(model_.rowOf(11), 1);
        QCOMPARE(model_.rowOf(12), -1);
        QVERIFY(!model_.data(model_.index(5), MessageListModel::ContentRole).isValid());
    }

    void streamedTextSignalsItsRowAndRolesOnly()
    {
        QSignalSpy changed(&model_, &QAbstractItemModel::dataChanged);
        StreamedText first;
        first.reasoning = "Thinking";
        first.reasoningTokens = 1;
        first.tokens = 1;
        model_.appendStreamed(11, first);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(rolesOf(changed.at(0)), (QList<int>{MessageListModel::ReasoningRole,
                                                     MessageListModel::ReasoningTokensRole, MessageListModel::TokensRole}));
        StreamedText second;
        second.content = "Hi";
        second.reasoningTokens = 1;
        second.tokens = 2;
        model_.appendStreamed(11, second);
        QCOMPARE(rolesOf(changed.at(1)), (QList<int>{MessageListModel::ContentRole, MessageListModel::BlocksRole,
                                                     MessageListModel::TokensRole}));
        StreamedText third;
        third.content = " there";
        third.reasoningTokens = 1;
        third.tokens = 3;
        model_.appendStreamed(11, third);
        QCOMPARE(model_.at(1)->reasoning, QStringLiteral("Thinking"));
        QCOMPARE(model_.at(1)->content, QStringLiteral("Hi there"));
        QCOMPARE(model_.at(1)->tokens, 3);
        model_.appendStreamed(99, third); // a reply of another conversation: ignored
        QCOMPARE(changed.count(), 3);
    }

    void finishAppendAndRemove()
    {
        QSignalSpy changed(&model_, &QAbstractItemModel::dataChanged);
        QSignalSpy count(&model_, &MessageListModel::countChanged);
        storage::Message done = message(11, storage::MessageRole::Assistant, "Hi there");
        done.tokensPerSecond = 42.5;
        model_.update(done);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model_.data(model_.index(1), MessageListModel::StatusRole).toString(), QStringLiteral("complete"));
        QCOMPARE(model_.data(model_.index(1), MessageListModel::TokensPerSecondRole).toDouble(), 42.5);

        model_.append(message(12, storage::MessageRole::User, "More"));
        model_.append(message(13, storage::MessageRole::Assistant, "Sure"));
        QCOMPARE(model_.rowCount(), 4);
        model_.removeFrom(12);
        QCOMPARE(model_.rowCount(), 2);
        QCOMPARE(count.count(), 3);
        model_.removeFrom(99);
        QCOMPARE(model_.rowCount(), 2);
    }

    void removeOneRow()
    {
        model_.append(message(12, storage::MessageRole::User, "More"));
        QSignalSpy removed(&model_, &QAbstractItemModel::rowsRemoved);
        QSignalSpy count(&model_, &MessageListModel::countChanged);
        model_.remove(11);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 1);
        QCOMPARE(removed.at(0).at(2).toInt(), 1);
        QCOMPARE(model_.rowCount(), 2);
        QCOMPARE(model_.at(1)->id, qint64(12)); // the later row moved up
        QCOMPARE(count.count(), 1);
        model_.remove(99);
        QCOMPARE(model_.rowCount(), 2);
        QCOMPARE(removed.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMessageListModel)
#include "test_message_list_model.moc"
