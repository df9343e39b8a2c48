// decodeAnswer driven by a scripted TokenFeed: each "forward pass" returns logits that make greedy sampling
// pick the next scripted token, so the whole decode state machine (think tags, thinking budget, stops,
// maxTokens, a full cache, cancel, what is fed back) is checked exactly, without a model.
#include "generation/answer_decoder.h"
#include "generation/thinking_budget.h"
#include "test_support.h"

#include <QTest>

#include <memory>

using namespace ponder;

namespace {

class ScriptedFeed final : public TokenFeed {
public:
    ScriptedFeed(std::vector<std::int32_t> prompt, std::vector<std::int32_t> script, std::size_t vocab,
                 std::int64_t capacity)
        : ids_(std::move(prompt)), script_(std::move(script)), vocab_(vocab), capacity_(capacity)
    {
    }

    std::span<const std::int32_t> cachedIds() const override { return ids_; }
    std::int64_t capacity() const override { return capacity_; }
    std::int64_t vocabularySize() const override { return static_cast<std::int64_t>(vocab_); }
    void feed(std::span<const std::int32_t> ids) override
    {
        if (static_cast<std::int64_t>(ids_.size() + ids.size()) > capacity_)
            throw std::runtime_error("fed past the capacity");
        calls.emplace_back(ids.begin(), ids.end());
        ids_.insert(ids_.end(), ids.begin(), ids.end());
        next();
    }
    std::vector<float> logits() override
    {
        ++fullReads;
        return logits_;
    }
    std::vector<TokenCandidate> topLogits(std::int64_t count) override
    {
        ++candidateReads;
        return highestLogits(logits_, static_cast<std::size_t>(count));
    }

    // Logits whose maximum is the next scripted token (the prompt's last position's, before decoding).
    void next()
    {
        logits_.assign(vocab_, 0.0f);
        logits_[static_cast<std::size_t>(script_.at(step_++))] = 10.0f;
    }

    std::vector<std::vector<std::int32_t>> calls; // every feed() call's ids
    int fullReads = 0, candidateReads = 0;         // logits() and topLogits() calls

private:
    std::vector<std::int32_t> ids_;
    std::vector<std::int32_t> script_;
    std::size_t step_ = 0;
    std::vector<float> logits_;
    std::size_t vocab_;
    std::int64_t capacity_;
};

struct Run {
    GenerationResult result;
    std::vector<GenerationEvent> events; // logits spans cleared (they die with the call)
    std::vector<std::vector<float>> logits;
};

} // namespace

class TestAnswerDecoder : public QObject {
    Q_OBJECT

    std::unique_ptr<Tokenizer> tokenizer_;
    ThinkTags tags_;
    std::int32_t imEnd_ = 0, endOfText_ = 0;
    const std::vector<std::int32_t> prompt_{1, 2, 3};

    std::vector<std::int32_t> ids(std::string_view text) const { return tokenizer_->encode(text); }
    std::vector<std::int32_t> join(std::initializer_list<std::vector<std::int32_t>> parts) const
    {
        std::vector<std::int32_t> out;
        for (const auto& part : parts)
            out.insert(out.end(), part.begin(), part.end());
        return out;
    }

    AnswerPlan plan(Channel start = Channel::Content) const
    {
        AnswerPlan p;
        p.start = start;
        p.tags = tags_;
        p.sampling.greedy = true;
        p.stopIds = {imEnd_, endOfText_};
        p.budgetClosingIds = thinkingBudgetClosingIds(*tokenizer_);
        p.maxTokens = 100;
        return p;
    }

    Run decode(ScriptedFeed& feed, const AnswerPlan& p, const std::atomic<bool>* cancel = nullptr,
               const std::function<void(const GenerationEvent&)>& also = {})
    {
        Run run;
        const EventSink sink = [&](const GenerationEvent& event) {
            if (also)
                also(event);
            run.events.push_back(event);
            run.events.back().logits = {};
            run.logits.emplace_back(event.logits.begin(), event.logits.end());
        };
        feed.next();
        decodeAnswer(feed, *tokenizer_, p, sink, cancel, run.result);
        return run;
    }

