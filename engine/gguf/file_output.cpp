#include "gguf/file_output.h"

#include "core/error.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ponder {

FileOutput::FileOutput(const std::filesystem::path& path) : name_(path.string())
{
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0)
        fail("cannot open for writing", errno);
}

FileOutput::FileOutput(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

FileOutput::~FileOutput()
{
    if (fd_ >= 0)
        ::close(fd_);
}

void FileOutput::write(std::span<const std::uint8_t> bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail("cannot write", errno);
        if (n == 0) // a regular file never does this; do not spin on a device that does
            fail("cannot write", EIO);
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
}

void FileOutput::writeZeros(std::uint64_t count)
{
    static constexpr std::array<std::uint8_t, 4096> kZeros{};
    while (count > 0) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(count, kZeros.size()));
        write({kZeros.data(), n});
        count -= n;
    }
}

void FileOutput::finish()
{
    // EINVAL: the descriptor is a pipe or device that cannot be synced; there is nothing to flush then.
    if (::fsync(fd_) != 0 && errno != EINVAL)
        fail("cannot flush to disk", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && errno != EINTR)
        fail("cannot close", errno);
}

void FileOutput::fail(const std::string& action, int err) const
{
    throw Error(name_ + ": " + action + ": " + std::strerror(err));
}

void writeFileAtomically(const std::filesystem::path& path, const std::function<void(FileOutput&)>& fill)
{
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    // Same folder as the target, so rename() stays within one file system and is atomic.
    std::string temp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0)
        throw Error(path.string() + ": cannot create a temporary file in " + dir.string() + ": " +
                    std::strerror(errno));
    try {
        FileOutput out(fd, path.string());
        ::fchmod(fd, 0644); // mkostemp creates 0600; a model file is not a secret
        fill(out);
        out.finish();
        if (::rename(temp.c_str(), path.c_str()) != 0)
            throw Error(path.string() + ": cannot move the finished file into place: " + std::strerror(errno));
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
}

} // namespace ponder
