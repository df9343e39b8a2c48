#pragma once
// Streams a generated answer to a terminal or a pipe as it arrives: reasoning first, dimmed (ANSI faint)
// when the stream is a terminal so it reads apart from the answer, then the content. On a pipe the text is
// written unchanged, byte for byte what the model said, with one blank line between reasoning and content
// so they stay apart without the terminal's styling.
#include "generation/generation_session.h"

#include <cstdio>
#include <string_view>

namespace ponder::cli {

class AnswerPrinter {
public:
    explicit AnswerPrinter(std::FILE* out);

    void write(std::string_view text, Channel channel);
    // A remark about the answer (budget reached, stats), dimmed on a terminal, on a line of its own.
    void note(std::string_view text);
    // Ends the answer: resets the style and makes sure the output ends with a newline.
    void finish();
    bool terminal() const { return terminal_; }

private:
    void setDim(bool dim);
    void endLine();

    std::FILE* out_;
    bool terminal_;
    bool dim_ = false;
    bool atLineStart_ = true;
    bool reasoningShown_ = false; // reasoning text was written and the content has not started yet
};

} // namespace ponder::cli
