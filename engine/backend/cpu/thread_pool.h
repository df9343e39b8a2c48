#pragma once
// A small pool of persistent worker threads for the CPU backend's parallel loops. A decode step runs a
// dozen operations per layer, so a parallel loop must cost microseconds: workers sleep on a condition
// variable between loops, take chunks of the index range from an atomic counter, and the calling thread
// works alongside them instead of waiting idle.
//
// Results never depend on the number of threads as long as the loop body computes each index on its own
// (every output element written by exactly one index): which thread runs an index changes, the arithmetic
// does not.
#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ponder {

class ThreadPool {
public:
    // `threads` counts the calling thread too; 0 means one per hardware thread.
    explicit ThreadPool(unsigned threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    // Threads that run loop bodies, the caller included (worker ids 0..size()-1; the caller is 0).
    unsigned size() const { return static_cast<unsigned>(workers_.size()) + 1; }

    // Calls body(begin, end, worker) for consecutive ranges of at most `grain` indices covering [0, count),
    // and returns when all have run. Ranges run concurrently, so `body` may only write what its own indices
    // own; `worker` names the thread (for per-thread scratch). A loop of at most `grain` indices runs on the
    // caller alone. The first exception a body throws is rethrown here once every range has finished.
    // One loop at a time: calls from several threads are serialised, and a body must not start a loop.
    template <typename Body>
    void parallelFor(std::int64_t count, std::int64_t grain, Body&& body)
    {
        if (count <= 0)
            return;
        if (grain < 1)
            grain = 1;
        if (count <= grain || workers_.empty()) {
            for (std::int64_t begin = 0; begin < count; begin += grain)
                body(begin, std::min(begin + grain, count), 0u);
            return;
        }
        auto* bodyPtr = &body;
        run(count, grain, bodyPtr, [](void* b, std::int64_t begin, std::int64_t end, unsigned worker) {
            (*static_cast<decltype(bodyPtr)>(b))(begin, end, worker);
        });
    }

private:
    using Trampoline = void (*)(void* body, std::int64_t begin, std::int64_t end, unsigned worker);

    struct Loop;
    void run(std::int64_t count, std::int64_t grain, void* body, Trampoline trampoline);
    void workerMain(unsigned worker);
    static void runRanges(Loop& loop, unsigned worker);

    std::vector<std::thread> workers_;
    std::mutex callerMutex_; // one loop at a time

    std::mutex mutex_; // guards loop_, generation_, stopping_ and the condition variables' predicates
    std::condition_variable wake_;
    std::condition_variable done_;
    Loop* loop_ = nullptr;
    std::uint64_t generation_ = 0;
    unsigned unfinished_ = 0; // workers still inside the current loop
    bool stopping_ = false;
};

} // namespace ponder
