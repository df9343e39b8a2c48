#pragma once
// `<fuzzer> --write-seeds=DIR`: writes a fuzzer's seed corpus (valid files made by Ponder's own writers) into
// DIR and exits, instead of fuzzing. libFuzzer leaves flags that start with "--" to the target.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string_view>

namespace ponder::fuzz {

template <typename WriteSeeds>
void handleWriteSeedsFlag(int argc, char** argv, const char* fuzzerName, WriteSeeds writeSeeds)
{
    constexpr std::string_view kFlag = "--write-seeds=";
    for (int k = 1; k < argc; ++k) {
        const std::string_view arg = argv[k];
        if (arg.substr(0, kFlag.size()) != kFlag)
            continue;
        try {
            const std::filesystem::path dir(arg.substr(kFlag.size()));
            std::filesystem::create_directories(dir);
            writeSeeds(dir);
            std::printf("%s: wrote seeds to %s\n", fuzzerName, dir.c_str());
            std::exit(0);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", fuzzerName, e.what());
            std::exit(1);
        }
    }
}

} // namespace ponder::fuzz