    static std::vector<std::int32_t> tokenIds(const Run& run)
    {
        std::vector<std::int32_t> out;
        for (const auto& e : run.events)
            if (e.kind == GenerationEvent::Kind::Token && e.id >= 0)
                out.push_back(e.id);
        return out;
    }

    std::size_t vocab() const { return tokenizer_->vocabSize(); }

private slots:
    void initTestCase()
    {
        tokenizer_ = Tokenizer::fromTokenizerJson(test::tokenizerJson());
        tags_ = ThinkTags::lookup(*tokenizer_);
        imEnd_ = *tokenizer_->tokenId("<|im_end|>");
        endOfText_ = *tokenizer_->tokenId("<|endoftext|>");
    }

    void thinkThenAnswerThenStop()
    {
        const auto thought = ids("\nthinking hard\n");
        const auto answer = ids("\n\nDone.");
        const auto script = join({{*tags_.open}, thought, {*tags_.close}, answer, {imEnd_}});
        ScriptedFeed feed(prompt_, script, vocab(), 1000);
        const Run run = decode(feed, plan());
        QCOMPARE(run.result.reason, StopReason::Stop);
        QCOMPARE(run.result.reasoning, std::string("thinking hard"));
        QCOMPARE(run.result.content, std::string("Done."));
        const auto emitted = std::vector<std::int32_t>(script.begin(), script.end() - 1);
        QCOMPARE(tokenIds(run), emitted); // the stop id gives no event
        QCOMPARE(run.result.generatedTokens, static_cast<std::int64_t>(emitted.size()));
        QCOMPARE(run.result.reasoningTokens, static_cast<std::int64_t>(thought.size()));
        QVERIFY(!run.result.budgetReached);
        // Every emitted token was fed, one at a time; the stop id was not.
        QCOMPARE(feed.cachedIds().size(), prompt_.size() + emitted.size());
        for (const auto& call : feed.calls)
            QCOMPARE(call.size(), std::size_t(1));
        // The streamed text per channel is the result's text.
        std::string reasoning, content;
        for (const auto& e : run.events)
            (e.channel == Channel::Reasoning ? reasoning : content) += e.text;
        QCOMPARE(reasoning, run.result.reasoning);
        QCOMPARE(content, run.result.content);
        QVERIFY(run.result.decodeSeconds > 0);
    }

    void budgetClosesReasoning()
    {
        // The model would think for 6 tokens; the budget allows 3.
        const auto thought = ids(" a b c d e f");
        QCOMPARE(thought.size(), std::size_t(6));
        const auto answer = ids("Answer");
        const auto script = join({{*tags_.open}, thought, answer, {imEnd_}});
        ScriptedFeed feed(prompt_, script, vocab(), 1000);
        AnswerPlan p = plan();
        p.thinkingBudget = 3;
        const Run run = decode(feed, p);

        QVERIFY(run.result.budgetReached);
        QCOMPARE(run.result.reasoningTokens, std::int64_t(3));
        QCOMPARE(run.result.reasoning, std::string(" a b c")); // only newlines are trimmed
        // The script moved on after the closing: the next sampled tokens are content.
        QCOMPARE(run.result.content, std::string(" d e f") + "Answer");
        // Events: <think>, 3 reasoning tokens, BudgetReached, then content.
        QCOMPARE(run.events.size(), std::size_t(1 + 3 + 1 + 3 + answer.size()));
        QCOMPARE(run.events[4].kind, GenerationEvent::Kind::BudgetReached);
        for (std::size_t i = 0; i < 4; ++i)
            QCOMPARE(run.events[i].channel, Channel::Reasoning);
        for (std::size_t i = 5; i < run.events.size(); ++i)
            QCOMPARE(run.events[i].channel, Channel::Content);
        // The token that used up the budget and the closing text went through the model in one run.
        const auto closing = thinkingBudgetClosingIds(*tokenizer_);
        QCOMPARE(feed.calls[3], join({{thought[2]}, closing}));
        const auto cached = feed.cachedIds();
        const auto expectedStart = join({prompt_, {*tags_.open}, {thought[0], thought[1], thought[2]}, closing});
        QCOMPARE(std::vector<std::int32_t>(cached.begin(), cached.begin() + expectedStart.size()), expectedStart);
    }

