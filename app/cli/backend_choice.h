#pragma once
// --backend cpu|vulkan|auto and --device NAME|INDEX: which compute backend (and Vulkan device) a command runs
// the model on.
#include "backend/backend.h"
#include "cli_args.h"

#include <memory>
#include <set>
#include <string>

namespace ponder::cli {

struct BackendChoice {
    std::string backend = "auto"; // cpu, vulkan or auto
    std::string device;           // Vulkan device index or name; "" = the best one
};

// Adds "backend" and "device" to a command's value options.
void addBackendOptions(std::set<std::string>& values);
BackendChoice backendChoice(const CliArgs& cli);

// "auto" runs on Vulkan when the machine has a GPU (discrete, integrated or virtual) and on the CPU
// backend otherwise: Vulkan's CPU device (lavapipe) is slower than Ponder's own CPU backend. Throws
// UsageError for an unknown name and ponder::Error when the chosen backend cannot start.
std::unique_ptr<Backend> createBackend(const BackendChoice& choice);

} // namespace ponder::cli
