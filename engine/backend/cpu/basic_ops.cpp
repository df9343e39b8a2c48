// Row-wise and elementwise operations of the CPU backend: embed, RMSNorm, matmul, SwiGLU, residual add,
// read-back (whole rows or their highest values).
#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/cpu_storage.h"
#include "backend/cpu/weight_rows.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ponder::cpu {
namespace {

std::string shape(const Activation& a) { return std::to_string(a.rows()) + "x" + std::to_string(a.cols()); }

// Elementwise loops hand out this many values per range: enough to dwarf the cost of taking a range.
constexpr std::int64_t kElementGrain = 8192;

} // namespace

void require(bool ok, const char* op, const std::string& message)
{
    if (!ok)
        throw Error(std::string("cpu backend: ") + op + ": " + message);
}

void embed(const TensorView& embedding, std::span<const std::int32_t> ids, Activation& out)
{
    const WeightRows table(embedding, "embed");
    float* o = hostValues(out, "embed");
    require(static_cast<std::int64_t>(ids.size()) == out.rows(), "embed",
            std::to_string(ids.size()) + " ids for an output of " + shape(out));
    require(table.rowLength() == out.cols(), "embed",
            "embedding rows of " + std::to_string(table.rowLength()) + " values for an output of " + shape(out));
    for (std::int32_t id : ids)
        require(id >= 0 && id < table.rowCount(), "embed",
                "token id " + std::to_string(id) + " is outside the vocabulary of " +
                    std::to_string(table.rowCount()));
    for (std::size_t r = 0; r < ids.size(); ++r)
        table.dequantize(ids[r], o + static_cast<std::int64_t>(r) * out.cols());
}

void rmsNorm(Context& ctx, const Activation& x, const TensorView& weight, float eps, Activation& out)
{
    const WeightRows w(weight, "rmsNorm");
    const float* in = hostValues(x, "rmsNorm");
    float* o = hostValues(out, "rmsNorm");
    const std::int64_t cols = x.cols();
    require(w.rowCount() == 1 && w.rowLength() == cols, "rmsNorm",
            "weight '" + weight.name + "' of " + std::to_string(w.rowLength()) + " values for rows of " +
                std::to_string(cols));
    require(out.rows() == x.rows() && out.cols() == cols, "rmsNorm", "output " + shape(out) + " for input " + shape(x));
    float* scale = sized(ctx.shared.a, cols);
    w.dequantize(0, scale);

    // Rows are independent and each is read fully before it is written, so out may be x itself.
    const std::int64_t grain = std::max<std::int64_t>(1, kElementGrain / cols);
    ctx.pool.parallelFor(x.rows(), grain, [&](std::int64_t begin, std::int64_t end, unsigned) {
        for (std::int64_t r = begin; r < end; ++r) {
            const float* xr = in + r * cols;
            float* orow = o + r * cols;
            // Sum of squares in double (four partial sums in a fixed order): exact enough that the
            // reduction never decides a result, and still cheap next to a matmul.
            double partial[4] = {0, 0, 0, 0};
            std::int64_t i = 0;
            for (; i + 4 <= cols; i += 4)
                for (int l = 0; l < 4; ++l)
                    partial[l] += static_cast<double>(xr[i + l]) * xr[i + l];
            for (; i < cols; ++i)
                partial[0] += static_cast<double>(xr[i]) * xr[i];
            const double meanSquare = ((partial[0] + partial[1]) + (partial[2] + partial[3])) / static_cast<double>(cols);
            const float inverse = static_cast<float>(1.0 / std::sqrt(meanSquare + static_cast<double>(eps)));
            // Hugging Face order: normalise, then scale by the weight.
            for (std::int64_t c = 0; c < cols; ++c)
                orow[c] = (xr[c] * inverse) * scale[c];
        }
    });
}

