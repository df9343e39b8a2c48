// The Qwen3 tokenizer's fixed points and edges: added-token ids (facts file §1.5), tokenId / tokenBytes,
// the streaming decoder's UTF-8 guarantee, very long inputs, concurrent use, and the loader's errors.
#include "core/error.h"
#include "core/utf8.h"
#include "synthetic_tokenizer.h"
#include "test_support.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_test_corpus.h"

#include <QTest>

#include <thread>

using namespace ponder;
using namespace ponder::test;

// Asserts that loading `json` throws ponder::Error whose message starts with the source and contains `expected`.
#define EXPECT_LOAD_ERROR(json, expected)                                                                     \
    do {                                                                                                      \
        try {                                                                                                 \
            Tokenizer::fromTokenizerJsonText(json, "test.json");                                              \
            QFAIL("no error for " expected);                                                                  \
        } catch (const Error& e) {                                                                            \
            const std::string message = e.what();                                                             \
            QVERIFY2(message.find(expected) != std::string::npos, message.c_str());                           \
            QVERIFY2(message.rfind("test.json: ", 0) == 0, message.c_str());                                  \
        }                                                                                                     \
    } while (false)

namespace {

std::string byteToken(std::uint8_t byte)
{
    const char c = static_cast<char>(byte);
    return byteLevelEncode(std::string_view(&c, 1));
}

} // namespace

class TestTokenizerUnits : public QObject {
    Q_OBJECT

    std::unique_ptr<Tokenizer> qwen_;

    std::int32_t byteId(std::uint8_t byte) const { return qwen_->tokenId(byteToken(byte)).value(); }

private slots:
    void initTestCase() { qwen_ = Tokenizer::fromTokenizerJson(tokenizerJson()); }

    void addedTokensHaveTheirIds()
    {
        const std::vector<std::string> names = {
            "<|endoftext|>",   "<|im_start|>",  "<|im_end|>",      "<|object_ref_start|>", "<|object_ref_end|>",
            "<|box_start|>",   "<|box_end|>",   "<|quad_start|>",  "<|quad_end|>",         "<|vision_start|>",
            "<|vision_end|>",  "<|vision_pad|>", "<|image_pad|>",  "<|video_pad|>",        "<tool_call>",
            "</tool_call>",    "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>",       "<|fim_pad|>",
            "<|repo_name|>",   "<|file_sep|>",  "<tool_response>", "</tool_response>",     "<think>",
            "</think>"};
        QCOMPARE(qwen_->addedTokens().size(), names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            const auto id = static_cast<std::int32_t>(151643 + i);
            QCOMPARE(qwen_->tokenId(names[i]), std::optional<std::int32_t>(id));
            QCOMPARE(qwen_->encode(names[i]), std::vector<std::int32_t>{id});
            QCOMPARE(qwen_->tokenBytes(id), names[i]);
        }
        QCOMPARE(qwen_->vocabSize(), std::size_t(151669));
        QCOMPARE(qwen_->encode("\n"), std::vector<std::int32_t>{198});
        // <|im_start|> is special, <tool_call> is not (tokenizer.json), neither is stripped or normalised.
        QVERIFY(qwen_->addedTokens()[1].special);
        QVERIFY(!qwen_->addedTokens()[14].special);
        QVERIFY(!qwen_->addedTokens()[1].normalized && !qwen_->addedTokens()[1].lstrip);
        QCOMPARE(qwen_->encode("<|im_start|>user\n<think>"),
                 (std::vector<std::int32_t>{151644, qwen_->tokenId("user").value(), 198, 151667}));
    }

    void tokenIdAndTokenBytes()
    {
        const auto the = qwen_->tokenId("Ġthe"); // byte-level form, as in the vocabulary
        QVERIFY(the.has_value());
        QCOMPARE(qwen_->tokenBytes(*the), std::string(" the"));
        QCOMPARE(qwen_->encode(" the"), std::vector<std::int32_t>{*the});
        QCOMPARE(qwen_->tokenBytes(byteId(0xE4)), std::string("\xE4"));
        QVERIFY(!qwen_->tokenId(" the").has_value()); // raw text is not a token name
        QVERIFY(!qwen_->tokenId("no such token at all").has_value());
        // Ids without a token decode to nothing, as Hugging Face skips ids it does not know.
        QCOMPARE(qwen_->tokenBytes(-1), std::string());
        QCOMPARE(qwen_->tokenBytes(151669), std::string());
        const std::vector<std::int32_t> ids = {*the, 999999, -5, *the};
        QCOMPARE(qwen_->decode(ids), std::string(" the the"));
    }

