#pragma once
// Progress of loading a model, as its listeners hear it: a fraction from 0 to 1 that never falls, passed on
// only when it rose by at least `step` since the last report (and always at 1), so a model of thousands of
// tensors makes a few dozen calls rather than one per tensor.
#include <functional>

namespace ponder {

using LoadProgress = std::function<void(double fraction)>;

class ProgressThrottle {
public:
    explicit ProgressThrottle(LoadProgress sink, double step = 0.02) : sink_(std::move(sink)), step_(step) {}

    void operator()(double fraction)
    {
        if (!sink_)
            return;
        fraction = fraction < 0 ? 0 : (fraction > 1 ? 1 : fraction);
        const bool first = last_ < 0;
        if (!first && fraction <= last_)
            return;
        if (first || fraction >= last_ + step_ || (fraction >= 1.0 && last_ < 1.0)) {
            last_ = fraction;
            sink_(fraction);
        }
    }

private:
    LoadProgress sink_;
    double step_;
    double last_ = -1; // nothing reported yet
};

} // namespace ponder
