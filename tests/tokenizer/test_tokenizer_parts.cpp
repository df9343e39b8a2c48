// The tokenizer's parts on their own: the byte-level alphabet, the Oniguruma -> PCRE2 regex rewrite, the
// Split pieces (including where Oniguruma, and so Hugging Face, differs from the JS reference), the NFC
// shortcut, BPE merge order and added-token flags on small synthetic vocabularies.
#include "core/error.h"
#include "synthetic_tokenizer.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/known_patterns.h"
#include "tokenizer/oniguruma_pattern.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/tokenizer.h"

#include <QTest>

#include <unicode/normalizer2.h>
#include <unicode/utf8.h>

using namespace ponder;
using namespace ponder::test;

namespace {

using Pieces = std::vector<std::string>;

Pieces split(const PreTokenizer& pre, std::string_view text)
{
    std::vector<std::string_view> views;
    pre.split(text, views);
    return Pieces(views.begin(), views.end());
}

std::vector<std::int32_t> ids(std::initializer_list<std::int32_t> list) { return list; }

} // namespace

class TestTokenizerParts : public QObject {
    Q_OBJECT

private slots:
    void byteLevelAlphabet()
    {
        QCOMPARE(byteLevelEncode(" the\n"), std::string("Ġthe\xC4\x8A")); // Ġthe Ċ
        QCOMPARE(byteLevelEncode("\t"), std::string("\xC4\x89"));          // ĉ
        QCOMPARE(byteLevelEncode("\xC3\xA9"), std::string("Ã©"));          // é's two bytes
        QCOMPARE(byteLevelCodePoint(0xAD), char32_t(0x143));               // the last remapped byte
        std::string all;
        for (int b = 0; b < 256; ++b)
            all.push_back(static_cast<char>(b));
        QCOMPARE(byteLevelDecode(byteLevelEncode(all)), std::optional<std::string>(all));
        QCOMPARE(byteLevelDecode("Ġthe"), std::optional<std::string>(" the"));
        QVERIFY(!byteLevelDecode("中").has_value());            // outside the alphabet
        QVERIFY(!byteLevelDecode("\xC5\x84").has_value());      // U+0144: just past it
        QVERIFY(!byteLevelDecode("\xC0\xA0").has_value());      // overlong, not UTF-8
        QVERIFY(!byteLevelDecode(" ").has_value());             // a raw space is never in byte-level text
    }

    void onigurumaEscapesBecomeExplicitClasses()
    {
        QCOMPARE(onigurumaToPcre2(R"(\s+(?!\S))", "t"), std::string(R"([\t-\r\x{85}\p{Z}]+(?![^\t-\r\x{85}\p{Z}]))"));
        QCOMPARE(onigurumaToPcre2(R"([^\s\p{L}])", "t"), std::string(R"([^\t-\r\x{85}\p{Z}\p{L}])"));
        QCOMPARE(onigurumaToPcre2(R"(\w\h)", "t"), std::string(R"([\p{L}\p{M}\p{N}\p{Pc}][0-9A-Fa-f])"));
        QCOMPARE(onigurumaToPcre2(R"(\\s\Q\s\E[]\s][[:alpha:]\s])", "t"),
                 std::string(R"(\\s\Q\s\E[]\t-\r\x{85}\p{Z}][[:alpha:]\t-\r\x{85}\p{Z}])"));
        QCOMPARE(onigurumaToPcre2(R"([^\S\r\n])", "t"), std::string(R"([^\S\r\n])")); // kept, see header
        QCOMPARE(onigurumaToPcre2(kQwen2Pattern, "t").find("\\s"), std::string::npos);
        QVERIFY_THROWS_EXCEPTION(Error, onigurumaToPcre2(R"([\H])", "t"));
    }

    void qwenSplitPieces()
    {
        const PreTokenizer pre(kQwen2Pattern, "qwen");
        QCOMPARE(split(pre, "Hello world, it's 2024!\n\n  ok  "),
                 (Pieces{"Hello", " world", ",", " it", "'s", " ", "2", "0", "2", "4", "!\n\n", " ", " ok", "  "}));
        QCOMPARE(split(pre, "He'S we'LL x\r\ny"), (Pieces{"He", "'S", " we", "'LL", " x", "\r\n", "y"}));
        QCOMPARE(split(pre, "你好，世界"), (Pieces{"你好", "，世界"}));
        QCOMPARE(split(pre, ""), Pieces{});
        // Oniguruma's rules, which the JS reference does not follow (see test_tokenizer_reference):
        // "'ſ" is a contraction under (?i:'s) (JS: "'ſx" one piece) ...
        QCOMPARE(split(pre, "'\u017Fx"), (Pieces{"'\u017F", "x"}));
        QCOMPARE(split(pre, "'\u017F"), (Pieces{"'\u017F"}));
        // ... NEL is white space (JS: "a", " \u0085", "b") and BOM is not (JS: "a", " ", "\uFEFFb") ...
        QCOMPARE(split(pre, "a \u0085b"), (Pieces{"a", " ", "\u0085b"}));
        QCOMPARE(split(pre, "a \uFEFFb"), (Pieces{"a", " \uFEFF", "b"}));
        // ... and U+180E is not white space, although PCRE2's own \s would take it.
        QCOMPARE(split(pre, "a \u180E!"), (Pieces{"a", " \u180E!"}));
    }

