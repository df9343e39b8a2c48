#include "backend/cpu/thread_pool.h"

#include <algorithm>
#include <atomic>

namespace ponder {

// One parallel loop, living on the caller's stack while it runs.
struct ThreadPool::Loop {
    Loop(std::int64_t count, std::int64_t grain, void* body, Trampoline trampoline)
        : count(count), grain(grain), body(body), trampoline(trampoline) {}
    const std::int64_t count;
    const std::int64_t grain;
    void* const body;
    const Trampoline trampoline;
    std::atomic<std::int64_t> next{0}; // first index not yet handed out
    std::mutex errorMutex;
    std::exception_ptr error;
};

ThreadPool::ThreadPool(unsigned threads)
{
    if (threads == 0)
        threads = std::thread::hardware_concurrency();
    if (threads == 0) // hardware_concurrency may not know
        threads = 1;
    workers_.reserve(threads - 1);
    for (unsigned w = 1; w < threads; ++w)
        workers_.emplace_back([this, w] { workerMain(w); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& worker : workers_)
        worker.join();
}

void ThreadPool::runRanges(Loop& loop, unsigned worker)
{
    for (;;) {
        const std::int64_t begin = loop.next.fetch_add(loop.grain, std::memory_order_relaxed);
        if (begin >= loop.count)
            return;
        const std::int64_t end = std::min(begin + loop.grain, loop.count);
        try {
            loop.trampoline(loop.body, begin, end, worker);
        } catch (...) {
            std::lock_guard lock(loop.errorMutex);
            if (!loop.error)
                loop.error = std::current_exception();
        }
    }
}

void ThreadPool::run(std::int64_t count, std::int64_t grain, void* body, Trampoline trampoline)
{
    std::lock_guard callerLock(callerMutex_);
    Loop loop(count, grain, body, trampoline);
    {
        std::lock_guard lock(mutex_);
        loop_ = &loop;
        unfinished_ = static_cast<unsigned>(workers_.size());
        ++generation_;
    }
    wake_.notify_all();
    runRanges(loop, 0);
    {
        // Every worker must have left the loop before it goes out of scope, even those that found no
        // range left to take.
        std::unique_lock lock(mutex_);
        done_.wait(lock, [this] { return unfinished_ == 0; });
        loop_ = nullptr;
    }
    if (loop.error)
        std::rethrow_exception(loop.error);
}

void ThreadPool::workerMain(unsigned worker)
{
    std::uint64_t seen = 0;
    for (;;) {
        Loop* loop;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_)
                return;
            seen = generation_;
            loop = loop_;
        }
        runRanges(*loop, worker);
        bool last;
        {
            std::lock_guard lock(mutex_);
            last = --unfinished_ == 0;
        }
        if (last)
            done_.notify_one();
    }
}

} // namespace ponder
