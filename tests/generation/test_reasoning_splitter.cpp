// ReasoningSplitter and the thinking-budget predicate as units, on the real Qwen3 tokenizer: which channel
// each token lands in, how the text is trimmed (as the chat template parses an assistant message back),
// UTF-8 never split, and when the budget is spent.
#include "core/utf8.h"
#include "generation/reasoning_splitter.h"
#include "generation/thinking_budget.h"
#include "test_support.h"

#include <QTest>

#include <memory>

using namespace ponder;

namespace {

struct Streamed {
    std::string reasoning, content; // concatenated piece texts per channel
    std::vector<Channel> channels;  // per pushed token
};

} // namespace

class TestReasoningSplitter : public QObject {
    Q_OBJECT

    std::unique_ptr<Tokenizer> tokenizer_;
    ThinkTags tags_;

    std::vector<std::int32_t> ids(std::string_view text) const { return tokenizer_->encode(text); }

    // Pushes every id, then finish(); checks each piece is valid UTF-8 and the streamed text equals the
    // splitter's accumulated text.
    Streamed stream(ReasoningSplitter& splitter, std::span<const std::int32_t> tokens)
    {
        Streamed out;
        const auto take = [&](const ReasoningSplitter::Piece& piece) {
            if (!isValidUtf8(piece.text))
                QTest::qFail("a piece is not valid UTF-8", __FILE__, __LINE__);
            (piece.channel == Channel::Reasoning ? out.reasoning : out.content) += piece.text;
        };
        for (const std::int32_t id : tokens) {
            const auto piece = splitter.push(id);
            out.channels.push_back(piece.channel);
            take(piece);
        }
        for (const auto& piece : splitter.finish())
            take(piece);
        if (out.reasoning != splitter.reasoning() || out.content != splitter.content())
            QTest::qFail("streamed text differs from the accumulated text", __FILE__, __LINE__);
        return out;
    }

private slots:
    void initTestCase()
    {
        tokenizer_ = Tokenizer::fromTokenizerJson(test::tokenizerJson());
        tags_ = ThinkTags::lookup(*tokenizer_);
        QVERIFY(tags_.open && tags_.close);
        QCOMPARE(tokenizer_->encode("<think>"), std::vector<std::int32_t>{*tags_.open});
    }

    void startingChannelFromPrompt()
    {
        QCOMPARE(startingChannel(ids("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"), tags_),
                 Channel::Content);
        // Qwen3-2507 Thinking's generation prompt opens the block itself.
        QCOMPARE(startingChannel(ids("<|im_start|>assistant\n<think>\n"), tags_), Channel::Reasoning);
        // enable_thinking=false: the empty block is closed.
        QCOMPARE(startingChannel(ids("<|im_start|>assistant\n<think>\n\n</think>\n\n"), tags_), Channel::Content);
        // A closed block of an earlier turn does not matter; the last tag decides.
        QCOMPARE(startingChannel(ids("<think>\na\n</think>\n\nb<|im_end|>\n<|im_start|>assistant\n<think>\n"), tags_),
                 Channel::Reasoning);
        // The characters "<think>" split into ordinary tokens are not a tag.
        std::vector<std::int32_t> spelled = ids("<");
        const auto rest = ids("think>");
        spelled.insert(spelled.end(), rest.begin(), rest.end());
        QCOMPARE(startingChannel(spelled, tags_), Channel::Content);
    }

    void modelOpensThinkBlock()
    {
        ReasoningSplitter splitter(*tokenizer_, tags_, Channel::Content);
        std::vector<std::int32_t> tokens{*tags_.open};
        const auto reasoning = ids("\nLet me add 2 and 2.\nThat is 4.\n");
        tokens.insert(tokens.end(), reasoning.begin(), reasoning.end());
        tokens.push_back(*tags_.close);
        const auto answer = ids("\n\nThe answer is **4**.\n");
        tokens.insert(tokens.end(), answer.begin(), answer.end());

        const Streamed out = stream(splitter, tokens);
        QCOMPARE(out.reasoning, std::string("Let me add 2 and 2.\nThat is 4."));
        QCOMPARE(out.content, std::string("The answer is **4**.\n")); // trailing newline kept, like the template
        QCOMPARE(splitter.reasoningTokens(), static_cast<std::int64_t>(reasoning.size()));
        QCOMPARE(out.channels.front(), Channel::Reasoning);                       // <think>
        QCOMPARE(out.channels[reasoning.size() + 1], Channel::Reasoning);         // </think>
        QCOMPARE(out.channels.back(), Channel::Content);
        QCOMPARE(splitter.channel(), Channel::Content);
    }

