#pragma once
// --logits-out FILE: every generation step's full logits vector, raw little-endian float32, one vector after
// another with nothing in between (numpy.fromfile(FILE, "<f4").reshape(-1, vocab) reads it back), for
// comparing the engine with a reference implementation step by step.
#include <cstdio>
#include <memory>
#include <span>
#include <string>

namespace ponder::cli {

class LogitsFile {
public:
    explicit LogitsFile(const std::string& path); // creates or truncates; ponder::Error when it cannot
    void append(std::span<const float> logits);
    void close(); // flushes; ponder::Error when the data did not reach the file

private:
    std::string path_;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
};

} // namespace ponder::cli
