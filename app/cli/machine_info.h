#pragma once
// What `bench` reports about the machine it ran on: the CPU, and the memory bandwidth a plain memcpy gets,
// the ceiling a bandwidth-bound decode is measured against.
#include <string>

namespace ponder::cli {

// /proc/cpuinfo's "model name" (x86) or "Model"/"Hardware" (Arm boards); "unknown CPU" when none says.
std::string cpuModelName();

// Best of a few single-threaded memcpy calls of a 256 MiB buffer, in GB/s (1e9 bytes copied per second;
// each byte is read once and written once).
double memcpyGigabytesPerSecond();

} // namespace ponder::cli
