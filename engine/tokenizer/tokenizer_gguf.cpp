// Tokenizer::fromGguf: the tokenizer.ggml.* keys that llama.cpp's converter writes for Qwen2/2.5/3.
// GGUF names the pre-tokenizer instead of storing its regex, so only names we know are accepted.
#include "tokenizer/tokenizer.h"

#include "core/error.h"
#include "gguf/gguf.h"
#include "tokenizer/known_patterns.h"

namespace ponder {
namespace {

// llama.cpp's token types.
enum TokenType : std::int64_t {
    kUndefined = 0,
    kNormal = 1,
    kUnknown = 2,
    kControl = 3,     // special tokens such as <|im_start|>: added tokens
    kUserDefined = 4, // added tokens such as <tool_call> that are not special
    kUnused = 5,      // "[PAD151669]" fillers up to the model's vocabulary size: never produced
    kByte = 6,
};

const std::vector<GgufValue>& stringArray(const GgufFile& gguf, const char* key)
{
    const GgufValue* value = gguf.find(key);
    if (!value)
        throw Error(gguf.source() + ": " + key + " is missing");
    if (value->type != GgufType::Array || value->elementType != GgufType::String)
        throw Error(gguf.source() + ": " + key + " is not an array of strings");
    return value->items;
}

} // namespace

std::unique_ptr<Tokenizer> Tokenizer::fromGguf(const GgufFile& gguf)
{
    const std::string& source = gguf.source();
    const auto model = gguf.getString("tokenizer.ggml.model");
    if (!model)
        throw Error(source + ": the file has no tokenizer (tokenizer.ggml.model is missing)");
    if (*model != "gpt2")
        throw Error(source + ": unsupported tokenizer: tokenizer.ggml.model is '" + *model +
                    "' (only 'gpt2' byte-level BPE is supported)");
    const auto pre = gguf.getString("tokenizer.ggml.pre");
    if (!pre || *pre != "qwen2")
        throw Error(source + ": unsupported tokenizer: tokenizer.ggml.pre is '" + pre.value_or("(missing)") +
                    "' (only 'qwen2' is supported)");

    const auto& tokens = stringArray(gguf, "tokenizer.ggml.tokens");
    const auto& merges = stringArray(gguf, "tokenizer.ggml.merges");
    const GgufValue* types = gguf.find("tokenizer.ggml.token_type");
    if (!types || types->type != GgufType::Array)
        throw Error(source + ": tokenizer.ggml.token_type is missing or not an array");
    if (types->items.size() != tokens.size())
        throw Error(source + ": tokenizer.ggml.token_type has " + std::to_string(types->items.size()) +
                    " entries but tokenizer.ggml.tokens has " + std::to_string(tokens.size()));

    TokenizerSpec spec;
    spec.preTokenizerPattern = std::string(kQwen2Pattern);
    spec.nfc = true; // the Qwen2 tokenizer.json normaliser, which GGUF does not record
    spec.tokens.resize(tokens.size());
    for (std::size_t id = 0; id < tokens.size(); ++id) {
        const std::string& text = tokens[id].s;
        const auto type = types->items[id].asInt();
        if (!type)
            throw Error(source + ": tokenizer.ggml.token_type[" + std::to_string(id) + "] is not an integer");
        switch (*type) {
        case kUndefined:
        case kNormal:
        case kUnknown:
        case kByte:
            spec.tokens[id] = text;
            break;
        case kControl:
        case kUserDefined:
            // Kept out of the BPE vocabulary, as in tokenizer.json, where added tokens are listed apart.
            spec.addedTokens.push_back(AddedToken{.id = static_cast<std::int32_t>(id),
                                                  .content = text,
                                                  .special = *type == kControl});
            break;
        case kUnused:
            break; // a gap: decodes to nothing, never matched in text
        default:
            throw Error(source + ": token " + std::to_string(id) + " '" + text + "' has unknown type " +
                        std::to_string(*type));
        }
    }
    spec.merges.reserve(merges.size());
    for (const GgufValue& merge : merges)
        spec.merges.push_back(merge.s);
    return std::make_unique<Tokenizer>(std::move(spec), source);
}

} // namespace ponder