    void zeroBudgetInOpenedPrompt()
    {
        // The prompt opened <think> and the budget is 0: the closing is fed before anything is sampled.
        const auto script = join({ids("x"), ids("Hi"), {imEnd_}});
        ScriptedFeed feed(prompt_, script, vocab(), 1000);
        AnswerPlan p = plan(Channel::Reasoning);
        p.thinkingBudget = 0;
        const Run run = decode(feed, p);
        QCOMPARE(run.events.front().kind, GenerationEvent::Kind::BudgetReached);
        QCOMPARE(feed.calls.front(), thinkingBudgetClosingIds(*tokenizer_));
        QCOMPARE(run.result.reasoning, std::string());
        QCOMPARE(run.result.reasoningTokens, std::int64_t(0));
        QCOMPARE(run.result.content, std::string("Hi"));
        QCOMPARE(run.result.reason, StopReason::Stop);
    }

    void unlimitedBudgetNeverFires()
    {
        const auto script = join({ids(" a b c d e f"), {endOfText_}});
        ScriptedFeed feed(prompt_, script, vocab(), 1000);
        const Run run = decode(feed, plan(Channel::Reasoning)); // budget -1
        QVERIFY(!run.result.budgetReached);
        QCOMPARE(run.result.reasoning, std::string(" a b c d e f"));
        QCOMPARE(run.result.content, std::string());
        QCOMPARE(run.result.reason, StopReason::Stop); // <|endoftext|> stops too
    }

    void ignoreEosFeedsStopIds()
    {
        const auto script = join({{imEnd_}, ids("more"), {imEnd_, imEnd_}});
        ScriptedFeed feed(prompt_, script, vocab(), 1000);
        AnswerPlan p = plan();
        p.ignoreEos = true;
        p.maxTokens = 3;
        const Run run = decode(feed, p);
        QCOMPARE(run.result.reason, StopReason::Length);
        QCOMPARE(tokenIds(run), std::vector<std::int32_t>(script.begin(), script.begin() + 3));
        QCOMPARE(feed.cachedIds()[prompt_.size()], imEnd_);
        QCOMPARE(run.result.content, std::string("<|im_end|>") + "more" + "<|im_end|>");
    }

    void maxTokensEndsWithLength()
    {
        const auto script = ids(" one two three four five six seven");
        ScriptedFeed feed(prompt_, script, vocab(), 1000);
        AnswerPlan p = plan();
        p.maxTokens = 4;
        const Run run = decode(feed, p);
        QCOMPARE(run.result.reason, StopReason::Length);
        QCOMPARE(run.result.generatedTokens, std::int64_t(4));
        QCOMPARE(run.result.content, std::string(" one two three four"));
        // The last token is not fed: nothing would read its logits.
        QCOMPARE(feed.cachedIds().size(), prompt_.size() + 3);

        ScriptedFeed none(prompt_, script, vocab(), 1000);
        p.maxTokens = 0;
        const Run empty = decode(none, p);
        QCOMPARE(empty.result.reason, StopReason::Length);
        QVERIFY(empty.events.empty());
    }

    void fullCacheEndsWithLength()
    {
        const auto script = ids(" one two three four five six seven");
        ScriptedFeed feed(prompt_, script, vocab(), static_cast<std::int64_t>(prompt_.size()) + 3);
        const Run run = decode(feed, plan());
        QCOMPARE(run.result.reason, StopReason::Length);
        QCOMPARE(run.result.generatedTokens, std::int64_t(4)); // the 4th is sampled from the last position
        QCOMPARE(static_cast<std::int64_t>(feed.cachedIds().size()), feed.capacity());

        // No room for the closing text: the answer ends there.
        ScriptedFeed tight(prompt_, join({ids(" a b c d"), ids("x")}), vocab(),
                           static_cast<std::int64_t>(prompt_.size()) + 5);
        AnswerPlan p = plan(Channel::Reasoning);
        p.thinkingBudget = 2;
        const Run cut = decode(tight, p);
        QCOMPARE(cut.result.reason, StopReason::Length);
        QVERIFY(!cut.result.budgetReached);
        QCOMPARE(cut.result.reasoning, std::string(" a b"));
    }

