#include "generation/reasoning_splitter.h"

namespace ponder {

ThinkTags ThinkTags::lookup(const Tokenizer& tokenizer)
{
    return {tokenizer.tokenId("<think>"), tokenizer.tokenId("</think>")};
}

Channel startingChannel(std::span<const std::int32_t> promptIds, const ThinkTags& tags)
{
    for (std::size_t i = promptIds.size(); i-- > 0;) {
        if (promptIds[i] == tags.open)
            return Channel::Reasoning;
        if (promptIds[i] == tags.close)
            return Channel::Content;
    }
    return Channel::Content;
}

std::string ReasoningSplitter::ChannelText::append(std::string_view bytes)
{
    std::string out;
    for (const char c : bytes) { // '\n' is never part of a multi-byte sequence, so bytewise is safe
        if (!started) {
            if (c == '\n')
                continue;
            started = true;
        }
        if (holdTrailing) {
            if (c == '\n') {
                heldNewlines += c;
                continue;
            }
            out += heldNewlines;
            heldNewlines.clear();
        }
        out += c;
    }
    text += out;
    return out;
}

ReasoningSplitter::ReasoningSplitter(const Tokenizer& tokenizer, ThinkTags tags, Channel start)
    : tags_(tags), channel_(start), thinkBlockSeen_(start == Channel::Reasoning),
      reasoning_(tokenizer, /*holdTrailingNewlines=*/true), content_(tokenizer, /*holdTrailingNewlines=*/false)
{
}

ReasoningSplitter::Piece ReasoningSplitter::push(std::int32_t id)
{
    if (channel_ == Channel::Content && id == tags_.open && !thinkBlockSeen_ && content_.text.empty()) {
        channel_ = Channel::Reasoning;
        thinkBlockSeen_ = true;
        return {Channel::Reasoning, {}};
    }
    if (channel_ == Channel::Reasoning && id == tags_.close)
        return endReasoning();
    if (channel_ == Channel::Reasoning)
        ++reasoningTokens_;
    ChannelText& text = current();
    return {channel_, text.append(text.decoder.push(id))};
}

ReasoningSplitter::Piece ReasoningSplitter::closeReasoning()
{
    if (channel_ != Channel::Reasoning)
        return {channel_, {}};
    return endReasoning();
}

// The reasoning is over: an unfinished character is flushed (as U+FFFD), its trailing newlines are dropped.
ReasoningSplitter::Piece ReasoningSplitter::endReasoning()
{
    Piece piece{Channel::Reasoning, reasoning_.append(reasoning_.decoder.flush())};
    reasoning_.heldNewlines.clear();
    channel_ = Channel::Content;
    return piece;
}

std::vector<ReasoningSplitter::Piece> ReasoningSplitter::finish()
{
    std::vector<Piece> pieces;
    // A truncated reasoning (no </think>) is still reasoning, trimmed the same way.
    if (channel_ == Channel::Reasoning)
        pieces.push_back(endReasoning());
    pieces.push_back({Channel::Content, content_.append(content_.decoder.flush())});
    std::erase_if(pieces, [](const Piece& p) { return p.text.empty(); });
    return pieces;
}

} // namespace ponder
