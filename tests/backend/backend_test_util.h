#pragma once
// Helpers for the CPU backend tests: random values, weight tensors built with quantizeRow (kept together
// with their dequantised values, which the double-precision references use), and activations filled and
// read through the CPU backend's host storage.
#include "backend/backend.h"
#include "backend/cpu/cpu_storage.h"
#include "formats/quant.h"
#include "formats/tensor_type.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace ponder::test {

// Every weight type the loader accepts.
constexpr TensorType kAllTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q8_0,
                                    TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,
                                    TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K};

// A row length that is a multiple of the type's block but leaves a partial 256-value chunk (and, for the
// float types, a partial group of 16 and of 4), so every tail path runs.
inline std::int64_t awkwardRowLength(TensorType type)
{
    switch (tensorTypeInfo(type).blockElems) {
    case 1: return 259;
    case 32: return 32 * 13;
    default: return 256 * 3;
    }
}

// Deterministic random values (uniform in [lo, hi)).
class Random {
public:
    explicit Random(std::uint32_t seed) : engine_(seed) {}
    float uniform(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(engine_); }
    std::vector<float> values(std::int64_t n, float lo = -1.0f, float hi = 1.0f)
    {
        std::vector<float> v(static_cast<std::size_t>(n));
        for (auto& x : v)
            x = uniform(lo, hi);
        return v;
    }

private:
    std::mt19937 engine_;
};

// A weight tensor in a given type that owns its bytes. Move-only: the view points into `bytes`.
struct TestTensor {
    TestTensor() = default;
    TestTensor(TestTensor&&) = default;
    TestTensor& operator=(TestTensor&&) = default;
    TestTensor(const TestTensor&) = delete;
    TestTensor& operator=(const TestTensor&) = delete;

    std::vector<std::uint8_t> bytes;
    TensorView view;
    std::vector<float> values; // the tensor as dequantizeRow reads it back, row-major
    std::int64_t rowLength = 0, rows = 0;

    double at(std::int64_t row, std::int64_t i) const { return values[static_cast<std::size_t>(row * rowLength + i)]; }
};

// A {rowLength, rows} tensor (a vector when rows == 0) of `type` holding `source` (row-major) quantised.
inline TestTensor makeTensor(const std::string& name, TensorType type, std::int64_t rowLength, std::int64_t rows,
                             const std::vector<float>& source)
{
    TestTensor t;
    const std::int64_t rowCount = rows == 0 ? 1 : rows;
    const auto rowBytesOpt = rowBytes(type, static_cast<std::uint64_t>(rowLength));
    if (!rowBytesOpt || static_cast<std::int64_t>(source.size()) != rowLength * rowCount)
        qFatal("test bug: bad tensor %s", name.c_str());
    const auto rb = static_cast<std::int64_t>(*rowBytesOpt);
    t.bytes.resize(static_cast<std::size_t>(rb * rowCount));
    t.values.resize(source.size());
    for (std::int64_t r = 0; r < rowCount; ++r) {
        quantizeRow(type, source.data() + r * rowLength, t.bytes.data() + r * rb, rowLength);
        dequantizeRow(type, t.bytes.data() + r * rb, t.values.data() + r * rowLength, rowLength);
    }
    t.view.name = name;
    t.view.type = type;
    t.view.dims = rows == 0 ? std::vector<std::int64_t>{rowLength} : std::vector<std::int64_t>{rowLength, rows};
    t.view.data = std::span<const std::uint8_t>(t.bytes.data(), t.bytes.size());
    t.rowLength = rowLength;
    t.rows = rowCount;
    return t;
}

inline TestTensor randomTensor(Random& rng, const std::string& name, TensorType type, std::int64_t rowLength,
                               std::int64_t rows, float lo = -1.0f, float hi = 1.0f)
{
    return makeTensor(name, type, rowLength, rows, rng.values(rowLength * (rows == 0 ? 1 : rows), lo, hi));
}

// An activation of the given backend holding `values` (rows x cols, row-major).
inline Activation makeActivation(Backend& backend, std::int64_t rows, std::int64_t cols, const std::vector<float>& values)
{
    if (static_cast<std::int64_t>(values.size()) != rows * cols)
        qFatal("test bug: %zu values for %lldx%lld", values.size(), static_cast<long long>(rows),
               static_cast<long long>(cols));
    Activation a = backend.allocate(rows, cols);
    std::memcpy(cpu::hostValues(a, "test"), values.data(), values.size() * sizeof(float));
    return a;
}

// All rows() rows of an activation, read back through readRow.
inline std::vector<float> readAll(Backend& backend, const Activation& a)
{
    std::vector<float> out(static_cast<std::size_t>(a.rows() * a.cols()));
    for (std::int64_t r = 0; r < a.rows(); ++r)
        backend.readRow(a, r, std::span<float>(out.data() + r * a.cols(), static_cast<std::size_t>(a.cols())));
    return out;
}

// Fails the test at the first value whose bit pattern differs.
inline bool sameBits(const std::vector<float>& got, const std::vector<float>& want, const char* what)
{
    if (got.size() != want.size()) {
        qWarning("%s: %zu values, expected %zu", what, got.size(), want.size());
        return false;
    }
    for (std::size_t i = 0; i < got.size(); ++i)
        if (std::bit_cast<std::uint32_t>(got[i]) != std::bit_cast<std::uint32_t>(want[i])) {
            qWarning("%s: value %zu is %.9g (0x%08x), expected %.9g (0x%08x)", what, i, got[i],
                     std::bit_cast<std::uint32_t>(got[i]), want[i], std::bit_cast<std::uint32_t>(want[i]));
            return false;
        }
    return true;
}

// Fails unless |got - want| <= tolerance; `what` and `index` locate the value in the message.
inline bool near(double got, double want, double tolerance, const std::string& what, std::int64_t index)
{
    if (std::abs(got - want) <= tolerance)
        return true;
    qWarning("%s [%lld]: got %.9g, expected %.9g (difference %.3g, tolerance %.3g)", what.c_str(),
             static_cast<long long>(index), got, want, std::abs(got - want), tolerance);
    return false;
}

} // namespace ponder::test
