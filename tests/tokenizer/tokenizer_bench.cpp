// Encoding speed on one core: ~1 MB of mixed text (corpus.json shuffled and repeated, one document) is
// encoded once with an empty piece cache ("cold") and then again ("warm"), and decoded; then ~1 MB of
// random letter strings, where almost no piece repeats, shows BPE without the cache's help. Not a test.
#include "test_support.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_test_corpus.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using namespace ponder;

namespace {

double secondsOf(const auto& work)
{
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main()
{
    try {
        auto corpus = test::loadTokenizerCorpus();
        std::mt19937 random(1234);
        std::string text;
        while (text.size() < 1'000'000) {
            std::shuffle(corpus.begin(), corpus.end(), random);
            for (const auto& entry : corpus) {
                text += entry.bytes;
                text += "\n\n";
            }
        }
        const double mb = static_cast<double>(text.size()) / 1e6;

        std::unique_ptr<Tokenizer> tokenizer;
        const double load = secondsOf([&] { tokenizer = Tokenizer::fromTokenizerJson(test::tokenizerJson()); });
        std::vector<std::int32_t> ids;
        const double cold = secondsOf([&] { ids = tokenizer->encode(text); });
        const double warm = secondsOf([&] { ids = tokenizer->encode(text); });
        std::string decoded;
        const double decode = secondsOf([&] { decoded = tokenizer->decode(ids); });

        std::printf("tokenizer.json load: %.2f s\n", load);
        std::printf("text: %.2f MB, %zu tokens\n", mb, ids.size());
        std::printf("encode cold: %.2f MB/s, %.0f tokens/s\n", mb / cold, static_cast<double>(ids.size()) / cold);
        std::printf("encode warm: %.2f MB/s, %.0f tokens/s\n", mb / warm, static_cast<double>(ids.size()) / warm);
        std::printf("decode:      %.1f MB/s\n", static_cast<double>(decoded.size()) / 1e6 / decode);

        std::string words;
        std::uniform_int_distribution<int> letter('a', 'z'), length(3, 12);
        while (words.size() < 1'000'000) {
            words += ' ';
            for (int n = length(random); n > 0; --n)
                words += static_cast<char>(letter(random));
        }
        const double wordsSeconds = secondsOf([&] { ids = tokenizer->encode(words); });
        std::printf("encode random words (cache misses): %.2f MB/s, %.0f tokens/s\n",
                    static_cast<double>(words.size()) / 1e6 / wordsSeconds,
                    static_cast<double>(ids.size()) / wordsSeconds);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tokenizer_bench: %s\n", e.what());
        return 1;
    }
}
