#pragma once
// Which compute backend (and Vulkan device) a model runs on: "cpu", "vulkan" or "auto". Shared by ponder-cli's
// --backend/--device and the app's device setting.
#include "backend/backend.h"

#include <memory>
#include <string>

namespace ponder {

struct BackendChoice {
    std::string backend = "auto"; // cpu, vulkan or auto
    std::string device;           // Vulkan device index or name; "" = the best one
};

// "auto" runs on Vulkan when the machine has a GPU (discrete, integrated or virtual) and on the CPU
// backend otherwise: Vulkan's CPU device (lavapipe) is slower than Ponder's own CPU backend. Throws
// ponder::Error for an unknown backend name or when the chosen backend cannot start.
std::unique_ptr<Backend> createBackend(const BackendChoice& choice);

bool isBackendName(const std::string& name); // cpu, vulkan, auto

} // namespace ponder
