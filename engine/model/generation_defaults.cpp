#include "model/generation_defaults.h"

#include "core/error.h"
#include "gguf/gguf.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ponder::detail {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& problem)
{
    throw Error(source + ": " + problem);
}

// Sampling parameters are all finite and non-negative (a temperature of 0 means greedy).
double checkSetting(double value, const std::string& source, const std::string& key)
{
    if (!std::isfinite(value) || value < 0.0)
        fail(source, key + " is " + std::to_string(value) + ", expected a number >= 0");
    return value;
}

std::int32_t checkTokenId(std::int64_t id, const std::string& source, const std::string& key)
{
    if (id < 0 || id > std::numeric_limits<std::int32_t>::max())
        fail(source, key + " holds token id " + std::to_string(id) + ", which is not a valid id");
    return static_cast<std::int32_t>(id);
}

std::optional<double> jsonNumber(const json& object, const std::string& field, const std::string& source)
{
    auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    if (!it->is_number())
        fail(source, field + " must be a number, not " + it->dump());
    return checkSetting(it->get<double>(), source, field);
}

std::optional<std::int64_t> jsonInt(const json& object, const std::string& field, const std::string& source)
{
    auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
        fail(source, field + " must be a non-negative integer, not " + it->dump());
    return it->get<std::int64_t>();
}

// eos_token_id: one id or a list of ids; absent gives none.
std::vector<std::int32_t> jsonEosIds(const json& object, const std::string& source)
{
    auto it = object.find("eos_token_id");
    if (it == object.end() || it->is_null())
        return {};
    std::vector<std::int32_t> ids;
    const auto add = [&](const json& id) {
        if (!id.is_number_integer())
            fail(source, "eos_token_id must be a token id or a list of token ids, not " + it->dump());
        ids.push_back(checkTokenId(id.get<std::int64_t>(), source, "eos_token_id"));
    };
    if (it->is_array())
        for (const auto& id : *it)
            add(id);
    else
        add(*it);
    return ids;
}

std::optional<double> ggufSetting(const GgufFile& gguf, const std::string& key, const std::string& source)
{
    const GgufValue* value = gguf.find(key);
    if (!value)
        return std::nullopt;
    auto number = value->asFloat();
    if (!number)
        fail(source, key + " has type " + std::string(ggufTypeName(value->type)) + ", expected a number");
    return checkSetting(*number, source, key);
}

std::optional<std::int64_t> ggufInt(const GgufFile& gguf, const std::string& key, const std::string& source)
{
    const GgufValue* value = gguf.find(key);
    if (!value)
        return std::nullopt;
    auto integer = value->asInt();
    if (!integer)
        fail(source, key + " has type " + std::string(ggufTypeName(value->type)) + ", expected an integer");
    if (*integer < 0)
        fail(source, key + " is " + std::to_string(*integer) + ", expected a non-negative integer");
    return integer;
}

void addUnique(std::vector<std::int32_t>& ids, std::int32_t id)
{
    if (std::find(ids.begin(), ids.end(), id) == ids.end())
        ids.push_back(id);
}

} // namespace

GenerationDefaults generationDefaultsFromHf(const std::optional<json>& generationConfig,
                                            const std::string& generationSource, const json& config,
                                            const std::string& configSource)
{
    GenerationDefaults defaults;
    if (!generationConfig) {
        defaults.eosTokenIds = jsonEosIds(config, configSource);
        return defaults;
    }
    const json& generation = *generationConfig;
    if (!generation.is_object())
        fail(generationSource, "expected a JSON object, not " + generation.dump());
    defaults.temperature = jsonNumber(generation, "temperature", generationSource);
    defaults.topP = jsonNumber(generation, "top_p", generationSource);
    defaults.topK = jsonInt(generation, "top_k", generationSource);
    defaults.minP = jsonNumber(generation, "min_p", generationSource);
    defaults.repetitionPenalty = jsonNumber(generation, "repetition_penalty", generationSource);
    defaults.eosTokenIds = jsonEosIds(generation, generationSource);
    if (defaults.eosTokenIds.empty())
        defaults.eosTokenIds = jsonEosIds(config, configSource);
    return defaults;
}

GenerationDefaults generationDefaultsFromGguf(const GgufFile& gguf, const std::string& source)
{
    GenerationDefaults defaults;
    defaults.temperature = ggufSetting(gguf, "general.sampling.temp", source);
    defaults.topP = ggufSetting(gguf, "general.sampling.top_p", source);
    defaults.topK = ggufInt(gguf, "general.sampling.top_k", source);
    defaults.minP = ggufSetting(gguf, "general.sampling.min_p", source);
    defaults.repetitionPenalty = ggufSetting(gguf, "general.sampling.penalty_repeat", source);
    for (const char* key : {"tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id"})
        if (auto id = ggufInt(gguf, key, source))
            addUnique(defaults.eosTokenIds, checkTokenId(*id, source, key));
    return defaults;
}

void completeStopIds(GenerationDefaults& defaults, const Tokenizer& tokenizer, std::int64_t vocabSize,
                     const std::string& source)
{
    for (const char* token : {"<|im_end|>", "<|endoftext|>"})
        if (auto id = tokenizer.tokenId(token))
            addUnique(defaults.eosTokenIds, *id);
    for (auto id : defaults.eosTokenIds)
        if (id >= vocabSize)
            fail(source, "end-of-generation token id " + std::to_string(id) + " is outside the vocabulary of " +
                             std::to_string(vocabSize) + " tokens");
}

} // namespace ponder::detail
