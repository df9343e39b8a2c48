// GenerationSession end to end on a tiny synthetic Qwen3 (random weights, the real tokenizer and chat
// template) with the CPU backend. Random weights never stop or think on their own, so answers run with
// ignoreEos and greedy sampling, and thinking is forced through the prompt (generateFromIds with a prompt
// ending in "<think>\n", as the Qwen3-2507 Thinking template renders it).
#include "test_backend.h"
#include "backend/cpu/cpu_backend.h"
#include "core/error.h"
#include "generation/context_trimmer.h"
#include "generation/generation_session.h"
#include "generation/prefix_reuse.h"
#include "generation/thinking_budget.h"
#include "synth/synth.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace ponder;

namespace {

ChatMessage message(std::string role, std::string content)
{
    ChatMessage m;
    m.role = std::move(role);
    m.content = std::move(content);
    return m;
}

struct Collected {
    GenerationResult result;
    std::vector<GenerationEvent> events;   // logits spans cleared
    std::vector<std::int32_t> tokens;      // ids of the Token events
    std::vector<std::vector<float>> logits; // per token, when wanted
};

GenerationSettings greedy(std::int64_t maxTokens)
{
    GenerationSettings s;
    SamplingParams p;
    p.greedy = true;
    s.sampling = p;
    s.maxTokens = maxTokens;
    s.ignoreEos = true;
    return s;
}

std::vector<std::int32_t> join(std::span<const std::int32_t> a, std::span<const std::int32_t> b)
{
    std::vector<std::int32_t> out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

double maxRelativeDifference(const std::vector<float>& a, const std::vector<float>& b)
{
    double diff = 0, scale = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff = std::max(diff, std::abs(static_cast<double>(a[i]) - b[i]));
        scale = std::max(scale, std::abs(static_cast<double>(b[i])));
    }
    return a.size() == b.size() && scale > 0 ? diff / scale : INFINITY;
}

// Decode samples from the backend's highest logits where that is exact (Backend::topLogits); asking for
// the logits (wantLogits) samples from the whole row instead. Both must give the same tokens, greedy and
// seeded sampling, with and without penalties.
std::vector<GenerationSettings> decodeSettings()
{
    std::vector<GenerationSettings> all;
    all.push_back(greedy(12));
    GenerationSettings penalised = greedy(12);
    penalised.sampling->repetitionPenalty = 1.3;
    penalised.sampling->presencePenalty = 0.5;
    all.push_back(penalised);
    for (const double presence : {0.0, 1.5}) {
        GenerationSettings sampled = greedy(12);
        sampled.sampling = SamplingParams{}; // T 0.7, top-k 20, top-p 0.8
        sampled.sampling->temperature = 1.5;  // random weights: flat enough that draws differ
        sampled.sampling->presencePenalty = presence;
        sampled.sampling->seed = 42;
        all.push_back(sampled);
    }
    return all;
}

} // namespace

