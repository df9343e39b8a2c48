#pragma once
// The NFC normaliser (tokenizer.json "normalizer": {"type": "NFC"}), done by ICU directly on UTF-8.
#include <string>
#include <string_view>

namespace ponder {

class NfcNormalizer {
public:
    NfcNormalizer(); // throws ponder::Error when ICU's NFC data cannot be loaded

    // `text` (valid UTF-8) in NFC: `text` itself when it already is (the common case, no copy),
    // otherwise the normalised form, written to `scratch`.
    std::string_view apply(std::string_view text, std::string& scratch) const;

private:
    const void* nfc_ = nullptr; // icu::Normalizer2, kept opaque so ICU headers stay out of this header
};

} // namespace ponder
