#pragma once
// Helpers for the GGUF tests: RawGguf builds files field by field, independently of GgufWriter, so that the
// reader is checked against the format itself (and the writer against hand-encoded bytes); GGUF_EXPECT_ERROR
// asserts that an expression throws ponder::Error whose message contains the expected text.
#include "core/error.h"
#include "gguf/gguf.h"

#include <QTest>

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::test {

class RawGguf {
public:
    template <typename T>
    RawGguf& put(T value)
    {
        const auto at = bytes.size();
        bytes.resize(at + sizeof(T));
        std::memcpy(bytes.data() + at, &value, sizeof(T)); // test hosts are little-endian, like GGUF
        return *this;
    }
    RawGguf& u8(std::uint8_t v) { return put(v); }
    RawGguf& u32(std::uint32_t v) { return put(v); }
    RawGguf& u64(std::uint64_t v) { return put(v); }
    RawGguf& raw(std::string_view s)
    {
        bytes.insert(bytes.end(), s.begin(), s.end());
        return *this;
    }
    RawGguf& str(std::string_view s) { return u64(s.size()).raw(s); }
    RawGguf& zeros(std::size_t n)
    {
        bytes.resize(bytes.size() + n, 0);
        return *this;
    }
    RawGguf& header(std::uint32_t version, std::uint64_t tensors, std::uint64_t kvs)
    {
        return raw("GGUF").u32(version).u64(tensors).u64(kvs);
    }
    // Key and value type; the caller appends the value.
    RawGguf& key(std::string_view k, GgufType type) { return str(k).u32(static_cast<std::uint32_t>(type)); }
    RawGguf& tensorInfo(std::string_view name, const std::vector<std::uint64_t>& dims, std::uint32_t type,
                        std::uint64_t offset)
    {
        str(name).u32(static_cast<std::uint32_t>(dims.size()));
        for (auto d : dims)
            u64(d);
        return u32(type).u64(offset);
    }
    RawGguf& padTo(std::size_t alignment) { return zeros((alignment - bytes.size() % alignment) % alignment); }
    std::size_t size() const { return bytes.size(); }

    std::vector<std::uint8_t> bytes;
};

// The message of the ponder::Error that parsing `bytes` throws, or nullopt when it parses.
inline std::optional<std::string> ggufParseError(std::span<const std::uint8_t> bytes,
                                                 const std::string& source = "hostile.gguf")
{
    try {
        GgufFile::parse(bytes, source);
    } catch (const Error& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

} // namespace ponder::test

#define GGUF_EXPECT_ERROR(expression, needle)                                                                 \
    do {                                                                                                      \
        std::optional<std::string> message_;                                                                  \
        try {                                                                                                 \
            (void)(expression);                                                                               \
        } catch (const ponder::Error& e) {                                                                    \
            message_ = e.what();                                                                              \
        }                                                                                                     \
        const std::string needle_ = (needle);                                                                 \
        QVERIFY2(message_.has_value(), ("no ponder::Error; expected one containing: " + needle_).c_str());    \
        QVERIFY2(message_->find(needle_) != std::string::npos,                                                \
                 ("message \"" + *message_ + "\" does not contain \"" + needle_ + "\"").c_str());             \
    } while (false)
