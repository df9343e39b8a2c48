#include "spirv_registry.h"

#include "spirv_table.h"

#include "core/error.h"

namespace ponder::shaders {

std::span<const std::uint32_t> spirv(std::string_view name)
{
    for (const SpirvEntry& entry : spirvTable())
        if (entry.name == name)
            return entry.words;
    throw Error("no compiled shader named '" + std::string(name) + "' in this build");
}

std::vector<std::string> shaderNames()
{
    std::vector<std::string> names;
    for (const SpirvEntry& entry : spirvTable())
        names.emplace_back(entry.name);
    return names;
}

} // namespace ponder::shaders
