#include "answer_printer.h"

#include <unistd.h>

namespace ponder::cli {

AnswerPrinter::AnswerPrinter(std::FILE* out) : out_(out), terminal_(isatty(fileno(out)) == 1) {}

void AnswerPrinter::setDim(bool dim)
{
    if (terminal_ && dim != dim_)
        std::fputs(dim ? "\x1b[2m" : "\x1b[0m", out_);
    dim_ = dim;
}

void AnswerPrinter::endLine()
{
    if (!atLineStart_)
        std::fputc('\n', out_);
    atLineStart_ = true;
}

void AnswerPrinter::write(std::string_view text, Channel channel)
{
    if (text.empty())
        return;
    if (channel == Channel::Content && reasoningShown_) {
        setDim(false);
        endLine();
        std::fputc('\n', out_);
        reasoningShown_ = false;
    }
    reasoningShown_ = reasoningShown_ || channel == Channel::Reasoning;
    setDim(channel == Channel::Reasoning);
    std::fwrite(text.data(), 1, text.size(), out_);
    atLineStart_ = text.back() == '\n';
    std::fflush(out_); // stream token by token, also into a pipe
}

void AnswerPrinter::note(std::string_view text)
{
    endLine();
    setDim(true);
    std::fwrite(text.data(), 1, text.size(), out_);
    setDim(false);
    std::fputc('\n', out_);
    std::fflush(out_);
}

void AnswerPrinter::finish()
{
    reasoningShown_ = false;
    setDim(false);
    endLine();
    std::fflush(out_);
}

} // namespace ponder::cli
