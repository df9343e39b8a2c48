#include "core/utf8.h"
#include "tokenizer/tokenizer.h"

namespace ponder {

std::string StreamingDecoder::push(std::int32_t id)
{
    pending_ += tokenizer_.tokenBytes(id);
    // Hold back only an unfinished character; bytes that can never become valid are passed on as U+FFFD
    // now, so every chunk is valid UTF-8 and the chunks concatenate to flush()'s view of the whole text.
    const std::size_t complete = completeUtf8Prefix(pending_);
    std::string out = sanitizeUtf8(std::string_view(pending_).substr(0, complete));
    pending_.erase(0, complete);
    return out;
}

std::string StreamingDecoder::flush()
{
    std::string out = sanitizeUtf8(pending_);
    pending_.clear();
    return out;
}

} // namespace ponder
