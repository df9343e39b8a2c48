// Thinking on and off across the three kinds of Qwen3 model. The thinking-only and no-thinking models are
// the tiny synthetic model written with the Qwen3-2507 Thinking / Instruct chat templates
// (tests/chat/templates/), so generate() renders their prompts end to end: a thinking-only prompt opens
// <think> itself, so the answer starts as reasoning and the thinking budget applies from the first token.
#include "backend/cpu/cpu_backend.h"
#include "generation/generation_policy.h"
#include "generation/generation_session.h"
#include "generation/thinking_budget.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace ponder;

namespace {

struct Loaded {
    std::unique_ptr<ModelFile> file;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<Qwen3Forward> forward;
};

// The tiny model with the real tokenizer and `templateFile`'s chat template.
Loaded writeModel(const QTemporaryDir& dir, const std::string& name, const std::string& templateFile)
{
    const std::filesystem::path tokenizerDir = dir.filePath(QString::fromStdString(name + "-tokenizer")).toStdString();
    std::filesystem::create_directories(tokenizerDir);
    std::filesystem::copy_file(test::tokenizerJson(), tokenizerDir / "tokenizer.json");
    auto config = nlohmann::json::parse(test::readFile(test::tokenizerConfigJson()));
    config["chat_template"] = test::readFile(test::testsSourceDir() / "chat" / "templates" / templateFile);
    test::writeFile(tokenizerDir / "tokenizer_config.json", config.dump());

    SynthOptions options;
    options.preset = "tiny-dense";
    options.tokenizerDir = tokenizerDir;
    options.out = dir.filePath(QString::fromStdString(name + ".gguf")).toStdString();
    writeSyntheticModel(options);
    Loaded loaded;
    loaded.file = ModelFile::open(options.out);
    loaded.backend = createCpuBackend(1);
    loaded.forward = std::make_unique<Qwen3Forward>(loaded.file->config(), loaded.file->weights(), *loaded.backend);
    return loaded;
}

ChatRequest question()
{
    ChatRequest r;
    ChatMessage user;
    user.role = "user";
    user.content = "Why is the sky blue?";
    r.messages = {user};
    return r;
}

GenerationSettings greedy(std::int64_t maxTokens, std::int64_t budget = -1)
{
    GenerationSettings s;
    SamplingParams p;
    p.greedy = true;
    s.sampling = p;
    s.maxTokens = maxTokens;
    s.ignoreEos = true;
    s.thinkingBudget = budget;
    return s;
}

struct Collected {
    GenerationResult result;
    std::vector<GenerationEvent> events;
    std::vector<std::int32_t> tokens;
};

Collected generate(GenerationSession& session, const ChatRequest& r, const GenerationSettings& settings)
{
    Collected c;
    c.result = session.generate(r, settings, [&](const GenerationEvent& e) {
        c.events.push_back(e);
        c.events.back().logits = {};
        if (e.kind == GenerationEvent::Kind::Token && e.id >= 0)
            c.tokens.push_back(e.id);
    });
    return c;
}

std::vector<std::int32_t> toVector(std::span<const std::int32_t> ids) { return {ids.begin(), ids.end()}; }

} // namespace