    void splitHandlesGapsAndDeepRegexes()
    {
        // Isolated: the text between matches is a piece too.
        const PreTokenizer digits(R"(\d+)", "digits");
        QCOMPARE(split(digits, "ab12cd345"), (Pieces{"ab", "12", "cd", "345"}));
        const PreTokenizer none("", "none");
        QCOMPARE(split(none, "a b c"), (Pieces{"a b c"}));
        // An empty match splits without making an empty piece.
        const PreTokenizer empty(R"(x*)", "empty");
        QCOMPARE(split(empty, "ab"), (Pieces{"a", "b"}));
        // A repeated group over a long run outgrows PCRE2's default JIT stack; the larger one takes over.
        std::string long_;
        for (int i = 0; i < 200000; ++i)
            long_ += "abc";
        const PreTokenizer deep(R"((?:a|bc)+)", "deep");
        QCOMPARE(split(deep, long_ + " "), (Pieces{long_, " "}));
        QVERIFY_THROWS_EXCEPTION(Error, PreTokenizer("(?<", "bad"));
    }

    // NfcNormalizer skips ICU for text below U+0300: exact only if every such code point is its own NFC
    // form and never interacts with the character before it (a boundary before it, whatever precedes).
    void nfcShortcutIsExact()
    {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
        QVERIFY(U_SUCCESS(status));
        for (UChar32 c = 0; c < 0x300; ++c) {
            QVERIFY2(nfc->isNormalized(icu::UnicodeString(c), status) && nfc->hasBoundaryBefore(c),
                     std::to_string(c).c_str());
        }
        QVERIFY(!nfc->hasBoundaryBefore(0x300)); // the first combining mark: where the shortcut must stop
    }

    // ignore_merges false: a piece that is a vocabulary entry still only becomes it through merges.
    void bpeMergesByRankLeftmostFirst()
    {
        const auto json = syntheticTokenizerJson({"bc", "abc", "ab", "xy", "aa", "aaa"},
                                                 {{"b", "c"}, {"a", "b"}, {"a", "bc"}, {"a", "a"}, {"aa", "a"}});
        const auto t = Tokenizer::fromTokenizerJsonText(json.dump(), "synthetic.json");
        QCOMPARE(t->encode("abc"), ids({257}));         // b+c (rank 0) first, then a+bc; never a+b
        QCOMPARE(t->encode("ab"), ids({258}));          // a+b
        QCOMPARE(t->encode("xy"), ids({'x', 'y'}));     // in the vocabulary, but no merge builds it
        QCOMPARE(t->encode("aaa"), ids({261}));         // a+a at the left, then aa+a
        QCOMPARE(t->encode("aaaa"), ids({260, 260}));   // a+a (rank 3) twice before aa+a (rank 4)
        QCOMPARE(t->encode("aaaaa"), ids({260, 261}));  // aa aa a -> aa aaa
        QCOMPARE(t->encode("abc abc"), ids({257, ' ', 257}));

        const auto pairOnly = Tokenizer::fromTokenizerJsonText(
            syntheticTokenizerJson({"aa"}, {{"a", "a"}}).dump(), "pair.json");
        QCOMPARE(pairOnly->encode("aaa"), ids({256, 'a'})); // the leftmost of equal-rank pairs merges first
    }

    void addedTokenFlags()
    {
        auto json = syntheticTokenizerJson();
        auto lstrip = addedTokenJson(300, "<X>");
        lstrip["lstrip"] = true;
        auto rstrip = addedTokenJson(301, "<Y>");
        rstrip["rstrip"] = true;
        auto word = addedTokenJson(302, "cat", false);
        word["single_word"] = true;
        auto normalized = addedTokenJson(303, "\u00e9", false); // é, matched in the NFC text
        normalized["normalized"] = true;
        auto raw = addedTokenJson(304, "\u00f1", false); // ñ, matched in the raw text only
        json["added_tokens"] = {lstrip, rstrip, word, normalized, raw, addedTokenJson(305, "<Y>>")};
        const auto t = Tokenizer::fromTokenizerJsonText(json.dump(), "added.json");

        QCOMPARE(t->encode("a  <X>b"), ids({'a', 300, 'b'}));
        QCOMPARE(t->encode("a<Y> \t b"), ids({'a', 301, 'b'}));
        QCOMPARE(t->encode("<Y>  <X>"), ids({301, 300})); // the spaces went to <Y>, <X> takes none
        QCOMPARE(t->encode("<Y>>"), ids({305}));         // longest match wins
        QCOMPARE(t->encode("the cat sat"), ids({'t', 'h', 'e', ' ', 302, ' ', 's', 'a', 't'}));
        QCOMPARE(t->encode("cat!"), ids({302, '!'}));
        QCOMPARE(t->encode("concat"), ids({'c', 'o', 'n', 'c', 'a', 't'})); // not a whole word: plain text
        QCOMPARE(t->encode("cats"), ids({'c', 'a', 't', 's'}));
        QCOMPARE(t->encode("e\u0301"), ids({303}));                 // NFC makes it é, then it matches
        QCOMPARE(t->encode("n\u0303"), ids({0xC3, 0xB1}));          // NFC makes it ñ, too late to match
        QCOMPARE(t->encode("\u00f1"), ids({304}));
        QCOMPARE(t->vocabSize(), std::size_t(306));
        QCOMPARE(t->tokenBytes(280), std::string()); // a gap between the vocabulary and the added tokens
    }
};

QTEST_GUILESS_MAIN(TestTokenizerParts)
#include "test_tokenizer_parts.moc"
