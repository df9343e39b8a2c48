#pragma once
// Splits an answer's tokens into reasoning and content on the <think> / </think> token ids (never on text, so
// a model writing the characters "<think>" inside its answer does not switch channels), and decodes each
// channel's text with its own StreamingDecoder so no chunk ends inside a UTF-8 character.
//
// The text is trimmed the way the Qwen3 chat template parses an assistant message back, so what the user
// sees is what the template would re-render for the next turn:
//   reasoning = reasoning_content.strip('\n')   (the "\n" after <think>, the "\n" before </think>)
//   content   = content.lstrip('\n')            (the "\n\n" after </think>; trailing newlines are kept)
// Leading newlines are dropped as they arrive; trailing newlines of the reasoning are held back until more
// reasoning text follows, and dropped when the reasoning ends.
#include "generation/generation_session.h"
#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

// The ids of the think tags in a vocabulary (looked up by text, never hard-coded). Either may be missing
// (a tokenizer without them): then nothing is ever reasoning.
struct ThinkTags {
    std::optional<std::int32_t> open;
    std::optional<std::int32_t> close;

    static ThinkTags lookup(const Tokenizer& tokenizer);
};

// The channel a generation starts in: Reasoning when the prompt's last think tag is an open <think> (the
// Qwen3-2507 Thinking template ends its generation prompt with "<think>\n"), Content otherwise (no think
// block, or the empty "<think>\n\n</think>\n\n" of enable_thinking=false).
Channel startingChannel(std::span<const std::int32_t> promptIds, const ThinkTags& tags);

class ReasoningSplitter {
public:
    ReasoningSplitter(const Tokenizer& tokenizer, ThinkTags tags, Channel start);

    struct Piece {
        Channel channel = Channel::Content;
        std::string text; // complete UTF-8, trimmed as described above; may be empty
    };

    // One generated token. The tags that switch channels give no text: <think> opens reasoning only at the
    // start of an answer (no think block yet, no content text yet); </think> closes it. A tag in any other
    // place is ordinary text of the current channel.
    Piece push(std::int32_t id);
    // Ends the reasoning without a generated </think> (the thinking budget fed the closing text through the
    // model itself). Returns the reasoning bytes that were held back (an unfinished character, as U+FFFD).
    Piece closeReasoning();
    // End of the answer: text still held back by the channel decoders (an unfinished character, as U+FFFD),
    // at most one piece per channel, empty pieces left out.
    std::vector<Piece> finish();

    Channel channel() const { return channel_; }
    // Tokens generated inside the think block, the tags not counted (what the thinking budget limits).
    std::int64_t reasoningTokens() const { return reasoningTokens_; }
    const std::string& reasoning() const { return reasoning_.text; }
    const std::string& content() const { return content_.text; }

private:
    // One channel's decoder and trimming state.
    struct ChannelText {
        ChannelText(const Tokenizer& tokenizer, bool holdTrailingNewlines)
            : decoder(tokenizer), holdTrailing(holdTrailingNewlines) {}
        StreamingDecoder decoder;
        bool holdTrailing;
        bool started = false;     // a character other than '\n' has been seen
        std::string heldNewlines; // trailing '\n' not yet known to be followed by text
        std::string text;         // everything emitted so far
        std::string append(std::string_view bytes);
    };

    ChannelText& current() { return channel_ == Channel::Reasoning ? reasoning_ : content_; }
    Piece endReasoning();

    ThinkTags tags_;
    Channel channel_;
    bool thinkBlockSeen_;
    std::int64_t reasoningTokens_ = 0;
    ChannelText reasoning_;
    ChannelText content_;
};

} // namespace ponder