class TestThinkingModels : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    Loaded thinkingOnly_, instruct_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        thinkingOnly_ = writeModel(dir_, "thinking", "qwen3-2507-thinking.jinja");
        instruct_ = writeModel(dir_, "instruct", "qwen3-2507-instruct.jinja");
        QCOMPARE(thinkingOnly_.file->thinking(), ThinkingSupport::ThinkingOnly);
        QCOMPARE(instruct_.file->thinking(), ThinkingSupport::None);
    }

    void thinkingResolution()
    {
        GenerationSettings s;
        QVERIFY(!resolveThinking(ThinkingSupport::None, s, true));
        QVERIFY(resolveThinking(ThinkingSupport::ThinkingOnly, s, false));
        QVERIFY(resolveThinking(ThinkingSupport::Hybrid, s, std::nullopt));
        QVERIFY(!resolveThinking(ThinkingSupport::Hybrid, s, false));
        s.thinking = true;
        QVERIFY(resolveThinking(ThinkingSupport::Hybrid, s, false));
        QVERIFY(!resolveThinking(ThinkingSupport::None, s, true));
        s.thinkingBudget = 0;
        QVERIFY(!resolveThinking(ThinkingSupport::Hybrid, s, true));
        QVERIFY(resolveThinking(ThinkingSupport::ThinkingOnly, s, true)); // it cannot switch off; the budget closes
        QCOMPARE(answerReserve(2048, 40960), std::int64_t(2048));
        QCOMPARE(answerReserve(32768, 40960), std::int64_t(10240));
        QCOMPARE(answerReserve(0, 40960), std::int64_t(0));
    }

    void thinkingOnlyStartsInReasoning()
    {
        GenerationSession session(*thinkingOnly_.file, *thinkingOnly_.forward, 512);
        const Collected c = generate(session, question(), greedy(5));
        const std::string text = formatChat(question(), ThinkingSupport::ThinkingOnly);
        QVERIFY(text.ends_with("<|im_start|>assistant\n<think>\n"));
        const auto prompt = thinkingOnly_.file->tokenizer().encode(text);
        QCOMPARE(c.result.promptTokens, static_cast<std::int64_t>(prompt.size()));
        QCOMPARE(c.tokens.size(), std::size_t(5));
        for (const auto& e : c.events)
            QCOMPARE(e.channel, Channel::Reasoning);
        QCOMPARE(c.result.reasoningTokens, std::int64_t(5));
        QVERIFY(c.result.content.empty());
    }

    void thinkingOnlyBudget()
    {
        GenerationSession session(*thinkingOnly_.file, *thinkingOnly_.forward, 512);
        const Collected c = generate(session, question(), greedy(8, 3));
        QVERIFY(c.result.budgetReached);
        QCOMPARE(c.result.reasoningTokens, std::int64_t(3));
        QCOMPARE(c.events.at(3).kind, GenerationEvent::Kind::BudgetReached);
        QCOMPARE(c.events.back().channel, Channel::Content);

        // Budget 0: the closing text follows the prompt directly, before anything is sampled.
        GenerationSession zero(*thinkingOnly_.file, *thinkingOnly_.forward, 512);
        const Collected z = generate(zero, question(), greedy(4, 0));
        QCOMPARE(z.events.front().kind, GenerationEvent::Kind::BudgetReached);
        QVERIFY(z.result.reasoning.empty());
        QCOMPARE(z.result.reasoningTokens, std::int64_t(0));
        const auto& tokenizer = thinkingOnly_.file->tokenizer();
        auto expected = tokenizer.encode(formatChat(question(), ThinkingSupport::ThinkingOnly));
        const auto closing = thinkingBudgetClosingIds(tokenizer);
        expected.insert(expected.end(), closing.begin(), closing.end());
        expected.insert(expected.end(), z.tokens.begin(), z.tokens.end() - 1);
        QCOMPARE(toVector(zero.cachedIds()), expected);
        for (std::size_t i = 1; i < z.events.size(); ++i)
            QCOMPARE(z.events[i].channel, Channel::Content);
    }

    void instructNeverThinks()
    {
        GenerationSession session(*instruct_.file, *instruct_.forward, 512);
        GenerationSettings settings = greedy(0);
        settings.thinking = true; // not something this model can do
        generate(session, question(), settings);
        const std::string text = formatChat(question(), ThinkingSupport::None);
        QVERIFY(text.ends_with("<|im_start|>assistant\n"));
        QCOMPARE(toVector(session.cachedIds()), instruct_.file->tokenizer().encode(text));
    }
};

QTEST_GUILESS_MAIN(TestThinkingModels)
#include "test_thinking_models.moc"
