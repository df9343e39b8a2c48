// The engine's Qwen3 tokenizer against the JS reference on corpus.json (over 400 strings in many scripts,
// emoji, code, numbers, white space, contractions, added tokens, NFC-sensitive and invalid UTF-8 text):
// the ids must be identical for every string, and decoding must give the (NFC) text back.
//
// Where the JS reference is not Hugging Face: its regex engine disagrees with Oniguruma (which HF runs
// tokenizer.json's regex with) on three characters, so those are kept out of corpus.json and checked in
// hfRegexDifferences() against ids derived by hand from HF's rule:
//   U+FEFF  JS \s includes it; Oniguruma's \s (White_Space) does not.
//   U+0085  Oniguruma's \s includes it (NEL); JS \s does not.
//   U+017F  (ſ, long s) (?i:'s) matches "'ſ" in Oniguruma (Unicode case folding); JS rewrites the group
//           as [sS], which does not.
#include "core/utf8.h"
#include "test_support.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_test_corpus.h"

#include <QTest>

using namespace ponder;
using namespace ponder::test;

class TestTokenizerReference : public QObject {
    Q_OBJECT

    std::unique_ptr<Tokenizer> tokenizer_;
    std::vector<CorpusEntry> corpus_;
    std::vector<std::vector<std::int32_t>> reference_;

private slots:
    void initTestCase()
    {
        tokenizer_ = Tokenizer::fromTokenizerJson(tokenizerJson());
        corpus_ = loadTokenizerCorpus();
        QVERIFY2(corpus_.size() >= 300, "corpus.json must hold at least 300 strings");
        reference_ = referenceIds(corpus_);
    }

    void corpusMatchesReference()
    {
        std::size_t matching = 0, tokens = 0, shown = 0;
        for (std::size_t i = 0; i < corpus_.size(); ++i) {
            const auto ids = tokenizer_->encode(corpus_[i].bytes);
            tokens += reference_[i].size();
            if (ids == reference_[i]) {
                ++matching;
            } else if (shown++ < 10) {
                qWarning("string %zu %s\n  engine:    %s\n  reference: %s", i, printable(corpus_[i].bytes).c_str(),
                         printable(ids).c_str(), printable(reference_[i]).c_str());
            }
        }
        qInfo("reference match: %zu/%zu strings identical, %zu tokens", matching, corpus_.size(), tokens);
        QCOMPARE(matching, corpus_.size());
    }

    // Invalid UTF-8 is tokenised as its lossy decoding (each maximal invalid subsequence -> U+FFFD), which
    // is what reaches HF from Python (errors="replace") and the JS tokenizer from node's decoder.
    void invalidUtf8IsSanitisedFirst()
    {
        int invalid = 0;
        for (const auto& entry : corpus_) {
            if (isValidUtf8(entry.bytes))
                continue;
            ++invalid;
            QCOMPARE(tokenizer_->encode(entry.bytes), tokenizer_->encode(sanitizeUtf8(entry.bytes)));
        }
        QVERIFY(invalid >= 10);
    }

    // decode(encode(s)) gives s back, in NFC (the normaliser is part of encoding); for text that is
    // already NFC that is s itself, and for invalid UTF-8 its sanitised form.
    void decodeRoundTrips()
    {
        const NfcNormalizer nfc;
        int unchanged = 0;
        for (const auto& entry : corpus_) {
            const std::string valid = sanitizeUtf8(entry.bytes);
            std::string scratch;
            const std::string expected(nfc.apply(valid, scratch));
            const std::string decoded = tokenizer_->decode(tokenizer_->encode(entry.bytes));
            QVERIFY2(decoded == expected, printable(entry.bytes).c_str());
            if (expected == entry.bytes)
                ++unchanged;
        }
        QVERIFY(unchanged > 350); // nearly all of the corpus round-trips byte for byte
    }

    // The expected ids are HF's: the pieces follow from Oniguruma's \s (White_Space: NEL yes, BOM no), and
    // each piece's ids are the reference's for that piece alone (where it is a single piece in JS too).
    // The JS reference itself gives other ids here (shown for each case). For ſ the pieces differ too
    // ("'ſ" + "x" in HF, "'ſx" in JS) but no Qwen3 merge involves "Å¿", so the ids cannot: that case is
    // checked on the pieces in test_tokenizer_units.
    void hfRegexDifferences()
    {
        struct Case {
            const char* hfPieces;
            std::string text;
            std::vector<std::int32_t> ids;
        };
        const std::vector<Case> cases = {
            // JS: "a" " " "\uFEFFb" -> [64,220,3225,65]
            {R"("a" " \uFEFF" "b")", "a \uFEFFb", {64, 75780, 65}},
            // JS: "Hi" " " "\uFEFFthere" -> [13048,220,3225,18532]
            {R"("Hi" " \uFEFF" "there")", "Hi \uFEFFthere", {13048, 75780, 18532}},
            // The first space is only a piece of its own because BOM is not white space. JS: [256,3225]
            {R"(" " " \uFEFF")", "  \uFEFF", {220, 75780}},
            // JS: "a" " \u0085" "b" -> [64,2139,227,65]
            {R"("a" " " "\u0085b")", "a \u0085b", {64, 220, 126, 227, 65}},
            // JS: "Hi" " \u0085" "there" -> [13048,2139,227,18532]
            {R"("Hi" " " "\u0085there")", "Hi \u0085there", {13048, 220, 126, 227, 18532}},
        };
        for (const auto& c : cases)
            QVERIFY2(tokenizer_->encode(c.text) == c.ids, (printable(c.text) + " (HF pieces " + c.hfPieces +
                                                           ") gave " + printable(tokenizer_->encode(c.text)))
                                                              .c_str());
    }
};

QTEST_GUILESS_MAIN(TestTokenizerReference)
#include "test_tokenizer_reference.moc"
