#pragma once
// The SPIR-V of Ponder's compute shaders, compiled at build time and embedded in the program.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::shaders {

// The words of variant `name` ("matvec_q8_0", "rms_norm"...); throws ponder::Error for an unknown name.
std::span<const std::uint32_t> spirv(std::string_view name);

// Every variant's name, in build order.
std::vector<std::string> shaderNames();

} // namespace ponder::shaders
