#pragma once
// The backend a test runs its model on: the Vulkan backend (validation layer on) when the environment
// says PONDER_TEST_BACKEND=vulkan, else the CPU reference backend. CTest registers suites such as the
// generation-session tests once per backend this way, so both must pass the same assertions.
#include "backend/backend.h"

#include <memory>

namespace ponder::test {

std::unique_ptr<Backend> makeTestBackend(unsigned cpuThreads = 1);
bool testingVulkan();

// True unless `backend` is a Vulkan backend whose validation layer reported something (each message is
// printed as a test warning).
bool noValidationMessages(const Backend& backend);

} // namespace ponder::test
