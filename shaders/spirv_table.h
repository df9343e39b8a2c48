#pragma once
// The generated table behind spirv_registry.h (built from shaders/CMakeLists.txt's variant list).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ponder::shaders {

struct SpirvEntry {
    std::string_view name;
    std::span<const std::uint32_t> words;
};

const std::vector<SpirvEntry>& spirvTable();

} // namespace ponder::shaders
