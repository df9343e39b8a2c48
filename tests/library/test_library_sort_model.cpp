// The Installed tab's sorted, filtered view of the library (ModelLibrarySortModel) over a ModelLibraryModel of
// hand-made entries, under QAbstractItemModelTester: each sort key both ways (ties in name order, unreadable
// files last), hidden rows left out unless asked for, and the view following the rows as they change (a hide,
// a "last used" stamp, a new memory estimate, a new scan, a delete).
#include "library/model_library_model.h"
#include "library/model_library_sort_model.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace ponder::library;
using SortKey = ModelLibrarySortModel::SortKey;

namespace {

ModelEntry entry(const QString& name, qint64 fileBytes, qint64 parameters, qint64 weightsBytes, qint64 layers = 2)
{
    ModelEntry e;
    e.id = name + QStringLiteral("-id");
    e.path = QStringLiteral("/models/") + name + QStringLiteral(".gguf");
    e.name = name;
    e.source = QStringLiteral("ponder");
    e.locations = {{e.source, e.path}};
    e.fileBytes = fileBytes;
    e.parameters = parameters;
    e.weightsBytes = weightsBytes;
    e.layerCount = layers;
    e.kvHeadCount = 2;
    e.headDim = 64;
    return e;
}

ModelEntry failedEntry(const QString& name)
{
    ModelEntry e = entry(name, 10, 0, 0);
    e.error = QStringLiteral("truncated");
    return e;
}

QStringList names(const QAbstractItemModel& model)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row)
        list << model.index(row, 0).data(ModelLibraryModel::NameRole).toString();
    return list;
}

} // namespace

class TestLibrarySortModel : public QObject {
    Q_OBJECT

