// The scripted synthetic model (`ponder-cli synth --preset scripted`): loaded through the real loaders and run
// by the real engine, it thinks and answers exactly its script under Qwen3's recommended sampling, in every
// file format, with and without thinking, across turns and under a thinking budget. The app's end-to-end tests
// rely on this.
#include "backend/cpu/cpu_backend.h"
#include "core/error.h"
#include "generation/generation_session.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ponder;

namespace {

struct LoadedModel {
    std::unique_ptr<ModelFile> file;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<Qwen3Forward> forward;
};

ChatRequest hello()
{
    ChatRequest r;
    ChatMessage user;
    user.role = "user";
    user.content = "Hello!";
    r.messages = {user};
    return r;
}

GenerationResult generate(GenerationSession& session, const ChatRequest& request, GenerationSettings settings = {})
{
    return session.generate(request, settings, [](const GenerationEvent&) {});
}

} // namespace

class TestScriptedModel : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    const SynthScript script_;

    std::filesystem::path write(const std::string& name, SynthFormat format, const std::string& type,
                                const SynthScript& script = {})
    {
        SynthOptions o;
        o.preset = kScriptedPreset;
        o.format = format;
        o.type = type;
        o.script = script;
        o.tokenizerDir = test::tokenizerJson().parent_path();
        o.out = dir_.filePath(QString::fromStdString(name)).toStdString();
        writeSyntheticModel(o);
        return o.out;
    }

    static LoadedModel load(const std::filesystem::path& path)
    {
        LoadedModel m;
        m.file = ModelFile::open(path);
        m.backend = createCpuBackend(1);
        m.forward = std::make_unique<Qwen3Forward>(m.file->config(), m.file->weights(), *m.backend);
        return m;
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void thinkingTurnFollowsTheScript_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("type");
        QTest::newRow("gguf f32") << "s-f32.gguf" << int(SynthFormat::Gguf) << "f32";
        QTest::newRow("gguf q8_0") << "s-q8.gguf" << int(SynthFormat::Gguf) << "q8_0";
        QTest::newRow("gguf q4_k_m") << "s-q4km.gguf" << int(SynthFormat::Gguf) << "q4_k_m";
        QTest::newRow("hf bf16") << "s-hf" << int(SynthFormat::HuggingFace) << "bf16";
    }
    void thinkingTurnFollowsTheScript()
    {
        QFETCH(QString, name);
        QFETCH(int, format);
        QFETCH(QString, type);
        LoadedModel m = load(write(name.toStdString(), SynthFormat(format), type.toStdString()));
        QCOMPARE(m.file->thinking(), ThinkingSupport::Hybrid);
        for (std::uint64_t seed : {1u, 2u, 3u}) { // the recommended thinking sampling, several seeds
            GenerationSession session(*m.file, *m.forward, 1024);
            GenerationSettings settings;
            settings.sampling = recommendedSampling(true, m.file->generationDefaults());
            settings.sampling->seed = seed;
            const GenerationResult r = generate(session, hello(), settings);
            QCOMPARE(r.reason, StopReason::Stop);
            QCOMPARE(QString::fromStdString(r.reasoning), QString::fromStdString(script_.reasoning));
            QCOMPARE(QString::fromStdString(r.content), QString::fromStdString(script_.answer));
            QVERIFY(r.reasoningTokens > 2);
        }
    }

    void nonThinkingTurnAnswersAtOnce()
    {
        LoadedModel m = load(write("s-nothink.gguf", SynthFormat::Gguf, "f32"));
        GenerationSession session(*m.file, *m.forward, 1024);
        GenerationSettings settings;
        settings.thinking = false;
        const GenerationResult r = generate(session, hello(), settings);
        QCOMPARE(r.reason, StopReason::Stop);
        QCOMPARE(QString::fromStdString(r.reasoning), QString());
        QCOMPARE(r.reasoningTokens, std::int64_t(0));
        QCOMPARE(QString::fromStdString(r.content), QString::fromStdString(script_.answer));
    }

    void followUpTurnReusesTheCacheAndRepeatsTheScript()
    {
        LoadedModel m = load(write("s-turns.gguf", SynthFormat::Gguf, "f32"));
        GenerationSession session(*m.file, *m.forward, 2048);
        ChatRequest request = hello();
        const GenerationResult first = generate(session, request);
        ChatMessage reply;
        reply.role = "assistant";
        reply.content = first.content;
        ChatMessage again;
        again.role = "user";
        again.content = "Say it once more.";
        request.messages.push_back(reply);
        request.messages.push_back(again);
        const GenerationResult second = generate(session, request);
        QVERIFY(second.reusedTokens > 0);
        QCOMPARE(QString::fromStdString(second.reasoning), QString::fromStdString(script_.reasoning));
        QCOMPARE(QString::fromStdString(second.content), QString::fromStdString(script_.answer));
    }

    void thinkingBudgetCutsTheReasoningAndTheAnswerFollows()
    {
        LoadedModel m = load(write("s-budget.gguf", SynthFormat::Gguf, "f32"));
        GenerationSession session(*m.file, *m.forward, 1024);
        GenerationSettings settings;
        settings.thinkingBudget = 4;
        const GenerationResult r = generate(session, hello(), settings);
        QVERIFY(r.budgetReached);
        QCOMPARE(r.reasoningTokens, std::int64_t(4));
        QVERIFY(script_.reasoning.starts_with(r.reasoning));
        QVERIFY(r.reasoning.size() < script_.reasoning.size());
        QCOMPARE(QString::fromStdString(r.content), QString::fromStdString(script_.answer));
    }

    void customScriptInChinese()
    {
        SynthScript chinese;
        chinese.reasoning = "用户在打招呼，我应当友好地回应";
        chinese.answer = "你好！很高兴见到你。";
        LoadedModel m = load(write("s-zh.gguf", SynthFormat::Gguf, "f16", chinese));
        GenerationSession session(*m.file, *m.forward, 1024);
        const GenerationResult r = generate(session, hello());
        QCOMPARE(QString::fromStdString(r.reasoning), QString::fromStdString(chinese.reasoning));
        QCOMPARE(QString::fromStdString(r.content), QString::fromStdString(chinese.answer));
    }

    void repeatedTokenIsRefusedByName()
    {
        SynthScript repeats;
        repeats.reasoning = "Fine";
        repeats.answer = "no yes or yes";
        try {
            write("s-bad.gguf", SynthFormat::Gguf, "f32", repeats);
            QFAIL("a script with a repeated token was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("' yes'") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("twice") != std::string::npos, e.what());
        }
        QVERIFY(!std::filesystem::exists(dir_.filePath("s-bad.gguf").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestScriptedModel)
#include "test_scripted_model.moc"
