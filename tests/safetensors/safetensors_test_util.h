#pragma once
// Helpers for the safetensors tests: building files byte by byte (so the reader is checked against the
// format, not against our own writer), encoding values, and asserting on ponder::Error messages.
#include "core/error.h"
#include "core/half.h"

#include <QTest>

#include <cstdint>
#include <cstring>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::test {

// A safetensors file: u64 little-endian length of `header`, the header, then `data`.
inline std::string rawSafetensors(std::string_view header, std::string_view data = {})
{
    std::string out;
    std::uint64_t n = header.size();
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
    out.append(header);
    out.append(data);
    return out;
}

inline std::span<const std::uint8_t> asBytes(const std::string& s)
{
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

inline std::string asString(std::span<const std::uint8_t> bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Little-endian encodings of values in each dtype.
inline std::vector<std::uint8_t> f32Bytes(const std::vector<float>& values)
{
    std::vector<std::uint8_t> out(values.size() * 4);
    std::memcpy(out.data(), values.data(), out.size()); // test hosts are little-endian, like every Ponder target
    return out;
}

inline std::vector<std::uint8_t> u16Bytes(const std::vector<std::uint16_t>& values)
{
    std::vector<std::uint8_t> out;
    for (auto v : values) {
        out.push_back(static_cast<std::uint8_t>(v & 0xFF));
        out.push_back(static_cast<std::uint8_t>(v >> 8));
    }
    return out;
}

inline std::vector<std::uint8_t> f16Bytes(const std::vector<float>& values)
{
    std::vector<std::uint16_t> halves;
    for (float v : values)
        halves.push_back(floatToFp16(v));
    return u16Bytes(halves);
}

inline std::vector<std::uint8_t> bf16Bytes(const std::vector<float>& values)
{
    std::vector<std::uint16_t> halves;
    for (float v : values)
        halves.push_back(floatToBf16(v));
    return u16Bytes(halves);
}

// The message of the ponder::Error `fn` throws, or a description of what happened instead.
template <typename F>
std::string errorMessage(F&& fn)
{
    try {
        fn();
    } catch (const ponder::Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("(not a ponder::Error: ") + e.what() + ")";
    }
    return "(no error thrown)";
}

} // namespace ponder::test

// Asserts that `statement` throws ponder::Error and that its message contains `needle`.
#define PONDER_EXPECT_ERROR(statement, needle)                                                               \
    do {                                                                                                     \
        const std::string message_ = ::ponder::test::errorMessage([&] { statement; });                       \
        const std::string needle_ = (needle);                                                                \
        QVERIFY2(message_.find(needle_) != std::string::npos,                                                \
                 ("expected an error containing \"" + needle_ + "\", got: " + message_).c_str());            \
    } while (false)
