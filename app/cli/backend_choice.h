#pragma once
// --backend cpu|vulkan|auto and --device NAME|INDEX: which compute backend (and Vulkan device) a command runs
// the model on (runtime/backend_choice.h).
#include "cli_args.h"
#include "runtime/backend_choice.h"

#include <set>
#include <string>

namespace ponder::cli {

// Adds "backend" and "device" to a command's value options.
void addBackendOptions(std::set<std::string>& values);
// Throws UsageError for an unknown backend name or a device with --backend cpu.
BackendChoice backendChoice(const CliArgs& cli);

} // namespace ponder::cli
