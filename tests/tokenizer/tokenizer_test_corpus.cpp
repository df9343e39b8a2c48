#include "tokenizer_test_corpus.h"

#include "test_support.h"

#include <QByteArray>

#include <stdexcept>

namespace ponder::test {

std::vector<CorpusEntry> loadTokenizerCorpus()
{
    const auto corpus = nlohmann::json::parse(readFile(testsSourceDir() / "tokenizer" / "corpus.json"));
    std::vector<CorpusEntry> entries;
    for (const auto& item : corpus) {
        if (item.is_string()) {
            entries.push_back({item.get<std::string>(), item});
        } else {
            const QByteArray decoded =
                QByteArray::fromBase64(QByteArray::fromStdString(item.at("base64").get<std::string>()));
            entries.push_back({decoded.toStdString(), {{"base64", item.at("base64")}}});
        }
    }
    return entries;
}

std::vector<std::vector<std::int32_t>> referenceIds(const std::vector<CorpusEntry>& corpus)
{
    nlohmann::json items = nlohmann::json::array();
    for (const auto& entry : corpus)
        items.push_back(entry.item);
    const auto script = testsSourceDir() / "tokenizer" / "reference_tokenize.js";
    const ProcessResult result =
        runNode({QString::fromStdString(script.string())}, QByteArray::fromStdString(items.dump()));
    if (result.exitCode != 0)
        throw std::runtime_error("reference_tokenize.js failed (exit " + std::to_string(result.exitCode) +
                                 "): " + result.err.toStdString());
    const auto parsed = nlohmann::json::parse(result.out.toStdString());
    if (!parsed.is_array() || parsed.size() != corpus.size())
        throw std::runtime_error("reference_tokenize.js returned " + std::to_string(parsed.size()) +
                                 " results for " + std::to_string(corpus.size()) + " strings");
    std::vector<std::vector<std::int32_t>> ids;
    for (const auto& one : parsed)
        ids.push_back(one.get<std::vector<std::int32_t>>());
    return ids;
}

std::string qwen3TokenizerJsonText() { return readFile(tokenizerJson()); }

std::string printable(const std::string& bytes)
{
    std::string text = nlohmann::json(bytes).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > 300)
        text = text.substr(0, 300) + "...";
    return text;
}

std::string printable(const std::vector<std::int32_t>& ids)
{
    std::string text = nlohmann::json(ids).dump();
    if (text.size() > 300)
        text = text.substr(0, 300) + "...";
    return text;
}

} // namespace ponder::test
