#pragma once
// An fp32 activation matrix [rows][cols] kept wherever its backend computes (host memory for the CPU
// backend, a device buffer for Vulkan). The schedule only sees shapes; backends reach their storage.
#include <cstdint>
#include <memory>

namespace ponder {

struct ActivationStorage {
    virtual ~ActivationStorage() = default;
};

class Activation {
public:
    Activation() = default;
    Activation(std::int64_t capacityRows, std::int64_t cols, std::unique_ptr<ActivationStorage> storage)
        : capacityRows_(capacityRows), rows_(capacityRows), cols_(cols), storage_(std::move(storage)) {}

    std::int64_t rows() const { return rows_; }
    std::int64_t cols() const { return cols_; }
    std::int64_t capacityRows() const { return capacityRows_; }
    // Operations act on the first rows() rows; a prefill chunk shorter than the capacity sets fewer.
    void setRows(std::int64_t rows);

    template <typename T> T& storageAs() { return static_cast<T&>(*storage_); }
    template <typename T> const T& storageAs() const { return static_cast<const T&>(*storage_); }

private:
    std::int64_t capacityRows_ = 0;
    std::int64_t rows_ = 0;
    std::int64_t cols_ = 0;
    std::unique_ptr<ActivationStorage> storage_;
};

} // namespace ponder
