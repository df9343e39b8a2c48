// Tokenizer: added-token split -> NFC -> regex split -> byte-level BPE, and the reverse for decoding.
#include "tokenizer/tokenizer.h"

#include "core/error.h"
#include "core/utf8.h"
#include "tokenizer/added_tokens.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/pre_tokenizer.h"

#include <algorithm>
#include <unordered_map>

namespace ponder {
namespace {

constexpr std::int32_t kMaxTokenId = 1 << 24; // far above any real vocabulary; bounds a hostile id

} // namespace

struct Tokenizer::Impl {
    Impl(TokenizerSpec& spec, const std::string& source)
        : model(spec.tokens, spec.merges, source), preTokenizer(spec.preTokenizerPattern, source)
    {
    }

    BpeModel model;
    PreTokenizer preTokenizer;
    std::optional<NfcNormalizer> nfc;
    AddedTokenMatcher rawMatcher;        // added tokens with normalized false: matched in the raw text
    AddedTokenMatcher normalizedMatcher; // normalized true: matched in the NFC text between those
    std::vector<AddedToken> addedTokens;
    std::unordered_map<std::string, std::int32_t> addedIds; // content -> id
    std::vector<std::string> bytesOf;                       // id -> decoded bytes ("" for gaps)
};

Tokenizer::Tokenizer(TokenizerSpec spec, const std::string& source)
{
    impl_ = std::make_unique<Impl>(spec, source);
    Impl& impl = *impl_;
    if (spec.nfc)
        impl.nfc.emplace();

    std::size_t size = spec.tokens.size();
    std::vector<AddedToken> raw, normalized;
    for (AddedToken& token : spec.addedTokens) {
        if (token.id < 0 || token.id >= kMaxTokenId || token.content.empty())
            throw Error(source + ": added token " + std::to_string(token.id) + " '" + token.content +
                        "' needs an id from 0 to " + std::to_string(kMaxTokenId - 1) + " and non-empty content");
        if (!isValidUtf8(token.content))
            throw Error(source + ": added token " + std::to_string(token.id) + " is not valid UTF-8");
        if (token.normalized && impl.nfc) {
            std::string scratch;
            token.content = std::string(impl.nfc->apply(token.content, scratch)); // matched against NFC text
        }
        size = std::max(size, static_cast<std::size_t>(token.id) + 1);
        impl.addedIds[token.content] = token.id;
        (token.normalized ? normalized : raw).push_back(token);
    }
    impl.rawMatcher = AddedTokenMatcher(std::move(raw));
    impl.normalizedMatcher = AddedTokenMatcher(std::move(normalized));

    impl.bytesOf.resize(size);
    for (std::size_t id = 0; id < spec.tokens.size(); ++id) {
        // Like Hugging Face's ByteLevel decoder: text outside the byte alphabet decodes to itself.
        auto bytes = byteLevelDecode(spec.tokens[id]);
        impl.bytesOf[id] = bytes ? std::move(*bytes) : spec.tokens[id];
    }
    // Added tokens decode to their content (for Qwen3's all-ASCII tokens this is what HF gives too).
    for (const AddedToken& token : spec.addedTokens)
        impl.bytesOf[static_cast<std::size_t>(token.id)] = token.content;
    impl.addedTokens = std::move(spec.addedTokens);
}

Tokenizer::~Tokenizer() = default;

std::vector<std::int32_t> Tokenizer::encode(std::string_view text) const
{
    const Impl& impl = *impl_;
    // Hugging Face only ever sees valid text (a Rust String, a Python str decoded with errors="replace");
    // the same lossy decoding here (each maximal invalid subsequence -> U+FFFD) gives the same ids.
    std::string sanitized;
    if (!isValidUtf8(text)) {
        sanitized = sanitizeUtf8(text);
        text = sanitized;
    }

    std::vector<std::int32_t> ids;
    ids.reserve(text.size() / 3 + 8);
    std::vector<TextSegment> segments, innerSegments;
    std::vector<std::string_view> pieces;
    std::string normalizedScratch;

    const auto encodePlain = [&](std::string_view plain) {
        pieces.clear();
        impl.preTokenizer.split(plain, pieces);
        for (std::string_view piece : pieces)
            impl.model.encodePiece(piece, ids);
    };

    impl.rawMatcher.split(text, segments);
    for (const TextSegment& segment : segments) {
        if (segment.id >= 0) {
            ids.push_back(segment.id);
            continue;
        }
        const std::string_view normalized =
            impl.nfc ? impl.nfc->apply(segment.text, normalizedScratch) : segment.text;
        if (impl.normalizedMatcher.empty()) {
            encodePlain(normalized);
            continue;
        }
        innerSegments.clear();
        impl.normalizedMatcher.split(normalized, innerSegments);
        for (const TextSegment& inner : innerSegments) {
            if (inner.id >= 0)
                ids.push_back(inner.id);
            else
                encodePlain(inner.text);
        }
    }
    return ids;
}

std::string Tokenizer::decode(std::span<const std::int32_t> ids) const
{
    std::string out;
    for (std::int32_t id : ids)
        if (id >= 0 && static_cast<std::size_t>(id) < impl_->bytesOf.size())
            out += impl_->bytesOf[static_cast<std::size_t>(id)];
    return out;
}

std::optional<std::int32_t> Tokenizer::tokenId(std::string_view tokenText) const
{
    if (const auto it = impl_->addedIds.find(std::string(tokenText)); it != impl_->addedIds.end())
        return it->second;
    return impl_->model.idOf(tokenText);
}

std::string Tokenizer::tokenBytes(std::int32_t id) const
{
    if (id < 0 || static_cast<std::size_t>(id) >= impl_->bytesOf.size())
        return {};
    return impl_->bytesOf[static_cast<std::size_t>(id)];
}

std::size_t Tokenizer::vocabSize() const { return impl_->bytesOf.size(); }

const std::vector<AddedToken>& Tokenizer::addedTokens() const { return impl_->addedTokens; }

} // namespace ponder
