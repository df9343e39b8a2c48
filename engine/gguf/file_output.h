#pragma once
// Writing files so that failure is loud and leaves nothing behind. Synthetic models are gigabytes, so a full
// disk is a real case: every failed write names the file and the system's reason, and writeFileAtomically()
// builds the file under a temporary name next to the target, renaming it into place only once it is
// complete and on disk.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>

namespace ponder {

// An open file descriptor written with plain write(2), retried on short writes and EINTR.
class FileOutput {
public:
    // Opens `path` for writing, creating or truncating it. Throws ponder::Error naming the path.
    explicit FileOutput(const std::filesystem::path& path);
    // Takes ownership of an open descriptor; `name` is the path used in error messages.
    FileOutput(int fd, std::string name);
    ~FileOutput(); // closes without checking: the error path already has an error to report
    FileOutput(const FileOutput&) = delete;
    FileOutput& operator=(const FileOutput&) = delete;

    void write(std::span<const std::uint8_t> bytes);
    void writeZeros(std::uint64_t count);
    // fsync and close, so that delayed write-back errors (disk full, I/O error) are reported here.
    void finish();

    const std::string& name() const { return name_; }

private:
    [[noreturn]] void fail(const std::string& action, int err) const;

    int fd_ = -1;
    std::string name_;
};

// Creates `path` with the content `fill` writes. The content goes to a temporary file in the same folder
// (so that the final rename is atomic), which replaces `path` only after `fill` returned and the data was
// flushed; if anything throws, the temporary file is removed and `path` is left as it was.
void writeFileAtomically(const std::filesystem::path& path, const std::function<void(FileOutput&)>& fill);

} // namespace ponder
