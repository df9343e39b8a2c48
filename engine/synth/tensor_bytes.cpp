#include "synth/tensor_bytes.h"

#include "formats/quant.h"

#include <algorithm>
#include <thread>

namespace ponder::synth {

std::vector<std::uint8_t> encodeMatrices(const PlannedTensor& tensor, TensorType type, const RowFiller& fill,
                                         std::int64_t firstMatrix, std::int64_t count)
{
    const std::int64_t rowLength = tensor.rowLength();
    const std::int64_t rowsPerMatrix = tensor.rowsPerMatrix();
    const std::int64_t totalRows = rowsPerMatrix * count;
    const std::uint64_t bytesPerRow = *rowBytes(type, static_cast<std::uint64_t>(rowLength));
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(bytesPerRow * totalRows));

    const auto encodeRange = [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> row(static_cast<std::size_t>(rowLength));
        for (std::int64_t r = begin; r < end; ++r) {
            const std::int64_t matrix = firstMatrix + r / rowsPerMatrix;
            fill(tensor, matrix, r % rowsPerMatrix, 1, row.data());
            quantizeRow(type, row.data(), bytes.data() + r * bytesPerRow, rowLength);
        }
    };
    // Small tensors are not worth a thread; big ones split evenly over the cores.
    const std::int64_t threads =
        totalRows * rowLength < (1 << 20) ? 1 : std::max<std::int64_t>(1, std::thread::hardware_concurrency());
    std::vector<std::thread> workers;
    for (std::int64_t t = 1; t < threads; ++t)
        workers.emplace_back(encodeRange, totalRows * t / threads, totalRows * (t + 1) / threads);
    encodeRange(0, totalRows / threads);
    for (auto& w : workers)
        w.join();
    return bytes;
}

} // namespace ponder::synth
