#pragma once
// --backend cpu|vulkan|auto: which compute backend a command runs the model on.
#include "backend/backend.h"

#include <memory>
#include <string>

namespace ponder::cli {

// The value of --backend (default "auto") as a backend. "auto" picks the best one this build has (the CPU
// backend until Vulkan lands). Throws UsageError for an unknown name and ponder::Error for a backend this
// build lacks.
std::unique_ptr<Backend> createBackend(const std::string& choice);

} // namespace ponder::cli
