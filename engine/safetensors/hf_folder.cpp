// HfFolder: a model folder as downloaded from the Hugging Face hub. The folder is untrusted input like any
// file in it: the shard index may name files outside the folder, list shards that were not downloaded, or
// disagree with the shards themselves, and each of those must be a clear error rather than a crash or a
// silently missing weight.
#include "safetensors/hf_folder.h"

#include "core/error.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

namespace ponder {
namespace {

namespace fs = std::filesystem;

constexpr const char* kConfig = "config.json";
constexpr const char* kSingleWeights = "model.safetensors";
constexpr const char* kShardIndex = "model.safetensors.index.json";

std::optional<nlohmann::json> readOptionalJson(const fs::path& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return std::nullopt;
    return readJsonFile(path);
}

// A shard named by the index must be a file directly inside the folder: an index from the internet must not
// make us open "../../.ssh/id_rsa" or "/dev/zero".
bool isPlainFileName(const std::string& name)
{
    if (name.empty() || name == "." || name == "..")
        return false;
    if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
        return false;
    return name.find('\0') == std::string::npos;
}

// Reads model.safetensors.index.json: tensor name -> shard file name, with both checked to be strings.
std::map<std::string, std::string> readWeightMap(const fs::path& indexPath)
{
    const nlohmann::json index = readJsonFile(indexPath);
    const auto fail = [&](const std::string& problem) { throw Error(indexPath.string() + ": " + problem); };
    if (!index.is_object())
        fail("not a JSON object");
    auto it = index.find("weight_map");
    if (it == index.end())
        fail("has no \"weight_map\"");
    if (!it->is_object())
        fail("\"weight_map\" is not an object");
    std::map<std::string, std::string> weightMap;
    for (const auto& [tensor, shard] : it->items()) {
        if (!shard.is_string())
            fail("\"weight_map\" entry for tensor " + tensor + " is not a file name string");
        const auto& name = shard.get_ref<const std::string&>();
        if (!isPlainFileName(name))
            fail("shard " + shard.dump() + " for tensor " + tensor + " is not a plain file name inside the folder");
        weightMap.emplace(tensor, name);
    }
    if (weightMap.empty())
        fail("\"weight_map\" lists no tensors");
    return weightMap;
}

} // namespace

nlohmann::json readJsonFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path.string() + ": cannot open: " + std::strerror(errno));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw Error(path.string() + ": cannot read: " + std::strerror(errno));
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path.string() + ": invalid JSON: " + e.what());
    }
}

std::unique_ptr<HfFolder> HfFolder::open(const std::filesystem::path& folder)
{
    const auto fail = [&](const std::string& problem) { throw Error(folder.string() + ": " + problem); };
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        fail("not a folder");
    if (!fs::exists(folder / kConfig, ec))
        fail("not a Hugging Face model folder (no config.json)");

    std::unique_ptr<HfFolder> hf(new HfFolder());
    hf->folder_ = folder;
    hf->config_ = readJsonFile(folder / kConfig);
    if (!hf->config_.is_object())
        throw Error((folder / kConfig).string() + ": not a JSON object");
    hf->generationConfig_ = readOptionalJson(folder / "generation_config.json");
    hf->tokenizerConfig_ = readOptionalJson(folder / "tokenizer_config.json");

    // Which shard each tensor lives in, as far as the index says; empty for a single-file model.
    std::map<std::string, std::string> weightMap;
    std::vector<std::string> shardNames;
    // transformers prefers the single file when both exist; do the same so we load what it loads.
    if (fs::exists(folder / kSingleWeights, ec)) {
        shardNames.push_back(kSingleWeights);
    } else if (fs::exists(folder / kShardIndex, ec)) {
        weightMap = readWeightMap(folder / kShardIndex);
        std::set<std::string> distinct;
        for (const auto& [tensor, shard] : weightMap)
            distinct.insert(shard);
        shardNames.assign(distinct.begin(), distinct.end());
    } else {
        fail(std::string("no weights (neither ") + kSingleWeights + " nor " + kShardIndex + ")");
    }

    std::map<std::string, std::size_t> shardByName;
    for (const auto& name : shardNames) {
        const fs::path shardPath = folder / name;
        if (!fs::exists(shardPath, ec)) {
            const auto listed = std::find_if(weightMap.begin(), weightMap.end(),
                                             [&](const auto& entry) { return entry.second == name; });
            throw Error((folder / kShardIndex).string() + ": shard " + name + " (listed for tensor " +
                        listed->first + ") is missing from the folder");
        }
        shardByName.emplace(name, hf->shards_.size());
        hf->shards_.push_back(SafetensorsFile::open(shardPath));
    }

    for (const auto& [tensor, shard] : weightMap)
        if (!hf->shards_[shardByName.at(shard)]->tensor(tensor))
            throw Error((folder / kShardIndex).string() + ": tensor " + tensor + " is mapped to " + shard +
                        ", which does not contain it");

    // Every tensor of every shard is exposed, listed in the index or not; a name in two shards is ambiguous.
    std::map<std::string, std::size_t> owner; // tensor name -> shard
    for (std::size_t s = 0; s < hf->shards_.size(); ++s) {
        for (const auto& view : hf->shards_[s]->tensors()) {
            auto [it, inserted] = owner.emplace(view.name, s);
            if (!inserted)
                fail("tensor " + view.name + " appears in both " + shardNames[it->second] + " and " +
                     shardNames[s]);
            hf->tensors_.push_back(view);
        }
    }
    std::sort(hf->tensors_.begin(), hf->tensors_.end(),
              [](const TensorView& a, const TensorView& b) { return a.name < b.name; });
    for (std::size_t i = 0; i < hf->tensors_.size(); ++i)
        hf->index_.emplace(hf->tensors_[i].name, i);
    return hf;
}

const TensorView* HfFolder::tensor(std::string_view name) const
{
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

std::uint64_t HfFolder::weightFileBytes() const
{
    std::uint64_t total = 0;
    for (const auto& shard : shards_)
        total += shard->fileSize();
    return total;
}

} // namespace ponder
