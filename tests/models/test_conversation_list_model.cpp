// ConversationListModel: date sections, and refreshes that keep rows when only contents change, move the one
// conversation that changed place, and reset only otherwise. QAbstractItemModelTester watches every change.
#include "models/conversation_list_model.h"
#include "models/conversation_sections.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace ponder;
using namespace ponder::models;

namespace {

const QDate kToday(2026, 12, 3);

storage::Conversation conversation(qint64 id, const QString& title, int daysAgo, bool pinned = false)
{
    storage::Conversation c;
    c.id = id;
    c.title = title;
    c.pinned = pinned;
    c.updatedAt = QDateTime(kToday.addDays(-daysAgo), QTime(12, 0));
    return c;
}

QList<qint64> ids(const ConversationListModel& model)
{
    QList<qint64> out;
    for (int r = 0; r < model.rowCount(); ++r)
        out << model.data(model.index(r), ConversationListModel::ConversationIdRole).toLongLong();
    return out;
}

} // namespace

class TestConversationListModel : public QObject {
    Q_OBJECT

private slots:
    void sections()
    {
        const auto at = [](int daysAgo) { return QDateTime(kToday.addDays(-daysAgo), QTime(9, 0)); };
        QCOMPARE(conversationSection(true, at(100), kToday), QStringLiteral("pinned"));
        QCOMPARE(conversationSection(false, at(0), kToday), QStringLiteral("today"));
        QCOMPARE(conversationSection(false, at(-1), kToday), QStringLiteral("today")); // clock skew
        QCOMPARE(conversationSection(false, at(1), kToday), QStringLiteral("yesterday"));
        QCOMPARE(conversationSection(false, at(7), kToday), QStringLiteral("week"));
        QCOMPARE(conversationSection(false, at(8), kToday), QStringLiteral("month"));
        QCOMPARE(conversationSection(false, at(30), kToday), QStringLiteral("month"));
        QCOMPARE(conversationSection(false, QDateTime(QDate(2026, 5, 20), QTime(9, 0)), kToday),
                 QStringLiteral("2026-05"));
    }

    void rolesAndRows()
    {
        ConversationListModel model(nullptr, [] { return kToday; });
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy count(&model, &ConversationListModel::countChanged);
        model.refresh({conversation(3, "Pinned one", 40, true), conversation(1, "Fresh", 0), conversation(2, "Old", 2)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(count.count(), 1);
        const QHash<int, QByteArray> names = model.roleNames();
        const auto value = [&](int row, const char* role) { return model.data(model.index(row), names.key(role)); };
        QCOMPARE(value(0, "title").toString(), QStringLiteral("Pinned one"));
        QCOMPARE(value(0, "section").toString(), QStringLiteral("pinned"));
        QCOMPARE(value(1, "section").toString(), QStringLiteral("today"));
        QCOMPARE(value(2, "section").toString(), QStringLiteral("week"));
        QCOMPARE(value(2, "conversationId").toLongLong(), qint64(2));
        QCOMPARE(model.rowOf(2), 2);
        QCOMPARE(model.rowOf(99), -1);
        QCOMPARE(model.at(1)->title, QStringLiteral("Fresh"));
        QVERIFY(model.at(3) == nullptr);
    }

    void contentChangesSignalOnlyTheirRow()
    {
        ConversationListModel model(nullptr, [] { return kToday; });
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh({conversation(1, "A", 0), conversation(2, "B", 1), conversation(3, "C", 2)});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refresh({conversation(1, "A", 0), conversation(2, "B renamed", 1), conversation(3, "C", 2)});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(model.at(1)->title, QStringLiteral("B renamed"));
    }

    void theConversationWrittenToMovesToTheTop()
    {
        ConversationListModel model(nullptr, [] { return kToday; });
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh({conversation(1, "A", 0), conversation(2, "B", 1), conversation(3, "C", 2)});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        model.refresh({conversation(3, "C", 0), conversation(1, "A", 0), conversation(2, "B", 1)});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(moved.count(), 1);
        QCOMPARE(ids(model), (QList<qint64>{3, 1, 2}));
        QCOMPARE(model.data(model.index(0), ConversationListModel::SectionRole).toString(), QStringLiteral("today"));
        // And one moving down (unpinned, say).
        model.refresh({conversation(1, "A", 0), conversation(2, "B", 1), conversation(3, "C", 3)});
        QCOMPARE(moved.count(), 2);
        QCOMPARE(ids(model), (QList<qint64>{1, 2, 3}));
        QCOMPARE(reset.count(), 0);
    }

    void otherChangesReset()
    {
        ConversationListModel model(nullptr, [] { return kToday; });
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh({conversation(1, "A", 0), conversation(2, "B", 1)});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy count(&model, &ConversationListModel::countChanged);
        model.refresh({conversation(4, "New", 0), conversation(1, "A", 0), conversation(2, "B", 1)});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(count.count(), 1);
        QCOMPARE(ids(model), (QList<qint64>{4, 1, 2}));
        model.refresh({conversation(2, "B", 1), conversation(1, "A", 0), conversation(4, "New", 0)}); // reversed
        QCOMPARE(reset.count(), 2);
        QCOMPARE(count.count(), 1);
        model.refresh({});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(count.count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestConversationListModel)
#include "test_conversation_list_model.moc"
