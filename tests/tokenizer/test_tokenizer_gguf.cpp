// Tokenizer::fromGguf on tokenizer.ggml.* metadata made from tokenizer.json the way llama.cpp's converter
// makes it (synth::writeTokenizerArrays: vocabulary padded to the model's 151936 rows), written by GgufWriter
// and read back by GgufFile:
// it must encode the whole corpus exactly as the tokenizer.json tokenizer does.
#include "core/error.h"
#include "gguf/gguf.h"
#include "synth/tokenizer_metadata.h"
#include "synthetic_tokenizer.h"
#include "test_support.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_test_corpus.h"

#include <QTest>

#include <functional>

using namespace ponder;
using namespace ponder::test;

namespace {

constexpr std::size_t kQwen3ModelVocabulary = 151936;

// tokenizer.json -> the tokenizer.ggml.* keys, optionally changed by `edit` before writing.
struct GgufTokenizer {
    std::vector<std::uint8_t> bytes; // owns what `file` views
    std::unique_ptr<GgufFile> file;
};

GgufTokenizer convert(const nlohmann::json& tokenizerJson, std::size_t paddedSize,
                      const std::function<void(GgufWriter&)>& edit = {})
{
    GgufWriter writer;
    writer.set("general.architecture", GgufValue::ofString("qwen3"));
    synth::writeTokenizerArrays(writer, tokenizerJson, static_cast<std::int64_t>(paddedSize), "tokenizer.json");
    if (edit)
        edit(writer);
    GgufTokenizer result;
    result.bytes = writer.serialize();
    result.file = GgufFile::parse(result.bytes, "memory.gguf");
    return result;
}

void expectGgufError(const std::function<void(GgufWriter&)>& edit, const std::string& expected)
{
    const auto gguf = convert(syntheticTokenizerJson({"ab"}, {{"a", "b"}}), 300, edit);
    try {
        Tokenizer::fromGguf(*gguf.file);
        QFAIL(("no error for: " + expected).c_str());
    } catch (const Error& e) {
        const std::string message = e.what();
        QVERIFY2(message.find(expected) != std::string::npos, message.c_str());
        QVERIFY2(message.rfind("memory.gguf: ", 0) == 0, message.c_str());
    }
}

} // namespace

class TestTokenizerGguf : public QObject {
    Q_OBJECT

    std::unique_ptr<Tokenizer> fromJson_;
    std::unique_ptr<Tokenizer> fromGguf_;

private slots:
    void initTestCase()
    {
        const std::string jsonText = qwen3TokenizerJsonText();
        fromJson_ = Tokenizer::fromTokenizerJsonText(jsonText, "tokenizer.json");
        const auto gguf = convert(nlohmann::json::parse(jsonText), kQwen3ModelVocabulary);
        fromGguf_ = Tokenizer::fromGguf(*gguf.file);
    }

    void encodesTheCorpusLikeTokenizerJson()
    {
        const auto corpus = loadTokenizerCorpus();
        std::size_t same = 0;
        for (const auto& entry : corpus) {
            const auto ids = fromGguf_->encode(entry.bytes);
            if (ids == fromJson_->encode(entry.bytes) && fromGguf_->decode(ids) == fromJson_->decode(ids))
                ++same;
            else
                qWarning("differs: %s", printable(entry.bytes).c_str());
        }
        qInfo("GGUF tokenizer: %zu/%zu corpus strings identical to tokenizer.json", same, corpus.size());
        QCOMPARE(same, corpus.size());
    }

    void paddingIsNeverProduced()
    {
        QCOMPARE(fromGguf_->vocabSize(), kQwen3ModelVocabulary);
        QCOMPARE(fromGguf_->tokenBytes(151700), std::string());
        QVERIFY(!fromGguf_->tokenId("[PAD151700]").has_value());
        const auto ids = fromGguf_->encode("[PAD151700][PAD151935]");
        QCOMPARE(ids, fromJson_->encode("[PAD151700][PAD151935]"));
        for (std::int32_t id : ids)
            QVERIFY(id < 151643);
    }

    void addedTokensKeepTheirKinds()
    {
        QCOMPARE(fromGguf_->addedTokens().size(), std::size_t(26));
        QCOMPARE(fromGguf_->tokenId("<|im_end|>"), std::optional<std::int32_t>(151645));
        QCOMPARE(fromGguf_->tokenId("</think>"), std::optional<std::int32_t>(151668));
        for (const auto& token : fromGguf_->addedTokens()) {
            QCOMPARE(token.special, fromJson_->addedTokens()[static_cast<std::size_t>(token.id - 151643)].special);
            QCOMPARE(fromGguf_->encode(token.content), std::vector<std::int32_t>{token.id});
        }
    }

    void refusesOtherTokenizers()
    {
        expectGgufError([](GgufWriter& w) { w.set("tokenizer.ggml.model", GgufValue::ofString("llama")); },
                        "unsupported tokenizer: tokenizer.ggml.model is 'llama' (only 'gpt2'");
        expectGgufError([](GgufWriter& w) { w.set("tokenizer.ggml.pre", GgufValue::ofString("llama-bpe")); },
                        "unsupported tokenizer: tokenizer.ggml.pre is 'llama-bpe' (only 'qwen2'");
        expectGgufError([](GgufWriter& w) { w.set("tokenizer.ggml.tokens", GgufValue::ofI32Array({1, 2})); },
                        "tokenizer.ggml.tokens is not an array of strings");
        expectGgufError([](GgufWriter& w) { w.set("tokenizer.ggml.token_type", GgufValue::ofI32Array({1, 2})); },
                        "tokenizer.ggml.token_type has 2 entries but tokenizer.ggml.tokens has 300");
        expectGgufError(
            [](GgufWriter& w) {
                std::vector<std::int32_t> types(300, 1);
                types[7] = 9;
                w.set("tokenizer.ggml.token_type", GgufValue::ofI32Array(types));
            },
            "token 7 '\xC4\x87' has unknown type 9");
        expectGgufError([](GgufWriter& w) { w.set("tokenizer.ggml.merges", GgufValue::ofStringArray({"a q"})); },
                        "merge 0 'a q' uses token 'aq', which is not in the vocabulary");
    }

    void refusesFilesWithoutTokenizer()
    {
        GgufWriter writer;
        writer.set("general.architecture", GgufValue::ofString("qwen3"));
        const auto bytes = writer.serialize();
        const auto file = GgufFile::parse(bytes, "memory.gguf");
        QVERIFY_THROWS_EXCEPTION(Error, Tokenizer::fromGguf(*file));
        try {
            Tokenizer::fromGguf(*file);
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()),
                     std::string("memory.gguf: the file has no tokenizer (tokenizer.ggml.model is missing)"));
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenizerGguf)
#include "test_tokenizer_gguf.moc"
