#pragma once
// A read-only memory map of a whole file. Model files are gigabytes: mapping them lets the OS page weights in
// on demand and share them between processes, instead of copying them into our heap.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

namespace ponder {

class MappedFile {
public:
    // Throws ponder::Error naming the path when the file cannot be opened or mapped.
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;

    std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
    std::size_t size() const { return size_; }
    const std::filesystem::path& path() const { return path_; }

private:
    void release() noexcept;

    std::filesystem::path path_;
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace ponder