class TestGenerationSession : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<ModelFile> model_;
    std::unique_ptr<Backend> backend_;
    std::unique_ptr<Qwen3Forward> forward_;

    std::unique_ptr<GenerationSession> session(std::int64_t capacity = 1024)
    {
        return std::make_unique<GenerationSession>(*model_, *forward_, capacity);
    }
    std::vector<std::int32_t> encode(const ChatRequest& r, ThinkingSupport support = ThinkingSupport::Hybrid) const
    {
        return model_->tokenizer().encode(formatChat(r, support));
    }

    template <typename Call>
    static Collected collect(Call&& call)
    {
        Collected c;
        const EventSink sink = [&](const GenerationEvent& e) {
            c.events.push_back(e);
            c.events.back().logits = {};
            if (e.kind == GenerationEvent::Kind::Token && e.id >= 0) {
                c.tokens.push_back(e.id);
                c.logits.emplace_back(e.logits.begin(), e.logits.end());
            }
        };
        c.result = call(sink);
        return c;
    }
    Collected run(GenerationSession& s, const ChatRequest& r, const GenerationSettings& settings,
                  const std::atomic<bool>* cancel = nullptr)
    {
        return collect([&](const EventSink& sink) { return s.generate(r, settings, sink, cancel); });
    }
    Collected runIds(GenerationSession& s, std::span<const std::int32_t> ids, const GenerationSettings& settings)
    {
        return collect([&](const EventSink& sink) { return s.generateFromIds(ids, settings, sink); });
    }

    static ChatRequest firstTurn()
    {
        ChatRequest r;
        r.messages = {message("system", "You are a helpful assistant."), message("user", "What is 2 + 2?")};
        return r;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        SynthOptions options;
        options.preset = "tiny-dense";
        options.type = "f32";
        options.tokenizerDir = test::tokenizerJson().parent_path();
        options.out = dir_.filePath("tiny.gguf").toStdString();
        writeSyntheticModel(options);
        model_ = ModelFile::open(options.out);
        QCOMPARE(model_->thinking(), ThinkingSupport::Hybrid);
        backend_ = test::makeTestBackend(1);
        qInfo("backend: %s", backend_->name().c_str());
        forward_ = std::make_unique<Qwen3Forward>(model_->config(), model_->weights(), *backend_);
    }

    void cleanupTestCase() { QVERIFY(test::noValidationMessages(*backend_)); }

    void firstTurnCachesPromptAndAnswer()
    {
        auto s = session();
        const Collected c = run(*s, firstTurn(), greedy(6));
        const auto prompt = encode(firstTurn());
        QCOMPARE(c.result.reason, StopReason::Length);
        QCOMPARE(c.result.promptTokens, static_cast<std::int64_t>(prompt.size()));
        QCOMPARE(c.result.reusedTokens, std::int64_t(0));
        QCOMPARE(c.result.generatedTokens, std::int64_t(6));
        QCOMPARE(c.tokens.size(), std::size_t(6));
        // Prompt plus the tokens fed back (the last one was not: nothing reads its logits).
        const auto fed = std::span(c.tokens).first(5);
        const auto cached = s->cachedIds();
        QCOMPARE(std::vector<std::int32_t>(cached.begin(), cached.end()), join(prompt, fed));
        QVERIFY(c.result.prefillSeconds > 0 && c.result.decodeSeconds > 0);
        QVERIFY(c.result.prefillTokensPerSecond() > 0 && c.result.decodeTokensPerSecond() > 0);
        std::string streamed;
        for (const auto& e : c.events)
            streamed += e.text;
        QCOMPARE(streamed, c.result.reasoning + c.result.content);
    }

    // Decode samples from the backend's highest logits where that is exact (Backend::topLogits); asking for
    // the logits (wantLogits) samples from the whole row instead. Both must give the same tokens.
    void candidatePathMatchesAllLogits()
    {
        for (const GenerationSettings& settings : decodeSettings()) {
            auto a = session();
            const Collected fromCandidates = run(*a, firstTurn(), settings);
            GenerationSettings full = settings;
            full.wantLogits = true;
            auto b = session();
            const Collected fromAll = run(*b, firstTurn(), full);
            QCOMPARE(fromCandidates.tokens, fromAll.tokens);
            QVERIFY(fromCandidates.result.sampledFromCandidates > 0);
            QCOMPARE(fromAll.result.sampledFromCandidates, std::int64_t(0));
            if (!settings.sampling->greedy)
                QVERIFY(std::set<std::int32_t>(fromAll.tokens.begin(), fromAll.tokens.end()).size() > 1);
        }
    }

    // The backend under test gives the CPU reference's tokens (on Vulkan: the top-k shader, through the
    // whole forward pass).
    void sameTokensAsTheCpuBackend()
    {
        if (!test::testingVulkan())
            QSKIP("the CPU backend is the reference itself");
        auto cpu = createCpuBackend(1);
        Qwen3Forward cpuForward(model_->config(), model_->weights(), *cpu);
        for (const GenerationSettings& settings : decodeSettings()) {
            GenerationSession reference(*model_, cpuForward, 1024);
            auto s = session();
            QCOMPARE(run(*s, firstTurn(), settings).tokens, run(reference, firstTurn(), settings).tokens);
        }
    }

    void prefixReuseMatchesFreshSession()
    {
        auto reusing = session();
        const Collected first = run(*reusing, firstTurn(), greedy(5));
        ChatRequest second = firstTurn();
        second.messages.push_back(message("assistant", first.result.content));
        second.messages.push_back(message("user", "And 3 + 3?"));
        const auto prompt = encode(second);
        const std::int64_t common = commonPrefixLength(reusing->cachedIds(), prompt);
        // The first prompt is all reusable (up to how the answer's first token merges with "assistant\n").
        QVERIFY(common >= static_cast<std::int64_t>(encode(firstTurn()).size()) - 1);
        QVERIFY(common < static_cast<std::int64_t>(prompt.size()));

        GenerationSettings settings = greedy(8);
        settings.wantLogits = true;
        const Collected reused = run(*reusing, second, settings);
        QCOMPARE(reused.result.reusedTokens, common);
        QCOMPARE(reused.result.promptTokens, static_cast<std::int64_t>(prompt.size()));

        auto freshSession = session();
        const Collected fresh = run(*freshSession, second, settings);
        QCOMPARE(fresh.result.reusedTokens, std::int64_t(0));
        QCOMPARE(reused.tokens, fresh.tokens);
        QCOMPARE(reused.logits.size(), fresh.logits.size());
        for (std::size_t i = 0; i < fresh.logits.size(); ++i) {
            QCOMPARE(fresh.logits[i].size(), static_cast<std::size_t>(model_->config().vocabSize));
            QVERIFY2(maxRelativeDifference(reused.logits[i], fresh.logits[i]) < 1e-5,
                     qPrintable(QString("token %1").arg(i)));
        }
        QCOMPARE(std::vector<std::int32_t>(reusing->cachedIds().begin(), reusing->cachedIds().end()),
                 std::vector<std::int32_t>(freshSession->cachedIds().begin(), freshSession->cachedIds().end()));
    }

    void wholePromptCachedRunsLastPositionAgain()
    {
        auto s = session();
        const auto prompt = encode(firstTurn());
        const Collected warm = run(*s, firstTurn(), greedy(0));
        QCOMPARE(warm.result.reason, StopReason::Length);
        QVERIFY(warm.events.empty());
        QCOMPARE(s->cachedIds().size(), prompt.size());

        const Collected again = run(*s, firstTurn(), greedy(4));
        QCOMPARE(again.result.reusedTokens, static_cast<std::int64_t>(prompt.size()) - 1);
        auto freshSession = session();
        QCOMPARE(again.tokens, run(*freshSession, firstTurn(), greedy(4)).tokens);
    }

    void cancelAfterThreeTokens()
    {
        auto s = session();
        std::atomic<bool> cancel{false};
        int seen = 0;
        const EventSink sink = [&](const GenerationEvent& e) {
            if (e.kind == GenerationEvent::Kind::Token && ++seen == 3)
                cancel = true;
        };
        const GenerationResult result = s->generate(firstTurn(), greedy(50), sink, &cancel);
        QCOMPARE(result.reason, StopReason::Cancelled);
        QCOMPARE(result.generatedTokens, std::int64_t(3));
        QCOMPARE(seen, 3);
        QCOMPARE(s->cachedIds().size(), encode(firstTurn()).size() + 2);

        // Cancelled before it starts: nothing is computed.
        auto idle = session();
        const GenerationResult none = idle->generate(firstTurn(), greedy(50), sink, &cancel);
        QCOMPARE(none.reason, StopReason::Cancelled);
        QCOMPARE(none.generatedTokens, std::int64_t(0));
        QVERIFY(idle->cachedIds().empty());
    }

    void maxTokensEndsWithLength()
    {
        auto s = session();
        const Collected c = run(*s, firstTurn(), greedy(3));
        QCOMPARE(c.result.reason, StopReason::Length);
        QCOMPARE(c.tokens.size(), std::size_t(3));
    }

    void thinkingBudgetClosesReasoning()
    {
        // The 2507 Thinking template's prompt ends in "<think>\n": generation starts in reasoning.
        const auto prompt = encode(firstTurn(), ThinkingSupport::ThinkingOnly);
        QVERIFY(std::string_view(formatChat(firstTurn(), ThinkingSupport::ThinkingOnly)).ends_with("<think>\n"));
        const std::int64_t budget = 4;
        GenerationSettings settings = greedy(10);
        settings.thinkingBudget = budget;
        auto s = session();
        const Collected c = runIds(*s, prompt, settings);

        QVERIFY(c.result.budgetReached);
        QCOMPARE(c.result.reasoningTokens, budget);
        QCOMPARE(c.result.generatedTokens, std::int64_t(10));
        // Exactly `budget` reasoning tokens, then BudgetReached, then only content.
        std::size_t at = 0;
        for (; at < c.events.size() && c.events[at].kind == GenerationEvent::Kind::Token; ++at)
            QCOMPARE(c.events[at].channel, Channel::Reasoning);
        QCOMPARE(at, static_cast<std::size_t>(budget));
        QCOMPARE(c.events.at(at).kind, GenerationEvent::Kind::BudgetReached);
        for (++at; at < c.events.size(); ++at) {
            QCOMPARE(c.events[at].kind, GenerationEvent::Kind::Token);
            QCOMPARE(c.events[at].channel, Channel::Content);
        }
        // The cache: prompt, the reasoning tokens, the closing text, the answer (its last token not fed).
        auto expected = join(prompt, std::span(c.tokens).first(budget));
        expected = join(expected, thinkingBudgetClosingIds(model_->tokenizer()));
        expected = join(expected, std::span(c.tokens).subspan(budget, c.tokens.size() - budget - 1));
        QCOMPARE(std::vector<std::int32_t>(s->cachedIds().begin(), s->cachedIds().end()), expected);

        // Without a budget the same model keeps reasoning past that point with the same first tokens.
        auto unlimited = session();
        const Collected free = runIds(*unlimited, prompt, greedy(static_cast<std::int64_t>(budget) + 1));
        QCOMPARE(std::vector<std::int32_t>(free.tokens.begin(), free.tokens.begin() + budget),
                 std::vector<std::int32_t>(c.tokens.begin(), c.tokens.begin() + budget));
        QVERIFY(!free.result.budgetReached);
        QCOMPARE(free.result.reasoningTokens, budget + 1);
        QVERIFY(free.result.content.empty());
    }

    void thinkingModeRendering()
    {
        ChatRequest off = firstTurn();
        off.enableThinking = false;
        const auto nonThinking = encode(off);
        const auto thinking = encode(firstTurn());
        const auto emptyBlock = model_->tokenizer().encode("<think>\n\n</think>\n\n");
        QVERIFY(std::equal(emptyBlock.rbegin(), emptyBlock.rend(), nonThinking.rbegin()));
        const auto cachedPrompt = [&](const ChatRequest& r, GenerationSettings settings) {
            auto s = session();
            settings.maxTokens = 0;
            run(*s, r, settings);
            return std::vector<std::int32_t>(s->cachedIds().begin(), s->cachedIds().end());
        };
        GenerationSettings budgetZero = greedy(0);
        budgetZero.thinkingBudget = 0;
        QCOMPARE(cachedPrompt(firstTurn(), budgetZero), nonThinking);
        GenerationSettings noThinking = greedy(0);
        noThinking.thinking = false;
        QCOMPARE(cachedPrompt(firstTurn(), noThinking), nonThinking);
        QCOMPARE(cachedPrompt(firstTurn(), greedy(0)), thinking);      // hybrid default: thinking on
        QCOMPARE(cachedPrompt(off, greedy(0)), nonThinking);           // the request's own switch
        GenerationSettings forcedOn = greedy(0);
        forcedOn.thinking = true;
        QCOMPARE(cachedPrompt(off, forcedOn), thinking);               // the settings win
    }

    void contextOverflowDropsOldestTurns()
    {
        ChatRequest r;
        r.messages = {message("system", "You are a helpful assistant."),
                      message("user", "Tell me about the moon."), message("assistant", "It orbits the Earth."),
                      message("user", "And the sun?"), message("assistant", "It is a star."),
                      message("user", "Mars?"), message("assistant", "The red planet."),
                      message("user", "Which is biggest?")};
        const auto size = [&](std::size_t turns) {
            return static_cast<std::int64_t>(encode(dropOldestTurns(r, turns)).size());
        };
        const std::int64_t maxTokens = 8;
        // Room for the prompt without its oldest turn and the answer, not for the whole conversation.
        const std::int64_t capacity = size(1) + maxTokens;
        QVERIFY(size(0) + maxTokens > capacity && capacity / 4 >= maxTokens);

        auto s = session(capacity);
        const Collected c = run(*s, r, greedy(maxTokens));
        QCOMPARE(c.events.front().kind, GenerationEvent::Kind::ContextTrimmed);
        QCOMPARE(c.events.front().droppedMessages, std::int64_t(2));
        QCOMPARE(c.result.promptTokens, size(1));
        const auto kept = encode(dropOldestTurns(r, 1));
        QVERIFY(std::equal(kept.begin(), kept.end(), s->cachedIds().begin()));
        QVERIFY(formatChat(dropOldestTurns(r, 1)).starts_with("<|im_start|>system\nYou are a helpful"));
        QCOMPARE(c.result.generatedTokens, maxTokens);

        // Too small for the system message and the last question: a clear error, nothing computed.
        auto tiny = session(size(3) + 1);
        QVERIFY_THROWS_EXCEPTION(Error, run(*tiny, r, greedy(maxTokens)));
        QVERIFY(tiny->cachedIds().empty());
    }

    void fullCacheEndsWithLength()
    {
        const auto prompt = encode(firstTurn());
        auto s = session(static_cast<std::int64_t>(prompt.size()) + 3);
        const Collected c = runIds(*s, prompt, greedy(100));
        QCOMPARE(c.result.reason, StopReason::Length);
        QCOMPARE(c.result.generatedTokens, std::int64_t(4));
        QCOMPARE(s->cachedIds().size(), prompt.size() + 3);
    }

    void badInput()
    {
        QVERIFY_THROWS_EXCEPTION(Error, session(0));
        QVERIFY_THROWS_EXCEPTION(Error, session(model_->config().contextLength + 1));
        auto s = session(64);
        GenerationSettings negative = greedy(-1);
        QVERIFY_THROWS_EXCEPTION(Error, s->generate(firstTurn(), negative, {}));
        GenerationSettings budget = greedy(4);
        budget.thinkingBudget = -2;
        QVERIFY_THROWS_EXCEPTION(Error, s->generate(firstTurn(), budget, {}));
        QVERIFY_THROWS_EXCEPTION(Error, s->generateFromIds({}, greedy(4), {}));
        const std::int32_t outside[] = {1, static_cast<std::int32_t>(model_->config().vocabSize)};
        QVERIFY_THROWS_EXCEPTION(Error, s->generateFromIds(outside, greedy(4), {}));
        std::vector<std::int32_t> tooLong(65, 1);
        QVERIFY_THROWS_EXCEPTION(Error, s->generateFromIds(tooLong, greedy(4), {}));
        QVERIFY(s->cachedIds().empty());
    }
};

QTEST_GUILESS_MAIN(TestGenerationSession)
#include "test_generation_session.moc"
