#pragma once
// A small byte-level BPE tokenizer.json for tests that need exact control over the vocabulary and merges:
// the 256 byte tokens (id = byte value), then `extraTokens` (ids 256, 257, ...), Qwen's pipeline (NFC,
// Split with the Qwen2 regex, ByteLevel, ByteLevel decoder) and no added tokens. Tests edit the JSON.
#include "tokenizer/byte_level.h"
#include "tokenizer/known_patterns.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace ponder::test {

inline nlohmann::json syntheticTokenizerJson(const std::vector<std::string>& extraTokens = {},
                                             const std::vector<std::pair<std::string, std::string>>& merges = {})
{
    nlohmann::json vocab = nlohmann::json::object();
    for (int b = 0; b < 256; ++b) {
        const char byte = static_cast<char>(b);
        vocab[byteLevelEncode(std::string_view(&byte, 1))] = b;
    }
    int next = 256;
    for (const auto& token : extraTokens)
        vocab[token] = next++;
    nlohmann::json mergeList = nlohmann::json::array();
    for (const auto& [left, right] : merges)
        mergeList.push_back({left, right});
    const nlohmann::json byteLevel = {
        {"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}};
    return {
        {"version", "1.0"},
        {"added_tokens", nlohmann::json::array()},
        {"normalizer", {{"type", "NFC"}}},
        {"pre_tokenizer",
         {{"type", "Sequence"},
          {"pretokenizers",
           {{{"type", "Split"},
             {"pattern", {{"Regex", std::string(kQwen2Pattern)}}},
             {"behavior", "Isolated"},
             {"invert", false}},
            byteLevel}}}},
        {"post_processor", byteLevel},
        {"decoder", byteLevel},
        {"model",
         {{"type", "BPE"},
          {"dropout", nullptr},
          {"unk_token", nullptr},
          {"continuing_subword_prefix", ""},
          {"end_of_word_suffix", ""},
          {"fuse_unk", false},
          {"byte_fallback", false},
          {"ignore_merges", false},
          {"vocab", vocab},
          {"merges", mergeList}}},
    };
}

inline nlohmann::json addedTokenJson(int id, const std::string& content, bool special = true)
{
    return {{"id", id},           {"content", content}, {"single_word", false}, {"lstrip", false},
            {"rstrip", false},    {"normalized", false}, {"special", special}};
}

} // namespace ponder::test
