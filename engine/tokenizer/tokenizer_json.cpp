// Tokenizer::fromTokenizerJson: reads a Hugging Face tokenizer.json and accepts exactly the pipeline this
// engine reproduces (byte-level BPE, optional NFC, Split regex + ByteLevel); anything else is refused with
// "unsupported tokenizer: ..." rather than silently tokenised differently.
#include "tokenizer/tokenizer.h"

#include "core/error.h"
#include "tokenizer/known_patterns.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <sstream>

namespace ponder {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxVocabulary = 1u << 24; // far above any real vocabulary; bounds a hostile id

[[noreturn]] void unsupported(const std::string& source, const std::string& what)
{
    throw Error(source + ": unsupported tokenizer: " + what);
}

// The member `key` of `object`, or null when absent; a reference, so the 10 MB model is never copied.
const json& member(const json& object, const char* key)
{
    static const json null;
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

std::string typeOf(const json& component)
{
    if (!component.is_object() || !component.contains("type") || !component["type"].is_string())
        return "(no type)";
    return component["type"].get<std::string>();
}

bool flag(const json& object, const char* key, bool fallback)
{
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? fallback : it->get<bool>();
}

std::string escapeLiteral(const std::string& text) // a Split "String" pattern as a regex
{
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80 && !std::isalnum(u))
            out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

void readModel(const json& model, const std::string& source, TokenizerSpec& spec)
{
    if (!model.is_object())
        throw Error(source + ": \"model\" is missing or not an object");
    if (typeOf(model) != "BPE")
        unsupported(source, "model type '" + typeOf(model) + "' (only BPE is supported)");
    if (flag(model, "byte_fallback", false))
        unsupported(source, "BPE with byte_fallback");
    if (flag(model, "ignore_merges", false))
        unsupported(source, "BPE with ignore_merges");
    if (model.contains("dropout") && !model["dropout"].is_null() && model["dropout"].get<double>() != 0.0)
        unsupported(source, "BPE with dropout");
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
        if (model.contains(key) && !model[key].is_null() && !model[key].get<std::string>().empty())
            unsupported(source, std::string("BPE with ") + key);

    const json& vocab = model.at("vocab");
    if (!vocab.is_object())
        throw Error(source + ": model.vocab is not an object");
    for (const auto& [text, idValue] : vocab.items()) {
        const auto id = idValue.get<std::int64_t>();
        if (id < 0 || static_cast<std::size_t>(id) >= kMaxVocabulary)
            throw Error(source + ": model.vocab gives token '" + text + "' the id " + std::to_string(id));
        if (spec.tokens.size() <= static_cast<std::size_t>(id))
            spec.tokens.resize(static_cast<std::size_t>(id) + 1);
        spec.tokens[static_cast<std::size_t>(id)] = text;
    }

    const json& merges = model.at("merges");
    if (!merges.is_array())
        throw Error(source + ": model.merges is not an array");
    spec.merges.reserve(merges.size());
    for (const json& merge : merges) {
        if (merge.is_string()) { // "a b", the format before tokenizers 0.20
            spec.merges.push_back(merge.get<std::string>());
            continue;
        }
        if (!merge.is_array() || merge.size() != 2)
            throw Error(source + ": merge " + std::to_string(spec.merges.size()) +
                        " is neither \"a b\" nor [\"a\", \"b\"]");
        const auto left = merge[0].get<std::string>(), right = merge[1].get<std::string>();
        if (left.find(' ') != std::string::npos || right.find(' ') != std::string::npos)
            unsupported(source, "merge " + std::to_string(spec.merges.size()) +
                                    " has a space inside a token (not a byte-level vocabulary)");
        spec.merges.push_back(left + " " + right);
    }
}

void readNormalizer(const json& root, const std::string& source, TokenizerSpec& spec)
{
    const json& normalizer = member(root, "normalizer");
    spec.nfc = false;
    if (normalizer.is_null())
        return;
    const std::string type = typeOf(normalizer);
    if (type == "NFC") {
        spec.nfc = true;
        return;
    }
    if (type == "Sequence" && normalizer.contains("normalizers") && normalizer["normalizers"].is_array()) {
        const json& list = normalizer["normalizers"];
        if (list.empty())
            return;
        if (list.size() == 1 && typeOf(list[0]) == "NFC") {
            spec.nfc = true;
            return;
        }
    }
    unsupported(source, "normalizer '" + type + "' (only NFC or none)");
}

// ByteLevel as the last pre-tokenizer step: maps bytes, may split by the GPT-2 regex itself.
void checkByteLevel(const json& byteLevel, const std::string& source)
{
    if (flag(byteLevel, "add_prefix_space", false))
        unsupported(source, "ByteLevel pre-tokenizer with add_prefix_space");
}

void readPreTokenizer(const json& root, const std::string& source, TokenizerSpec& spec)
{
    const json& pre = member(root, "pre_tokenizer");
    const std::string type = typeOf(pre);
    if (type == "ByteLevel") {
        checkByteLevel(pre, source);
        spec.preTokenizerPattern = flag(pre, "use_regex", true) ? std::string(kGpt2Pattern) : std::string();
        return;
    }
    const json& steps = member(pre, "pretokenizers");
    if (type != "Sequence" || !steps.is_array() || steps.size() != 2 || typeOf(steps[0]) != "Split" || typeOf(steps[1]) != "ByteLevel")
        unsupported(source, "pre-tokenizer '" + type +
                                "' (only ByteLevel, or Sequence[Split, ByteLevel with use_regex false])");
    const json& split = steps[0];
    checkByteLevel(steps[1], source);
    if (flag(steps[1], "use_regex", true))
        unsupported(source, "Split followed by a ByteLevel pre-tokenizer that splits again (use_regex true)");
    if (split.value("behavior", std::string()) != "Isolated" || flag(split, "invert", false))
        unsupported(source, "Split pre-tokenizer with behavior '" + split.value("behavior", std::string()) +
                                "'" + (flag(split, "invert", false) ? " inverted" : "") +
                                " (only Isolated, not inverted)");
    const json& pattern = split.at("pattern");
    if (pattern.contains("Regex"))
        spec.preTokenizerPattern = pattern["Regex"].get<std::string>();
    else if (pattern.contains("String"))
        spec.preTokenizerPattern = escapeLiteral(pattern["String"].get<std::string>());
    else
        throw Error(source + ": Split pre-tokenizer pattern has neither Regex nor String");
    if (spec.preTokenizerPattern.empty())
        throw Error(source + ": Split pre-tokenizer pattern is empty");
}

void readDecoder(const json& root, const std::string& source)
{
    const json& decoder = member(root, "decoder");
    if (!decoder.is_null() && typeOf(decoder) != "ByteLevel")
        unsupported(source, "decoder '" + typeOf(decoder) + "' (only ByteLevel)");
}

void readAddedTokens(const json& root, const std::string& source, TokenizerSpec& spec)
{
    const json& added = member(root, "added_tokens");
    if (added.is_null())
        return;
    if (!added.is_array())
        throw Error(source + ": added_tokens is not an array");
    for (const json& entry : added) {
        AddedToken token;
        token.id = entry.at("id").get<std::int32_t>();
        token.content = entry.at("content").get<std::string>();
        token.special = flag(entry, "special", false);
        token.lstrip = flag(entry, "lstrip", false);
        token.rstrip = flag(entry, "rstrip", false);
        token.singleWord = flag(entry, "single_word", false);
        token.normalized = flag(entry, "normalized", !token.special); // HF's default for a new token
        spec.addedTokens.push_back(std::move(token));
    }
}

} // namespace

std::unique_ptr<Tokenizer> Tokenizer::fromTokenizerJsonText(std::string_view text, const std::string& source)
{
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        throw Error(source + ": not valid JSON: " + e.what());
    }
    if (!root.is_object())
        throw Error(source + ": not a tokenizer.json (the top level is not an object)");
    TokenizerSpec spec;
    try {
        readModel(member(root, "model"), source, spec);
        readNormalizer(root, source, spec);
        readPreTokenizer(root, source, spec);
        readDecoder(root, source);
        readAddedTokens(root, source, spec);
    } catch (const json::exception& e) { // a field of the wrong type or missing
        throw Error(source + ": malformed tokenizer.json: " + e.what());
    }
    return std::make_unique<Tokenizer>(std::move(spec), source);
}

std::unique_ptr<Tokenizer> Tokenizer::fromTokenizerJson(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path.string() + ": cannot open the file");
    std::ostringstream text;
    text << in.rdbuf(); // an empty or unreadable file then fails as "not valid JSON"
    return fromTokenizerJsonText(text.str(), path.string());
}

} // namespace ponder
