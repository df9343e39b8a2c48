// Backend::topLogits on the GPU (shaders/top_k.comp) against a full host sort: every kind of row (ties across
// the k-th place, -inf, signed zeros, NaN), vocabulary sizes that are multiples of nothing and one level of
// selection or several (1025 and up), k from 1 to the limit, from the middle row of an activation. Also: a
// repeated call replays its recording, and bad arguments are refused. Validation layer on.
#include "backend/vulkan/vulkan_backend.h"
#include "../backend/top_logits_cases.h"
#include "core/error.h"

#include <QTest>

#include <cstring>
#include <memory>

using namespace ponder;
using namespace ponder::test;

class TestVulkanTopLogits : public QObject {
    Q_OBJECT

    std::unique_ptr<VulkanBackend> gpu_;

    // An activation of three rows with `row` in the middle (the shader addresses rows by offset).
    Activation middleRow(const std::vector<float>& row)
    {
        const auto length = static_cast<std::int64_t>(row.size());
        std::vector<float> rows = logitRow(LogitRow::Random, 3 * length, 99);
        std::copy(row.begin(), row.end(), rows.begin() + length);
        Activation a = gpu_->allocate(3, length);
        gpu_->writeRows(a, rows);
        return a;
    }

    void check(LogitRow kind, std::int64_t length, std::initializer_list<std::int64_t> ks)
    {
        const std::vector<float> row = logitRow(kind, length, static_cast<std::uint32_t>(length) + 3);
        const Activation x = middleRow(row);
        for (const std::int64_t k : ks)
            if (k <= length)
                QVERIFY(sameCandidates(gpu_->topLogits(x, 1, k), referenceTopLogits(row, static_cast<std::size_t>(k)),
                                       std::string(logitRowName(kind)) + " length " + std::to_string(length) + " k " +
                                           std::to_string(k)));
    }

private slots:
    void initTestCase()
    {
        VulkanOptions options{"", true};
        options.topLogits = VulkanOptions::TopLogits::Gpu; // CPU devices would select on the host
        gpu_ = createVulkanBackend(options);
        qInfo("device: %s", gpu_->device().name.c_str());
    }

    // Selecting on the host (the choice on CPU devices) gives the same candidates.
    void hostSelectionAgrees()
    {
        VulkanOptions options{"", true};
        options.topLogits = VulkanOptions::TopLogits::Host;
        auto host = createVulkanBackend(options);
        for (LogitRow kind : {LogitRow::Random, LogitRow::Ties}) {
            const std::int64_t length = 4099;
            const auto row = logitRow(kind, length, 5);
            std::vector<float> rows(static_cast<std::size_t>(3 * length), 0.0f);
            std::copy(row.begin(), row.end(), rows.begin() + length);
            Activation x = host->allocate(3, length);
            host->writeRows(x, rows);
            for (std::int64_t k : {1, 20, 256})
                QVERIFY(sameCandidates(host->topLogits(x, 1, k), referenceTopLogits(row, static_cast<std::size_t>(k)),
                                       "host k " + std::to_string(k)));
        }
        QVERIFY(host->validationMessages().empty());
    }

    void cleanupTestCase()
    {
        const auto messages = gpu_->validationMessages();
        for (const auto& m : messages)
            qWarning("%s", m.c_str());
        QVERIFY(messages.empty());
    }

    void everyKindOfRow()
    {
        for (const LogitRow kind : kAllLogitRows)
            for (const std::int64_t length : {1, 67, 1000, 1024, 1025, 4099})
                check(kind, length, {1, 2, 20, 64, 256});
    }

    // Qwen3's vocabulary: three levels for k = 20, five for k = 256.
    void qwenVocabulary()
    {
        for (const LogitRow kind : {LogitRow::Random, LogitRow::Ties, LogitRow::Masked, LogitRow::WithNaN})
            check(kind, 151936, {1, 20, 256});
    }

    // A tie at the boundary of two workgroups' slices and among the very last entries.
    void tiesAcrossSlices()
    {
        std::vector<float> row(5000, -1.0f);
        for (const std::size_t i : {1023u, 1024u, 2047u, 2048u, 4999u, 4998u, 3u})
            row[i] = 7.0f;
        const Activation x = middleRow(row);
        for (const std::int64_t k : {1, 4, 7, 8, 30})
            QVERIFY(sameCandidates(gpu_->topLogits(x, 1, k), referenceTopLogits(row, static_cast<std::size_t>(k)),
                                   "ties across slices, k " + std::to_string(k)));
    }

    // The same call twice records once: a decode step's top-k adds no recording cost.
    void repeatedCallReplays()
    {
        const std::vector<float> row = logitRow(LogitRow::Random, 3000, 5);
        const Activation x = middleRow(row);
        const auto first = gpu_->topLogits(x, 1, 20);
        const std::uint64_t replayed = gpu_->replayedSubmissions();
        const auto second = gpu_->topLogits(x, 1, 20);
        QCOMPARE(gpu_->replayedSubmissions(), replayed + 1);
        QVERIFY(sameCandidates(second, first, "replayed"));
    }

    void badArgumentsAreRefused()
    {
        const Activation x = middleRow(logitRow(LogitRow::Random, 10, 1));
        QVERIFY_THROWS_EXCEPTION(Error, gpu_->topLogits(x, 3, 1));
        QVERIFY_THROWS_EXCEPTION(Error, gpu_->topLogits(x, 1, 0));
        QVERIFY_THROWS_EXCEPTION(Error, gpu_->topLogits(x, 1, 11));
        const Activation wide = gpu_->allocate(1, kMaxTopLogits + 1);
        QVERIFY_THROWS_EXCEPTION(Error, gpu_->topLogits(wide, 0, kMaxTopLogits + 1));
    }
};

QTEST_GUILESS_MAIN(TestVulkanTopLogits)
#include "test_vulkan_top_logits.moc"