    void promptOpensThinkBlock()
    {
        ReasoningSplitter splitter(*tokenizer_, tags_, Channel::Reasoning);
        std::vector<std::int32_t> tokens = ids("Hmm.\n\nOK.\n");
        tokens.push_back(*tags_.close);
        const auto answer = ids("\n\nYes");
        tokens.insert(tokens.end(), answer.begin(), answer.end());
        const Streamed out = stream(splitter, tokens);
        QCOMPARE(out.reasoning, std::string("Hmm.\n\nOK.")); // inner blank line kept, trailing dropped
        QCOMPARE(out.content, std::string("Yes"));
    }

    void nonThinkingAnswerIsContent()
    {
        ReasoningSplitter splitter(*tokenizer_, tags_, Channel::Content);
        const Streamed out = stream(splitter, ids("\nJust an answer.\n\n"));
        QCOMPARE(out.reasoning, std::string());
        QCOMPARE(out.content, std::string("Just an answer.\n\n"));
        QCOMPARE(splitter.reasoningTokens(), std::int64_t(0));
    }

    void stopsBeforeClosingTag()
    {
        ReasoningSplitter splitter(*tokenizer_, tags_, Channel::Reasoning);
        const Streamed out = stream(splitter, ids("still thinking\n\n"));
        QCOMPARE(out.reasoning, std::string("still thinking"));
        QCOMPARE(out.content, std::string());
    }

    void misplacedTagsAreText()
    {
        // <think> after the answer began, and </think> outside reasoning, are ordinary content.
        ReasoningSplitter splitter(*tokenizer_, tags_, Channel::Content);
        std::vector<std::int32_t> tokens = ids("Use ");
        tokens.push_back(*tags_.open);
        tokens.push_back(*tags_.close);
        QCOMPARE(stream(splitter, tokens).content, std::string("Use <think></think>"));

        // A second <think> after a closed block stays text too.
        ReasoningSplitter again(*tokenizer_, tags_, Channel::Reasoning);
        std::vector<std::int32_t> more = ids("a");
        more.push_back(*tags_.close);
        more.push_back(*tags_.open);
        const Streamed out = stream(again, more);
        QCOMPARE(out.reasoning, std::string("a"));
        QCOMPARE(out.content, std::string("<think>"));
    }

    void utf8NeverSplit()
    {
        // A character the tokenizer spells with several byte tokens.
        const std::string text = "\xF0\x9F\xA6\x99\xF0\x90\x8D\x88 ok"; // U+1F999, U+10348
        const auto tokens = ids(text);
        QVERIFY(tokens.size() > 3);
        ReasoningSplitter splitter(*tokenizer_, tags_, Channel::Content);
        for (const std::int32_t id : tokens) {
            const auto piece = splitter.push(id);
            QVERIFY(isValidUtf8(piece.text));
        }
        QVERIFY(splitter.finish().empty());
        QCOMPARE(splitter.content(), text);

        // Reasoning cut inside a character: the held bytes come out as U+FFFD when it ends.
        ReasoningSplitter cut(*tokenizer_, tags_, Channel::Reasoning);
        const auto bytes = ids("\xEE\x80\x80"); // U+E000: three byte tokens
        QVERIFY(bytes.size() > 1);
        QCOMPARE(cut.push(bytes.front()).text, std::string());
        const auto piece = cut.closeReasoning();
        QCOMPARE(piece.channel, Channel::Reasoning);
        QCOMPARE(piece.text, std::string("\xEF\xBF\xBD"));
        QCOMPARE(cut.channel(), Channel::Content);
    }

    void budgetSpent()
    {
        ReasoningSplitter splitter(*tokenizer_, tags_, Channel::Content);
        QVERIFY(!thinkingBudgetSpent(splitter, 0)); // not reasoning
        splitter.push(*tags_.open);
        QVERIFY(thinkingBudgetSpent(splitter, 0));
        QVERIFY(!thinkingBudgetSpent(splitter, 2));
        QVERIFY(!thinkingBudgetSpent(splitter, -1));
        const auto words = ids(" one two three");
        splitter.push(words[0]);
        QVERIFY(!thinkingBudgetSpent(splitter, 2));
        splitter.push(words[1]);
        QCOMPARE(splitter.reasoningTokens(), std::int64_t(2));
        QVERIFY(thinkingBudgetSpent(splitter, 2));
        QVERIFY(!thinkingBudgetSpent(splitter, -1));
        splitter.closeReasoning();
        QVERIFY(!thinkingBudgetSpent(splitter, 2)); // content now
    }

    void closingIds()
    {
        const auto closing = thinkingBudgetClosingIds(*tokenizer_);
        QCOMPARE(tokenizer_->decode(closing), std::string(kThinkingBudgetClosing));
        QVERIFY(std::find(closing.begin(), closing.end(), *tags_.close) != closing.end());
        // Ends with </think> and "\n\n", so the answer starts cleanly after it.
        QVERIFY(std::string_view(kThinkingBudgetClosing).ends_with("directly now.\n</think>\n\n"));
        QCOMPARE(startingChannel(closing, tags_), Channel::Content);
    }
};

QTEST_GUILESS_MAIN(TestReasoningSplitter)
#include "test_reasoning_splitter.moc"
