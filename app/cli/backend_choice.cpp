#include "backend_choice.h"

namespace ponder::cli {

void addBackendOptions(std::set<std::string>& values)
{
    values.insert("backend");
    values.insert("device");
}

BackendChoice backendChoice(const CliArgs& cli)
{
    BackendChoice choice;
    choice.backend = cli.value("backend").value_or("auto");
    choice.device = cli.value("device").value_or("");
    if (!isBackendName(choice.backend))
        throw UsageError("--backend: '" + choice.backend + "' is not one of cpu, vulkan, auto");
    if (!choice.device.empty() && choice.backend == "cpu")
        throw UsageError("--device names a Vulkan device; it does not go with --backend cpu");
    return choice;
}

} // namespace ponder::cli
