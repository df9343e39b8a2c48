#include "machine_info.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>

namespace ponder::cli {

std::string cpuModelName()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    std::string fallback;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
        const auto start = line.find_first_not_of(" \t", colon + 1);
        const std::string value = start == std::string::npos ? "" : line.substr(start);
        if (value.empty())
            continue;
        if (key == "model name")
            return value;
        if ((key == "Model" || key == "Hardware") && fallback.empty())
            fallback = value;
    }
    return fallback.empty() ? "unknown CPU" : fallback;
}

double memcpyGigabytesPerSecond()
{
    constexpr std::size_t kBytes = std::size_t{256} << 20;
    constexpr int kCopies = 5;
    const std::unique_ptr<char[]> source(new char[kBytes]);
    const std::unique_ptr<char[]> target(new char[kBytes]);
    // Write every page first, so the timed copies pay for memory traffic and not for page faults.
    std::memset(source.get(), 1, kBytes);
    std::memset(target.get(), 2, kBytes);
    double best = 0;
    for (int i = 0; i < kCopies; ++i) {
        const auto start = std::chrono::steady_clock::now();
        std::memcpy(target.get(), source.get(), kBytes);
        const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
        best = std::max(best, static_cast<double>(kBytes) / seconds.count() / 1e9);
    }
    // Read the copy back so the copies have an observable effect and are not optimised away.
    volatile char sink = target[kBytes / 2];
    (void)sink;
    return best;
}

} // namespace ponder::cli