    void cancelWithinOneToken()
    {
        const auto script = ids(" one two three four five six seven");
        ScriptedFeed feed(prompt_, script, vocab(), 1000);
        std::atomic<bool> cancel{false};
        int tokens = 0;
        const Run run = decode(feed, plan(), &cancel, [&](const GenerationEvent& e) {
            if (e.kind == GenerationEvent::Kind::Token && ++tokens == 3)
                cancel = true;
        });
        QCOMPARE(run.result.reason, StopReason::Cancelled);
        QCOMPARE(run.result.generatedTokens, std::int64_t(3));
        QCOMPARE(feed.cachedIds().size(), prompt_.size() + 2); // the third was not fed

        ScriptedFeed before(prompt_, script, vocab(), 1000);
        std::atomic<bool> already{true};
        const Run none = decode(before, plan(), &already);
        QCOMPARE(none.result.reason, StopReason::Cancelled);
        QCOMPARE(none.result.generatedTokens, std::int64_t(0));
    }

    void logitsInEvents()
    {
        const auto script = ids(" one two");
        ScriptedFeed feed(prompt_, join({script, {imEnd_}}), vocab(), 1000);
        AnswerPlan p = plan();
        p.wantLogits = true;
        const Run run = decode(feed, p);
        QCOMPARE(run.logits.size(), script.size());
        for (std::size_t i = 0; i < script.size(); ++i) {
            QCOMPARE(run.logits[i].size(), vocab());
            QCOMPARE(run.logits[i][static_cast<std::size_t>(script[i])], 10.0f);
        }
        const int samples = static_cast<int>(script.size()) + 1; // the stop id is sampled too
        QCOMPARE(feed.fullReads, samples); // wantLogits reads every logit back
        QCOMPARE(feed.candidateReads, 0);
        QCOMPARE(run.result.sampledFromCandidates, std::int64_t(0));

        ScriptedFeed quiet(prompt_, join({script, {imEnd_}}), vocab(), 1000);
        const Run quietRun = decode(quiet, plan());
        for (const auto& l : quietRun.logits)
            QVERIFY(l.empty());
        // Greedy: the highest logit settles every token; the whole row is never read.
        QCOMPARE(quiet.candidateReads, samples);
        QCOMPARE(quiet.fullReads, 0);
        QCOMPARE(quietRun.result.sampledFromCandidates, std::int64_t(samples));
        QCOMPARE(tokenIds(quietRun), script);
    }

    // Top-k sampling over the scripted rows (one logit of 10, every other 0): the k-th highest ties with
    // tokens outside any set of candidates, so each token falls back to the whole row, and still comes out
    // the same as sampling from the whole row alone.
    void tiedCandidatesFallBackToAllLogits()
    {
        const auto script = ids(" one two three");
        AnswerPlan p = plan();
        p.sampling = SamplingParams{}; // T 0.7, top-k 20, top-p 0.8
        p.sampling.seed = 5;
        p.ignoreEos = true;
        p.maxTokens = static_cast<std::int64_t>(script.size());
        ScriptedFeed feed(prompt_, join({script, {imEnd_}}), vocab(), 1000);
        const Run run = decode(feed, p);
        const int samples = static_cast<int>(script.size());
        QCOMPARE(feed.candidateReads, samples);
        QCOMPARE(feed.fullReads, samples);
        QCOMPARE(run.result.sampledFromCandidates, std::int64_t(0));
        QCOMPARE(tokenIds(run), script); // e^(10/0.7) outweighs the rest: top-p keeps only the scripted token
    }

    void unfinishedCharacterFlushedAtEnd()
    {
        const auto bytes = ids("\xEE\x80\x80"); // U+E000: three byte tokens
        QVERIFY(bytes.size() > 1);
        ScriptedFeed feed(prompt_, join({ids("ok"), {bytes.front()}, {imEnd_}}), vocab(), 1000);
        const Run run = decode(feed, plan());
        QCOMPARE(run.result.content, std::string("ok\xEF\xBF\xBD"));
        QCOMPARE(run.events.back().id, -1); // carries only the held-back text
        QCOMPARE(run.events.back().text, std::string("\xEF\xBF\xBD"));
        QCOMPARE(run.result.generatedTokens, static_cast<std::int64_t>(ids("ok").size() + 1));
    }
};

QTEST_GUILESS_MAIN(TestAnswerDecoder)
#include "test_answer_decoder.moc"