    void streamingDecoderEmitsOnlyWholeCharacters()
    {
        const std::string text = "深度学习模型 🧑🏿‍🦱 家族👨‍👩‍👧‍👦，你好世界！ Ελληνικά 🇯🇵 done";
        const auto ids = qwen_->encode(text);
        StreamingDecoder decoder(*qwen_);
        std::string joined;
        int partialTokens = 0, emptyChunks = 0;
        for (std::int32_t id : ids) {
            if (!isValidUtf8(qwen_->tokenBytes(id)))
                ++partialTokens; // this token alone is part of a character
            const std::string chunk = decoder.push(id);
            QVERIFY2(isValidUtf8(chunk), printable(chunk).c_str());
            emptyChunks += chunk.empty();
            joined += chunk;
        }
        QCOMPARE(decoder.flush(), std::string());
        QCOMPARE(joined, text);
        QVERIFY(partialTokens > 5); // the text really does split characters across tokens
        QVERIFY(emptyChunks > 0);
    }

    void streamingDecoderHoldsASplitEmoji()
    {
        StreamingDecoder decoder(*qwen_);
        const std::string emoji = "\xF0\x9F\x98\x80"; // 😀 as four single-byte tokens
        QCOMPARE(decoder.push(byteId(0xF0)), std::string());
        QCOMPARE(decoder.push(byteId(0x9F)), std::string());
        QCOMPARE(decoder.push(byteId(0x98)), std::string());
        QCOMPARE(decoder.push(byteId(0x80)), emoji);

        // Half an emoji then a letter: the held bytes can never complete, so they come out as one U+FFFD.
        QCOMPARE(decoder.push(byteId(0xF0)), std::string());
        QCOMPARE(decoder.push(byteId(0x9F)), std::string());
        QCOMPARE(decoder.push(qwen_->tokenId("a").value()), std::string("\xEF\xBF\xBD" "a"));

        QCOMPARE(decoder.push(byteId(0xFF)), std::string("\xEF\xBF\xBD")); // never valid: passed on at once
        QCOMPARE(decoder.push(byteId(0xE4)), std::string());
        QCOMPARE(decoder.flush(), std::string("\xEF\xBF\xBD")); // end of generation inside a character
        QCOMPARE(decoder.flush(), std::string());
        QCOMPARE(decoder.push(byteId(0xE4)), std::string());
        decoder.reset();
        QCOMPARE(decoder.push(qwen_->tokenId("a").value()), std::string("a"));
    }

    // Inputs far longer than any piece cache or default regex stack: one huge word, one huge space run,
    // thousands of newlines, a long digit run. Each must encode and decode back.
    void veryLongInputs()
    {
        const std::vector<std::string> texts = {std::string(200000, 'a'), "x" + std::string(300000, ' ') + "y",
                                                std::string(50000, '\n') + "end", std::string(100000, '7'),
                                                std::string(60000, '!'), "😀" + std::string(40000, '\t')};
        for (const auto& text : texts) {
            const auto ids = qwen_->encode(text);
            QVERIFY(!ids.empty());
            QCOMPARE(qwen_->decode(ids), text);
        }
        QCOMPARE(qwen_->encode(std::string(100000, '7')).size(), std::size_t(100000)); // digits one by one
    }

