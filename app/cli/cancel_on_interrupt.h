#pragma once
// Ctrl-C while a generation runs: SIGINT sets a cancel flag the generation polls, so it stops after the
// current token and reports "cancelled" instead of the process dying mid-line. Outside the guard's scope
// the previous handler is back (in `chat`, Ctrl-C at the input prompt still ends the program).
#include <atomic>
#include <csignal>

namespace ponder::cli {

class CancelOnInterrupt {
public:
    CancelOnInterrupt();
    ~CancelOnInterrupt();
    CancelOnInterrupt(const CancelOnInterrupt&) = delete;
    CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;

    // The flag to hand to GenerationSession; cleared when the guard is made.
    const std::atomic<bool>* flag() const;

private:
    struct sigaction previous_{};
};

} // namespace ponder::cli
