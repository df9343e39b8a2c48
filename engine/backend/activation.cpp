#include "backend/activation.h"

#include "core/error.h"

namespace ponder {

void Activation::setRows(std::int64_t rows)
{
    if (rows < 0 || rows > capacityRows_)
        throw Error("activation of " + std::to_string(capacityRows_) + " rows cannot hold " + std::to_string(rows));
    rows_ = rows;
}

} // namespace ponder
