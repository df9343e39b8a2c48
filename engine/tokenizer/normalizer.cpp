#include "tokenizer/normalizer.h"

#include "core/error.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>

namespace ponder {
namespace {

const icu::Normalizer2& nfc(const void* p) { return *static_cast<const icu::Normalizer2*>(p); }

// Every code point below U+0300 is its own NFC form and never composes with a neighbour (the first
// combining mark is U+0300, whose UTF-8 lead byte is 0xCC), so such text needs no ICU call at all.
bool belowCombiningMarks(std::string_view text)
{
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0xCC)
            return false;
    return true;
}

} // namespace

NfcNormalizer::NfcNormalizer()
{
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || !instance)
        throw Error(std::string("cannot load ICU's NFC normaliser: ") + u_errorName(status));
    nfc_ = instance;
}

std::string_view NfcNormalizer::apply(std::string_view text, std::string& scratch) const
{
    if (belowCombiningMarks(text))
        return text;
    const icu::StringPiece piece(text.data(), static_cast<std::int32_t>(text.size()));
    UErrorCode status = U_ZERO_ERROR;
    if (nfc(nfc_).isNormalizedUTF8(piece, status) && U_SUCCESS(status))
        return text;
    status = U_ZERO_ERROR;
    scratch.clear();
    icu::StringByteSink<std::string> sink(&scratch, static_cast<std::int32_t>(text.size()));
    nfc(nfc_).normalizeUTF8(0, piece, sink, nullptr, status);
    if (U_FAILURE(status))
        throw Error(std::string("NFC normalisation failed: ") + u_errorName(status));
    return scratch;
}

} // namespace ponder
