#pragma once
// A bounds-checked little-endian cursor over untrusted bytes. Every read checks the remaining length first
// and throws ponder::Error naming the source, the offset and what was being read, so a truncated or hostile
// file can never make a parser read past its end.
#include "core/error.h"

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace ponder {

class ByteReader {
public:
    ByteReader(std::span<const std::uint8_t> bytes, std::string sourceName)
        : bytes_(bytes), source_(std::move(sourceName)) {}

    std::size_t offset() const { return offset_; }
    std::size_t remaining() const { return bytes_.size() - offset_; }
    const std::string& source() const { return source_; }

    template <typename T>
    T read(std::string_view what)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        require(sizeof(T), what);
        T value;
        std::memcpy(&value, bytes_.data() + offset_, sizeof(T)); // unaligned-safe; hosts are little-endian
        offset_ += sizeof(T);
        return value;
    }

    std::span<const std::uint8_t> readBytes(std::uint64_t count, std::string_view what)
    {
        require(count, what);
        auto out = bytes_.subspan(offset_, static_cast<std::size_t>(count));
        offset_ += static_cast<std::size_t>(count);
        return out;
    }

    void skip(std::uint64_t count, std::string_view what) { readBytes(count, what); }

    void seek(std::uint64_t offset, std::string_view what)
    {
        if (offset > bytes_.size())
            fail(std::string(what) + " at offset " + std::to_string(offset) + " is past the end of the data (" +
                 std::to_string(bytes_.size()) + " bytes)");
        offset_ = static_cast<std::size_t>(offset);
    }

    [[noreturn]] void fail(const std::string& problem) const { throw Error(source_ + ": " + problem); }

private:
    void require(std::uint64_t count, std::string_view what) const
    {
        if (count > remaining())
            fail("truncated: " + std::string(what) + " needs " + std::to_string(count) + " bytes at offset " +
                 std::to_string(offset_) + " but only " + std::to_string(remaining()) + " remain");
    }

    std::span<const std::uint8_t> bytes_;
    std::string source_;
    std::size_t offset_ = 0;
};

} // namespace ponder
