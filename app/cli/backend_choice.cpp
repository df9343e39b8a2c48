#include "backend_choice.h"

#include "backend/cpu/cpu_backend.h"
#include "cli_args.h"
#include "core/error.h"

namespace ponder::cli {

std::unique_ptr<Backend> createBackend(const std::string& choice)
{
    if (choice == "cpu" || choice == "auto")
        return createCpuBackend();
    if (choice == "vulkan")
        throw Error("--backend vulkan: the Vulkan backend is not available in this build");
    throw UsageError("--backend: '" + choice + "' is not one of cpu, vulkan, auto");
}

} // namespace ponder::cli
