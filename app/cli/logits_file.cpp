#include "logits_file.h"

#include "core/error.h"

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ponder::cli {

LogitsFile::LogitsFile(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "wb"), &std::fclose)
{
    if (!file_)
        throw Error(path + ": cannot create (" + std::strerror(errno) + ")");
}

void LogitsFile::append(std::span<const float> logits)
{
    static_assert(sizeof(float) == 4);
    std::size_t written = 0;
    if constexpr (std::endian::native == std::endian::little) {
        written = std::fwrite(logits.data(), sizeof(float), logits.size(), file_.get());
    } else {
        std::vector<std::uint32_t> swapped(logits.size());
        for (std::size_t i = 0; i < logits.size(); ++i) {
            const auto bits = std::bit_cast<std::uint32_t>(logits[i]);
            swapped[i] = (bits >> 24) | ((bits >> 8) & 0xff00u) | ((bits << 8) & 0xff0000u) | (bits << 24);
        }
        written = std::fwrite(swapped.data(), sizeof(std::uint32_t), swapped.size(), file_.get());
    }
    if (written != logits.size())
        throw Error(path_ + ": cannot write (" + std::strerror(errno) + ")");
}

void LogitsFile::close()
{
    if (!file_)
        return;
    if (std::fflush(file_.get()) != 0 || std::fclose(file_.release()) != 0)
        throw Error(path_ + ": cannot write (" + std::strerror(errno) + ")");
}

} // namespace ponder::cli