    ModelLibraryModel source_;
    ModelLibrarySortModel sorted_;
    std::unique_ptr<QAbstractItemModelTester> tester_;

private slots:
    void init()
    {
        // Names, file sizes, parameters and weights (what the memory estimate follows) in different orders;
        // "delta" and "echo" tie on size; "broken" could not be read.
        source_.setEntries({
            entry(QStringLiteral("charlie"), 300, 30, 3000),
            failedEntry(QStringLiteral("broken")),
            entry(QStringLiteral("alpha"), 100, 50, 1000),
            entry(QStringLiteral("echo"), 200, 10, 5000),
            entry(QStringLiteral("delta"), 200, 40, 2000),
        });
        sorted_.setSortKey(SortKey::Name);
        sorted_.setAscending(true);
        sorted_.setShowHidden(false);
        sorted_.setSourceModel(&source_);
        tester_ = std::make_unique<QAbstractItemModelTester>(&sorted_, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        tester_.reset();
        sorted_.setSourceModel(nullptr);
        source_.setEntries({});
        source_.setHidden({});
    }

    void sortsByEachKeyBothWays()
    {
        QCOMPARE(sorted_.rowCount(), 5);
        QCOMPARE(sorted_.count(), 5);
        QCOMPARE(names(sorted_), (QStringList{"alpha", "charlie", "delta", "echo", "broken"}));
        QSignalSpy keyChanged(&sorted_, &ModelLibrarySortModel::sortKeyChanged);
        sorted_.setSortKey(SortKey::Size);
        QCOMPARE(keyChanged.size(), 1);
        QCOMPARE(names(sorted_), (QStringList{"alpha", "delta", "echo", "charlie", "broken"}));
        QSignalSpy directionChanged(&sorted_, &ModelLibrarySortModel::ascendingChanged);
        sorted_.setAscending(false);
        QCOMPARE(directionChanged.size(), 1);
        // The tie stays in name order, and the unreadable file stays last.
        QCOMPARE(names(sorted_), (QStringList{"charlie", "delta", "echo", "alpha", "broken"}));
        sorted_.setSortKey(SortKey::Parameters);
        QCOMPARE(names(sorted_), (QStringList{"alpha", "delta", "charlie", "echo", "broken"}));
        sorted_.setAscending(true);
        QCOMPARE(names(sorted_), (QStringList{"echo", "charlie", "delta", "alpha", "broken"}));
        sorted_.setSortKey(SortKey::Memory);
        QCOMPARE(names(sorted_), (QStringList{"alpha", "delta", "charlie", "echo", "broken"}));
        sorted_.setSortKey(SortKey::Name);
        sorted_.setAscending(false);
        QCOMPARE(names(sorted_), (QStringList{"echo", "delta", "charlie", "alpha", "broken"}));
        sorted_.setAscending(false); // no change, no signal
        QCOMPARE(directionChanged.size(), 3);
    }

    void lastUsedSortsNeverUsedAsOldest()
    {
        sorted_.setSortKey(SortKey::LastUsed);
        sorted_.setAscending(false); // the most recent first
        QCOMPARE(names(sorted_), (QStringList{"alpha", "charlie", "delta", "echo", "broken"})); // none used: by name
        const QDateTime now = QDateTime::currentDateTimeUtc();
        source_.setLastUsed(QStringLiteral("echo-id"), now.addDays(-2));
        QCOMPARE(names(sorted_), (QStringList{"echo", "alpha", "charlie", "delta", "broken"}));
        source_.setLastUsed(QStringLiteral("delta-id"), now);
        QCOMPARE(names(sorted_), (QStringList{"delta", "echo", "alpha", "charlie", "broken"}));
        sorted_.setAscending(true);
        QCOMPARE(names(sorted_), (QStringList{"alpha", "charlie", "echo", "delta", "broken"}));
    }

    void memoryOrderFollowsTheEstimate()
    {
        // Same weights, different depth: the KV cache decides, and more context widens the gap.
        source_.setEntries({entry(QStringLiteral("deep"), 1, 1, 1000, 64), entry(QStringLiteral("shallow"), 1, 1, 10000000, 1)});
        sorted_.setSortKey(SortKey::Memory);
        source_.setEstimateContext(16);
        QCOMPARE(names(sorted_), (QStringList{"deep", "shallow"}));
        source_.setEstimateContext(65536);
        QCOMPARE(names(sorted_), (QStringList{"shallow", "deep"}));
    }

    void hiddenRowsShowOnlyWhenAsked()
    {
        QSignalSpy count(&sorted_, &ModelLibrarySortModel::countChanged);
        source_.setHidden({QStringLiteral("charlie-id"), QStringLiteral("broken-id")});
        QCOMPARE(names(sorted_), (QStringList{"alpha", "delta", "echo"}));
        QCOMPARE(sorted_.count(), 3);
        QVERIFY(!count.isEmpty());
        sorted_.setShowHidden(true);
        QCOMPARE(names(sorted_), (QStringList{"alpha", "charlie", "delta", "echo", "broken"}));
        QVERIFY(sorted_.index(1, 0).data(ModelLibraryModel::HiddenRole).toBool());
        sorted_.setShowHidden(false);
        source_.setHidden({QStringLiteral("broken-id")});
        QCOMPARE(names(sorted_), (QStringList{"alpha", "charlie", "delta", "echo"}));
    }

    void followsNewScansAndDeletes()
    {
        QSignalSpy count(&sorted_, &ModelLibrarySortModel::countChanged);
        source_.removeEntry(QStringLiteral("delta-id"));
        QCOMPARE(names(sorted_), (QStringList{"alpha", "charlie", "echo", "broken"}));
        QCOMPARE(sorted_.count(), 4);
        QVERIFY(!count.isEmpty());
        source_.removeEntry(QStringLiteral("nobody"));
        QCOMPARE(sorted_.count(), 4);
        source_.setEntries({entry(QStringLiteral("zulu"), 1, 1, 1), entry(QStringLiteral("yankee"), 1, 1, 1)});
        QCOMPARE(names(sorted_), (QStringList{"yankee", "zulu"}));
        QCOMPARE(sorted_.count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestLibrarySortModel)
#include "test_library_sort_model.moc"
