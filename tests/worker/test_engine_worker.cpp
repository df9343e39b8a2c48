// The engine worker thread on the real engine (CPU backend) with synthetic models: load and load errors,
// streaming deltas that add up to the scripted model's reasoning and answer, follow-up turns reusing the
// conversation's cache, conversations kept apart, cancel (running and queued), session eviction under the
// memory budget, and generating with no model.
#include "engine_test_util.h"
#include "worker/session_cache.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>

using namespace ponder;
using namespace ponder::app;

namespace {

ChatMessage message(std::string role, std::string content)
{
    ChatMessage m;
    m.role = std::move(role);
    m.content = std::move(content);
    return m;
}

GenerationRequest ask(qint64 conversation, std::vector<ChatMessage> messages, std::int64_t maxTokens = 256)
{
    GenerationRequest r;
    r.conversationId = conversation;
    r.chat.messages = std::move(messages);
    r.settings.maxTokens = maxTokens;
    r.contextLength = 1024;
    return r;
}

// Deltas and the outcome of one request, gathered from the engine's signals.
struct Stream {
    QString reasoning, content;
    int deltas = 0;
    std::optional<GenerationOutcome> outcome;
};

} // namespace

class TestEngineWorker : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string scripted_, random_;
    const SynthScript script_;

    // Collects every request's stream until `requests` have finished.
    static std::map<quint64, Stream> collect(Engine& engine, const std::function<void()>& start, int requests)
    {
        std::map<quint64, Stream> streams;
        waitForStreams(engine, start, requests, streams);
        if (QTest::currentTestFailed()) // the outcomes the caller reads are missing
            qFatal("the engine's requests did not finish in time");
        return streams;
    }
    static void waitForStreams(Engine& engine, const std::function<void()>& start, int requests,
                               std::map<quint64, Stream>& streams)
    {
        int finished = 0;
        const auto c1 = connect(&engine, &Engine::generationDelta, &engine, [&](const GenerationDelta& d) {
            Stream& s = streams[d.requestId];
            s.reasoning += d.reasoning;
            s.content += d.content;
            ++s.deltas;
        });
        const auto c2 = connect(&engine, &Engine::generationFinished, &engine, [&](const GenerationOutcome& o) {
            streams[o.requestId].outcome = o;
            ++finished;
        });
        start();
        QTRY_COMPARE_WITH_TIMEOUT(finished, requests, 120000);
        disconnect(c1);
        disconnect(c2);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        scripted_ = test::writeTestModel(dir_, kScriptedPreset, "scripted.gguf");
        random_ = test::writeTestModel(dir_, "tiny-dense", "random.gguf");
    }

    void loadReportsTheModel()
    {
        Engine engine;
        QSignalSpy started(&engine, &Engine::loadStarted);
        const ModelSummary summary = test::loadOnCpu(engine, scripted_);
        QCOMPARE(started.count(), 1);
        QCOMPARE(summary.path, QString::fromStdString(scripted_));
        QCOMPARE(summary.name, QStringLiteral("Ponder synthetic scripted"));
        QVERIFY2(summary.backendName.startsWith(QStringLiteral("cpu")), qPrintable(summary.backendName));
        QCOMPARE(summary.thinking, ThinkingSupport::Hybrid);
        QCOMPARE(summary.contextLength, qint64(4096));
        QVERIFY(!summary.moe);
    }

    // Progress goes 0 first and 1 last, rising in steps of at least 2% (few signals), on the CPU (weights used in
    // place) and on Vulkan (weights uploaded tensor by tensor) where a device is there (lavapipe in CI).
    void loadProgressRisesToOne_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("cpu") << QStringLiteral("cpu");
        QTest::newRow("vulkan") << QStringLiteral("vulkan");
    }
    void loadProgressRisesToOne()
    {
        QFETCH(QString, backend);
        Engine engine;
        QSignalSpy progress(&engine, &Engine::loadProgress);
        QSignalSpy loaded(&engine, &Engine::loaded);
        QSignalSpy failed(&engine, &Engine::loadFailed);
        LoadRequest request = test::cpuLoad(scripted_);
        request.backend.backend = backend.toStdString();
        engine.load(request);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() || !failed.isEmpty(), 120000);
        if (!failed.isEmpty() && backend != QLatin1String("cpu"))
            QSKIP(qPrintable(QStringLiteral("no Vulkan device: ") + failed.first().at(1).toString()));
        QVERIFY(failed.isEmpty());
        QVERIFY(progress.size() >= 2);
        QVERIFY(progress.size() <= 52);
        std::vector<double> fractions;
        for (const QList<QVariant>& signal : progress) {
            QCOMPARE(signal.at(0).toString(), request.path);
            fractions.push_back(signal.at(1).toDouble());
        }
        QCOMPARE(fractions.front(), 0.0);
        QCOMPARE(fractions.back(), 1.0);
        for (std::size_t i = 1; i < fractions.size(); ++i) {
            QVERIFY2(fractions[i] > fractions[i - 1], qPrintable(QString::number(fractions[i])));
            if (fractions[i] < 1.0)
                QVERIFY(fractions[i] - fractions[i - 1] >= 0.02 - 1e-12);
        }
        if (backend == QLatin1String("vulkan")) {
            const bool uploading = std::any_of(fractions.begin(), fractions.end(),
                                               [](double f) { return f > 0.05 + 1e-9 && f < 1.0; });
            QVERIFY2(uploading, "the upload reported no progress of its own");
        }
    }

    void loadErrorsNameTheFileAndTheEngineCarriesOn()
    {
        const std::string broken = dir_.filePath("broken.gguf").toStdString();
        std::ofstream(broken) << "GGUF but not really";
        Engine engine;
        QSignalSpy failed(&engine, &Engine::loadFailed);
        engine.load(test::cpuLoad(broken));
        QVERIFY(failed.wait(30000));
        const QString error = failed.takeFirst().at(1).toString();
        QVERIFY2(error.contains(QStringLiteral("broken.gguf")), qPrintable(error));
        test::loadOnCpu(engine, scripted_); // still works
    }

    void noModelFailsTheRequestWithAReason()
    {
        Engine engine;
        const auto streams = collect(engine, [&] { engine.generate(ask(1, {message("user", "Hello!")})); }, 1);
        const GenerationOutcome& o = *streams.begin()->second.outcome;
        QCOMPARE(o.status, GenerationStatus::Failed);
        QVERIFY(!o.error.isEmpty());
    }

    void deltasAddUpToTheScriptAndFollowUpsReuseTheCache()
    {
        Engine engine;
        test::loadOnCpu(engine, scripted_);
        QSignalSpy started(&engine, &Engine::generationStarted);
        std::vector<ChatMessage> history{message("user", "Hello!")};
        quint64 id = 0;
        auto streams = collect(engine, [&] { id = engine.generate(ask(5, history)); }, 1);
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.at(0).at(0).toLongLong(), qint64(5));
        const Stream& first = streams[id];
        QCOMPARE(first.outcome->status, GenerationStatus::Complete);
        QCOMPARE(first.outcome->conversationId, qint64(5));
        QCOMPARE(first.reasoning.trimmed(), QString::fromStdString(script_.reasoning));
        QCOMPARE(first.outcome->reasoning, QString::fromStdString(script_.reasoning));
        QCOMPARE(first.content.trimmed(), QString::fromStdString(script_.answer));
        QCOMPARE(first.outcome->content, QString::fromStdString(script_.answer));
        QVERIFY(first.deltas >= 1);
        QVERIFY(first.outcome->reasoningTokens > 0);
        QCOMPARE(first.outcome->reusedTokens, qint64(0));

        history.push_back(message("assistant", script_.answer));
        history.push_back(message("user", "Again, please."));
        streams = collect(engine, [&] { id = engine.generate(ask(5, history)); }, 1);
        QVERIFY(streams[id].outcome->reusedTokens > 0);
        QCOMPARE(streams[id].outcome->content, QString::fromStdString(script_.answer));
    }

    void conversationsStayApartAndNonThinkingSkipsTheReasoning()
    {
        Engine engine;
        test::loadOnCpu(engine, scripted_);
        quint64 a = 0, b = 0;
        GenerationRequest quiet = ask(2, {message("user", "Hi")});
        quiet.settings.thinking = false;
        const auto streams = collect(engine, [&] {
            a = engine.generate(ask(1, {message("user", "Hello!")}));
            b = engine.generate(quiet);
        }, 2);
        QCOMPARE(streams.at(a).outcome->conversationId, qint64(1));
        QCOMPARE(streams.at(b).outcome->conversationId, qint64(2));
        QCOMPARE(streams.at(a).outcome->reasoning, QString::fromStdString(script_.reasoning));
        QCOMPARE(streams.at(b).outcome->reasoning, QString());
        QCOMPARE(streams.at(b).reasoning, QString());
        QCOMPARE(streams.at(b).outcome->content, QString::fromStdString(script_.answer));
    }

    void cancelStopsTheRunningRequestAndSkipsQueuedOnes()
    {
        Engine engine;
        test::loadOnCpu(engine, random_);
        GenerationRequest endless = ask(1, {message("user", "Talk forever.")}, 100000);
        endless.settings.ignoreEos = true;
        quint64 running = 0, queued = 0;
        QSignalSpy started(&engine, &Engine::generationStarted);
        const auto streams = collect(engine, [&] {
            running = engine.generate(endless);
            queued = engine.generate(ask(2, {message("user", "Next.")}));
            QVERIFY(engine.busy());
            QTRY_VERIFY_WITH_TIMEOUT(started.count() == 1, 30000);
            engine.cancel(queued);
            engine.cancel(running);
        }, 2);
        QCOMPARE(streams.at(running).outcome->status, GenerationStatus::Cancelled);
        QVERIFY(streams.at(running).outcome->generatedTokens < 100000);
        QCOMPARE(streams.at(queued).outcome->status, GenerationStatus::Cancelled);
        QCOMPARE(started.count(), 1); // the queued one never started
        QVERIFY(!engine.busy());
    }

    void sessionsBeyondTheBudgetAreEvicted()
    {
        const auto model = ModelFile::open(scripted_);
        // Room for two conversations' caches of 1024 positions.
        Engine engine(2 * kvCacheBytes(model->config(), 1024));
        test::loadOnCpu(engine, scripted_);
        std::map<qint64, std::vector<ChatMessage>> histories;
        const auto turn = [&](qint64 conversation) {
            auto& h = histories[conversation];
            h.push_back(message("user", "Hello number " + std::to_string(conversation)));
            quint64 id = 0;
            auto streams = collect(engine, [&] { id = engine.generate(ask(conversation, h)); }, 1);
            h.push_back(message("assistant", streams[id].outcome->content.toStdString()));
            return *streams[id].outcome;
        };
        turn(1);
        turn(2);
        QVERIFY(turn(1).reusedTokens > 0); // 1 is now the most recently used
        turn(3);                           // evicts 2
        QVERIFY(turn(1).reusedTokens > 0);
        QCOMPARE(turn(2).reusedTokens, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestEngineWorker)
#include "test_engine_worker.moc"
