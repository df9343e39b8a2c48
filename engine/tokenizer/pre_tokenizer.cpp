#include "tokenizer/pre_tokenizer.h"

#include "core/error.h"
#include "tokenizer/oniguruma_pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace ponder {
namespace {

std::string pcre2Message(int code)
{
    PCRE2_UCHAR buffer[256];
    if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0)
        return "PCRE2 error " + std::to_string(code);
    return reinterpret_cast<const char*>(buffer);
}

struct MatchDataDeleter {
    void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};
struct JitStackDeleter {
    void operator()(pcre2_jit_stack* stack) const { pcre2_jit_stack_free(stack); }
};
struct MatchContextDeleter {
    void operator()(pcre2_match_context* context) const { pcre2_match_context_free(context); }
};

std::size_t utf8Length(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

} // namespace

struct PreTokenizer::Compiled {
    pcre2_code* code = nullptr;
    ~Compiled() { pcre2_code_free(code); }
};

PreTokenizer::PreTokenizer(std::string_view pattern, const std::string& source) : source_(source)
{
    if (pattern.empty())
        return;
    const std::string translated = onigurumaToPcre2(pattern, source);
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                                     PCRE2_UTF | PCRE2_UCP, &errorCode, &errorOffset, nullptr);
    if (!code)
        throw Error(source + ": pre-tokenizer regex does not compile at offset " + std::to_string(errorOffset) +
                    ": " + pcre2Message(errorCode));
    compiled_ = std::make_unique<Compiled>();
    compiled_->code = code;
    // JIT makes splitting several times faster; where it is unavailable the interpreter gives the same matches.
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
}

PreTokenizer::~PreTokenizer() = default;

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& pieces) const
{
    if (text.empty())
        return;
    if (!compiled_) {
        pieces.push_back(text);
        return;
    }
    std::unique_ptr<pcre2_match_data, MatchDataDeleter> match(
        pcre2_match_data_create_from_pattern(compiled_->code, nullptr));
    if (!match)
        throw Error(source_ + ": out of memory for pre-tokenizer match data");
    // Created only if a match runs out of the default JIT stack (very long runs of one kind of text).
    std::unique_ptr<pcre2_jit_stack, JitStackDeleter> bigStack;
    std::unique_ptr<pcre2_match_context, MatchContextDeleter> bigContext;

    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    std::size_t gapStart = 0; // end of the previous match: text from here to the next match is a gap piece
    std::size_t searchFrom = 0;
    while (searchFrom < text.size()) {
        int rc = pcre2_match(compiled_->code, subject, text.size(), searchFrom, PCRE2_NO_UTF_CHECK, match.get(),
                             bigContext.get());
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT && !bigContext) {
            bigStack.reset(pcre2_jit_stack_create(64 * 1024, 64 * 1024 * 1024, nullptr));
            bigContext.reset(pcre2_match_context_create(nullptr));
            if (!bigStack || !bigContext)
                throw Error(source_ + ": out of memory for the pre-tokenizer regex stack");
            pcre2_jit_stack_assign(bigContext.get(), nullptr, bigStack.get());
            continue;
        }
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0)
            throw Error(source_ + ": pre-tokenizer regex failed at byte " + std::to_string(searchFrom) + ": " +
                        pcre2Message(rc));
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.get());
        const std::size_t start = ovector[0], end = ovector[1];
        if (start > gapStart)
            pieces.push_back(text.substr(gapStart, start - gapStart));
        if (end > start) {
            pieces.push_back(text.substr(start, end - start));
            gapStart = searchFrom = end;
        } else {
            // An empty match splits nothing; step over one character so the search moves on.
            gapStart = start;
            searchFrom = start + utf8Length(static_cast<unsigned char>(text[start]));
        }
    }
    if (gapStart < text.size())
        pieces.push_back(text.substr(gapStart));
}

} // namespace ponder
