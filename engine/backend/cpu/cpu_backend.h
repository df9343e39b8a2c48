#pragma once
// The plain C++ reference backend: every operation in fp32 on the host, weights read in their file type and
// dequantised row by row as they are used (never an fp32 copy of the model), rows spread over a thread pool.
#include "backend/backend.h"

#include <memory>

namespace ponder {

// threads = 0: one per core.
std::unique_ptr<Backend> createCpuBackend(unsigned threads = 0);

} // namespace ponder