void matmul(Context& ctx, const Activation& x, const TensorView& weight, Activation& out)
{
    const WeightRows w(weight, "matmul");
    const float* in = hostValues(x, "matmul");
    float* o = hostValues(out, "matmul");
    require(&x != &out, "matmul", "the output must not be the input");
    require(w.rowLength() == x.cols() && w.rowCount() == out.cols(), "matmul",
            "weight '" + weight.name + "' maps " + std::to_string(w.rowLength()) + " to " +
                std::to_string(w.rowCount()) + " values, but the input is " + shape(x) + " and the output " +
                shape(out));
    require(out.rows() == x.rows(), "matmul", "output " + shape(out) + " for input " + shape(x));
    const std::int64_t rows = x.rows();
    if (rows == 0)
        return;
    const std::int64_t inCols = x.cols(), outCols = out.cols();

    // Weight rows outermost: each is decoded once per pass, however many activation rows the pass has.
    const std::int64_t grain = matmulGrain(w.rowCount(), w.rowLength() * rows, ctx.pool.size());
    ctx.pool.parallelFor(w.rowCount(), grain, [&](std::int64_t begin, std::int64_t end, unsigned worker) {
        Scratch& s = ctx.scratch[worker];
        float* lanes = sized(s.a, rows * kLanes);
        float* results = sized(s.b, rows);
        for (std::int64_t j = begin; j < end; ++j) {
            w.dot(j, in, inCols, rows, lanes, results);
            for (std::int64_t r = 0; r < rows; ++r)
                o[r * outCols + j] = results[r];
        }
    });
}

void swiglu(Context& ctx, const Activation& gate, const Activation& up, Activation& out)
{
    const float* g = hostValues(gate, "swiglu");
    const float* u = hostValues(up, "swiglu");
    float* o = hostValues(out, "swiglu");
    require(gate.rows() == up.rows() && gate.cols() == up.cols() && out.rows() == gate.rows() &&
                out.cols() == gate.cols(),
            "swiglu", "gate " + shape(gate) + ", up " + shape(up) + " and output " + shape(out) + " differ");
    ctx.pool.parallelFor(gate.rows() * gate.cols(), kElementGrain,
                         [&](std::int64_t begin, std::int64_t end, unsigned) {
                             for (std::int64_t i = begin; i < end; ++i) {
                                 const float silu = g[i] / (1.0f + std::exp(-g[i]));
                                 o[i] = silu * u[i];
                             }
                         });
}

void addInPlace(Context& ctx, Activation& x, const Activation& y)
{
    float* a = hostValues(x, "addInPlace");
    const float* b = hostValues(y, "addInPlace");
    require(x.rows() == y.rows() && x.cols() == y.cols(), "addInPlace", shape(x) + " += " + shape(y));
    ctx.pool.parallelFor(x.rows() * x.cols(), 4 * kElementGrain, [&](std::int64_t begin, std::int64_t end, unsigned) {
        for (std::int64_t i = begin; i < end; ++i)
            a[i] += b[i];
    });
}

void readRow(const Activation& x, std::int64_t row, std::span<float> out)
{
    const float* values = hostValues(x, "readRow");
    require(row >= 0 && row < x.rows(), "readRow", "row " + std::to_string(row) + " of " + shape(x));
    require(static_cast<std::int64_t>(out.size()) == x.cols(), "readRow",
            std::to_string(out.size()) + " floats to hold a row of " + std::to_string(x.cols()));
    std::memcpy(out.data(), values + row * x.cols(), out.size() * sizeof(float));
}

std::vector<TokenCandidate> topLogits(const Activation& x, std::int64_t row, std::int64_t count)
{
    const float* values = hostValues(x, "topLogits");
    require(row >= 0 && row < x.rows(), "topLogits", "row " + std::to_string(row) + " of " + shape(x));
    require(count >= 1 && count <= std::min(x.cols(), kMaxTopLogits), "topLogits",
            std::to_string(count) + " candidates from a row of " + std::to_string(x.cols()) + " (at most " +
                std::to_string(kMaxTopLogits) + ")");
    return highestLogits(std::span(values + row * x.cols(), static_cast<std::size_t>(x.cols())),
                         static_cast<std::size_t>(count));
}

} // namespace ponder::cpu
