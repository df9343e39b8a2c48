// SafetensorsWriter: writes files the reference implementation (and so PyTorch/transformers) can read.
// Tensors are laid out contiguously in the order they were added; the header is padded with spaces to a
// multiple of 8 bytes, as the reference writer does, so the data section starts 8-byte aligned.
// Output goes to a temporary file in the same folder that is renamed over the target only when complete,
// so a crash, a full disk or a failing producer never leaves a truncated model behind.
#include "safetensors/safetensors.h"

#include "core/error.h"
#include "core/utf8.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <unistd.h>

namespace ponder {
namespace {

constexpr std::string_view kWriterSource = "safetensors writer";

[[noreturn]] void failAdd(const std::string& problem) { throw Error(std::string(kWriterSource) + ": " + problem); }

const char* dtypeName(TensorType type)
{
    switch (type) {
    case TensorType::F32: return "F32";
    case TensorType::F16: return "F16";
    case TensorType::BF16: return "BF16";
    default: return nullptr;
    }
}

// Bytes of a tensor with these dims; throws on a negative dim or overflow.
std::uint64_t tensorBytes(const std::string& name, TensorType type, const std::vector<std::int64_t>& dims)
{
    std::uint64_t bytes = tensorTypeInfo(type).blockBytes;
    for (auto d : dims) {
        if (d < 0)
            failAdd("tensor " + name + " has negative dimension " + std::to_string(d));
        const auto factor = static_cast<std::uint64_t>(d);
        if (factor != 0 && bytes > std::numeric_limits<std::uint64_t>::max() / factor)
            failAdd("tensor " + name + " is too large (byte size overflows)");
        bytes *= factor;
    }
    return bytes;
}

// Owns the temporary file while it is being written: closes and deletes it unless commit() renamed it into
// place, so every early exit (exception from a producer, I/O error) cleans up.
class TempFile {
public:
    explicit TempFile(const std::filesystem::path& target) : target_(target)
    {
        static std::atomic<unsigned> counter{0};
        for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
            temp_ = target;
            temp_ += ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
            // 0666 lets the umask decide the final permissions, as for any ordinary new file.
            fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd_ < 0 && errno != EEXIST)
                fail("cannot create temporary file " + temp_.string());
        }
        if (fd_ < 0)
            fail("cannot create a temporary file next to it");
    }
    ~TempFile()
    {
        if (fd_ >= 0)
            ::close(fd_);
        if (!committed_)
            ::unlink(temp_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    void write(const void* data, std::size_t size)
    {
        const auto* p = static_cast<const std::uint8_t*>(data);
        while (size > 0) {
            const ssize_t n = ::write(fd_, p, size);
            if (n < 0 && errno == EINTR)
                continue;
            if (n == 0)
                errno = EIO; // a regular file never accepts zero bytes; do not report a stale errno
            if (n <= 0)
                fail("cannot write");
            p += n;
            size -= static_cast<std::size_t>(n);
        }
    }

    void commit()
    {
        // fsync before rename: otherwise a power cut can leave the new name pointing at empty blocks.
        if (::fsync(fd_) != 0)
            fail("cannot flush to disk");
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0)
            fail("cannot write");
        if (::rename(temp_.c_str(), target_.c_str()) != 0)
            fail("cannot move the finished file into place");
        committed_ = true;
    }

    [[noreturn]] void fail(const std::string& what) const
    {
        const int err = errno;
        throw Error(target_.string() + ": " + what + ": " + std::strerror(err));
    }

private:
    std::filesystem::path target_;
    std::filesystem::path temp_;
    int fd_ = -1;
    bool committed_ = false;
};

} // namespace

void SafetensorsWriter::add(std::string name, TensorType type, std::vector<std::int64_t> dims, Producer produce)
{
    if (!dtypeName(type))
        failAdd("tensor " + name + " has type " + tensorTypeName(type) +
                ", but safetensors files hold only F32, F16 and BF16");
    if (name.empty() || name == "__metadata__" || !isValidUtf8(name))
        failAdd("\"" + sanitizeUtf8(name) + "\" cannot be a tensor name");
    for (const auto& t : tensors_)
        if (t.name == name)
            failAdd("tensor " + name + " was added twice");
    if (!produce)
        failAdd("tensor " + name + " has no data producer");
    tensorBytes(name, type, dims); // validates dims now, where the mistake is made
    tensors_.push_back({std::move(name), type, std::move(dims), std::move(produce)});
}

void SafetensorsWriter::add(std::string name, TensorType type, std::vector<std::int64_t> dims,
                            std::vector<std::uint8_t> data)
{
    if (dtypeName(type)) {
        const std::uint64_t expected = tensorBytes(name, type, dims);
        if (data.size() != expected)
            failAdd("tensor " + name + " has " + std::to_string(data.size()) + " bytes of data, but its dims need " +
                    std::to_string(expected));
    }
    add(std::move(name), type, std::move(dims), [bytes = std::move(data)] { return bytes; });
}

void SafetensorsWriter::setMetadata(std::string key, std::string value)
{
    if (!isValidUtf8(key) || !isValidUtf8(value))
        failAdd("metadata \"" + sanitizeUtf8(key) + "\" is not valid UTF-8");
    metadata_[std::move(key)] = std::move(value);
}

std::uint64_t SafetensorsWriter::dataBytes() const
{
    std::uint64_t total = 0;
    for (const auto& t : tensors_)
        total += tensorBytes(t.name, t.type, t.dims);
    return total;
}

void SafetensorsWriter::write(const std::filesystem::path& path) const
{
    // ordered_json keeps keys in insertion order: __metadata__ first, then the tensors as added.
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata_.empty())
        header["__metadata__"] = metadata_;
    std::vector<std::uint64_t> sizes;
    std::uint64_t offset = 0;
    for (const auto& t : tensors_) {
        const std::uint64_t bytes = tensorBytes(t.name, t.type, t.dims);
        nlohmann::ordered_json info = nlohmann::ordered_json::object();
        info["dtype"] = dtypeName(t.type);
        info["shape"] = std::vector<std::int64_t>(t.dims.rbegin(), t.dims.rend()); // ggml -> PyTorch order
        info["data_offsets"] = {offset, offset + bytes};
        header[t.name] = std::move(info);
        sizes.push_back(bytes);
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');

    std::uint8_t length[8];
    for (int i = 0; i < 8; ++i)
        length[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(text.size()) >> (8 * i));

    TempFile out(path);
    out.write(length, sizeof length);
    out.write(text.data(), text.size());
    for (std::size_t i = 0; i < tensors_.size(); ++i) {
        // One tensor in memory at a time: a converted model can be far larger than RAM.
        const std::vector<std::uint8_t> bytes = tensors_[i].produce();
        if (bytes.size() != sizes[i])
            throw Error(path.string() + ": tensor " + tensors_[i].name + " produced " +
                        std::to_string(bytes.size()) + " bytes, but its dims need " + std::to_string(sizes[i]));
        out.write(bytes.data(), bytes.size());
    }
    out.commit();
}

} // namespace ponder
