#include "cancel_on_interrupt.h"

namespace ponder::cli {
namespace {

// A lock-free atomic is one of the few things a signal handler may touch.
std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void onInterrupt(int) { interrupted.store(true); }

} // namespace

CancelOnInterrupt::CancelOnInterrupt()
{
    interrupted.store(false);
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
}

CancelOnInterrupt::~CancelOnInterrupt() { sigaction(SIGINT, &previous_, nullptr); }

const std::atomic<bool>* CancelOnInterrupt::flag() const { return &interrupted; }

} // namespace ponder::cli