    // encode is const and shares the piece cache: threads on a fresh tokenizer (empty cache) must agree.
    void concurrentEncodingAgrees()
    {
        const auto corpus = loadTokenizerCorpus();
        std::vector<std::vector<std::int32_t>> expected;
        for (const auto& entry : corpus)
            expected.push_back(qwen_->encode(entry.bytes));
        const auto fresh = Tokenizer::fromTokenizerJson(tokenizerJson());
        std::vector<int> mismatches(4, 0);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int round = 0; round < 3; ++round)
                    for (std::size_t k = 0; k < corpus.size(); ++k) {
                        const std::size_t i = (k * (t + 1) + static_cast<std::size_t>(round)) % corpus.size();
                        mismatches[t] += fresh->encode(corpus[i].bytes) != expected[i];
                    }
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(mismatches, std::vector<int>(4, 0));
    }

    void loaderErrorsNameTheProblem()
    {
        EXPECT_LOAD_ERROR("{\"model\": ", "test.json: not valid JSON");
        EXPECT_LOAD_ERROR("[1, 2]", "not a tokenizer.json");
        EXPECT_LOAD_ERROR("{}", "\"model\" is missing");

        auto withModelType = syntheticTokenizerJson();
        withModelType["model"]["type"] = "WordPiece";
        EXPECT_LOAD_ERROR(withModelType.dump(), "unsupported tokenizer: model type 'WordPiece' (only BPE");

        auto unigram = syntheticTokenizerJson();
        unigram["model"] = {{"type", "Unigram"}, {"vocab", nlohmann::json::array()}};
        EXPECT_LOAD_ERROR(unigram.dump(), "unsupported tokenizer: model type 'Unigram'");

        auto whitespace = syntheticTokenizerJson();
        whitespace["pre_tokenizer"] = {{"type", "Whitespace"}};
        EXPECT_LOAD_ERROR(whitespace.dump(), "unsupported tokenizer: pre-tokenizer 'Whitespace'");

        auto noPre = syntheticTokenizerJson();
        noPre["pre_tokenizer"] = nullptr;
        EXPECT_LOAD_ERROR(noPre.dump(), "unsupported tokenizer: pre-tokenizer '(no type)'");

        auto removed = syntheticTokenizerJson();
        removed["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Removed";
        EXPECT_LOAD_ERROR(removed.dump(), "Split pre-tokenizer with behavior 'Removed'");

        auto splitAgain = syntheticTokenizerJson();
        splitAgain["pre_tokenizer"]["pretokenizers"][1]["use_regex"] = true;
        EXPECT_LOAD_ERROR(splitAgain.dump(), "ByteLevel pre-tokenizer that splits again");

        auto prefixSpace = syntheticTokenizerJson();
        prefixSpace["pre_tokenizer"]["pretokenizers"][1]["add_prefix_space"] = true;
        EXPECT_LOAD_ERROR(prefixSpace.dump(), "ByteLevel pre-tokenizer with add_prefix_space");

        auto badRegex = syntheticTokenizerJson();
        badRegex["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(unclosed";
        EXPECT_LOAD_ERROR(badRegex.dump(), "pre-tokenizer regex does not compile");

        auto nfkc = syntheticTokenizerJson();
        nfkc["normalizer"] = {{"type", "NFKC"}};
        EXPECT_LOAD_ERROR(nfkc.dump(), "unsupported tokenizer: normalizer 'NFKC'");

        auto metaspace = syntheticTokenizerJson();
        metaspace["decoder"] = {{"type", "Metaspace"}};
        EXPECT_LOAD_ERROR(metaspace.dump(), "unsupported tokenizer: decoder 'Metaspace'");

        auto fallback = syntheticTokenizerJson();
        fallback["model"]["byte_fallback"] = true;
        EXPECT_LOAD_ERROR(fallback.dump(), "unsupported tokenizer: BPE with byte_fallback");

        auto unknownMerge = syntheticTokenizerJson({}, {{"a", "zz"}});
        EXPECT_LOAD_ERROR(unknownMerge.dump(), "merge 0 'a zz' uses token 'zz', which is not in the vocabulary");

        auto missingResult = syntheticTokenizerJson({}, {{"a", "b"}}); // "ab" is not a token
        EXPECT_LOAD_ERROR(missingResult.dump(), "uses token 'ab', which is not in the vocabulary");

        auto badMerge = syntheticTokenizerJson();
        badMerge["model"]["merges"] = {"ab"};
        EXPECT_LOAD_ERROR(badMerge.dump(), "merge 0 'ab' is not two tokens separated by a space");

        auto noByte = syntheticTokenizerJson();
        noByte["model"]["vocab"].erase(byteToken('A'));
        EXPECT_LOAD_ERROR(noByte.dump(), "the vocabulary has no token for byte 0x41");

        auto badVocab = syntheticTokenizerJson();
        badVocab["model"]["vocab"]["x"] = "seven";
        EXPECT_LOAD_ERROR(badVocab.dump(), "malformed tokenizer.json");

        auto badAdded = syntheticTokenizerJson();
        badAdded["added_tokens"] = {addedTokenJson(300, "")};
        EXPECT_LOAD_ERROR(badAdded.dump(), "added token 300 '' needs an id from 0 to 16777215 and non-empty content");
        badAdded["added_tokens"] = {addedTokenJson(2000000000, "<huge>")};
        EXPECT_LOAD_ERROR(badAdded.dump(), "added token 2000000000 '<huge>' needs an id from 0 to 16777215");

        try {
            Tokenizer::fromTokenizerJson("/nonexistent/tokenizer.json");
            QFAIL("no error for a missing file");
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()), std::string("/nonexistent/tokenizer.json: cannot open the file"));
        }
    }

    // The old merge format ("a b" strings) and a plain ByteLevel pre-tokenizer (GPT-2's regex) load too.
    void acceptsOtherByteLevelLayouts()
    {
        auto json = syntheticTokenizerJson({"ab", "12"});
        json["model"]["merges"] = {"a b", "1 2"};
        const auto qwenStyle = Tokenizer::fromTokenizerJsonText(json.dump(), "qwen-style.json");
        json["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}};
        json["normalizer"] = nullptr;
        const auto gpt2Style = Tokenizer::fromTokenizerJsonText(json.dump(), "gpt2-style.json");
        // Qwen's regex splits digits one by one, GPT-2's keeps " 123" together so "1 2" can merge.
        QCOMPARE(qwenStyle->encode("ab 123"), (std::vector<std::int32_t>{256, ' ', '1', '2', '3'}));
        QCOMPARE(gpt2Style->encode("ab 123"), (std::vector<std::int32_t>{256, ' ', 257, '3'}));
        // Without a normaliser, decomposed text stays decomposed.
        QCOMPARE(gpt2Style->decode(gpt2Style->encode("e\u0301")), std::string("e\u0301"));
        QCOMPARE(qwenStyle->decode(qwenStyle->encode("e\u0301")), std::string("\u00e9"));
    }
};

QTEST_GUILESS_MAIN(TestTokenizerUnits)
#include "test_tokenizer_units.moc"
