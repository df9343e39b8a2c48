// Mixture-of-experts operations of the CPU backend: softmax top-k routing, and the routed SwiGLU experts.
#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/cpu_storage.h"
#include "backend/cpu/weight_rows.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace ponder::cpu {
namespace {

std::string shape(const Activation& a) { return std::to_string(a.rows()) + "x" + std::to_string(a.cols()); }

// One expert's weights, checked against the layer's hidden size.
struct ExpertRows {
    ExpertRows(const ExpertWeights& e, std::int64_t hidden)
        : gate(e.gate, "moeExperts"), up(e.up, "moeExperts"), down(e.down, "moeExperts")
    {
        const std::int64_t ffn = gate.rowCount();
        require(gate.rowLength() == hidden && up.rowLength() == hidden && up.rowCount() == ffn &&
                    down.rowLength() == ffn && down.rowCount() == hidden,
                "moeExperts",
                "expert tensors '" + e.gate.name + "', '" + e.up.name + "', '" + e.down.name +
                    "' do not form a SwiGLU MLP over " + std::to_string(hidden) + " values");
    }
    WeightRows gate, up, down;
};

} // namespace

void moeRoute(const Activation& routerLogits, bool normalize, ExpertRouting& routing)
{
    const float* logits = hostValues(routerLogits, "moeRoute");
    auto* rt = dynamic_cast<CpuExpertRouting*>(&routing);
    require(rt != nullptr, "moeRoute", "the expert routing was not created by a CPU backend");
    const std::int64_t rows = routerLogits.rows(), experts = routerLogits.cols(), k = rt->expertsPerToken();
    require(rows <= rt->capacityRows(), "moeRoute",
            std::to_string(rows) + " rows for a routing of " + std::to_string(rt->capacityRows()));
    require(k <= experts, "moeRoute",
            std::to_string(k) + " experts per token out of " + std::to_string(experts) + " experts");

    std::vector<float> probabilities(static_cast<std::size_t>(experts));
    std::vector<std::int32_t> order(static_cast<std::size_t>(experts));
    for (std::int64_t r = 0; r < rows; ++r) {
        // Softmax over every expert in fp32 (max-subtracted; the normaliser summed in double).
        const float* row = logits + r * experts;
        const float maxLogit = *std::max_element(row, row + experts);
        double sum = 0;
        for (std::int64_t e = 0; e < experts; ++e) {
            probabilities[e] = std::exp(row[e] - maxLogit);
            sum += probabilities[e];
        }
        const float total = static_cast<float>(sum);
        for (std::int64_t e = 0; e < experts; ++e)
            probabilities[e] /= total;

        // Top k by probability; equal probabilities go to the lower expert id.
        std::iota(order.begin(), order.end(), 0);
        std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](std::int32_t a, std::int32_t b) {
            return probabilities[a] != probabilities[b] ? probabilities[a] > probabilities[b] : a < b;
        });
        std::int32_t* ids = rt->ids.data() + r * k;
        float* weights = rt->weights.data() + r * k;
        double chosen = 0;
        for (std::int64_t i = 0; i < k; ++i) {
            ids[i] = order[i];
            weights[i] = probabilities[order[i]];
            chosen += weights[i];
        }
        if (normalize) { // norm_topk_prob: the chosen weights sum to 1
            const float chosenTotal = static_cast<float>(chosen);
            for (std::int64_t i = 0; i < k; ++i)
                weights[i] /= chosenTotal;
        }
    }
    rt->rows = rows;
    rt->expertCount = experts;
}

void moeExperts(Context& ctx, const Activation& x, std::span<const ExpertWeights> experts,
                const ExpertRouting& routing, Activation& out)
{
    const float* in = hostValues(x, "moeExperts");
    float* o = hostValues(out, "moeExperts");
    const auto* rt = dynamic_cast<const CpuExpertRouting*>(&routing);
    require(rt != nullptr, "moeExperts", "the expert routing was not created by a CPU backend");
    require(&x != &out, "moeExperts", "the output must not be the input");
    const std::int64_t rows = x.rows(), hidden = x.cols(), k = rt->expertsPerToken();
    require(out.rows() == rows && out.cols() == hidden, "moeExperts", "output " + shape(out) + " for input " + shape(x));
    require(rt->rows == rows, "moeExperts",
            "routing holds " + std::to_string(rt->rows) + " rows for an input of " + std::to_string(rows));
    require(rt->expertCount == static_cast<std::int64_t>(experts.size()), "moeExperts",
            "routing over " + std::to_string(rt->expertCount) + " experts, but " + std::to_string(experts.size()) +
                " expert weights");

    // Group the rows by expert, so that each expert's weights are decoded once for all rows routed to it.
    const auto expertCount = static_cast<std::int64_t>(experts.size());
    std::vector<std::vector<std::int64_t>> routedRows(static_cast<std::size_t>(expertCount));
    std::vector<std::vector<float>> routedWeights(routedRows.size());
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t i = 0; i < k; ++i) {
            const std::int32_t e = rt->ids[r * k + i];
            require(e >= 0 && e < expertCount, "moeExperts", "routing names expert " + std::to_string(e));
            routedRows[e].push_back(r);
            routedWeights[e].push_back(rt->weights[r * k + i]);
        }
    std::vector<ExpertRows> used;
    std::vector<std::int64_t> usedIds;
    for (std::int64_t e = 0; e < expertCount; ++e)
        if (!routedRows[e].empty()) {
            used.emplace_back(experts[e], hidden);
            usedIds.push_back(e);
        }

    std::fill(o, o + rows * hidden, 0.0f);
    // Experts one after another in id order, each spread over its weight rows: every output value receives
    // its experts' contributions in the same order whatever the thread count.
    for (std::size_t u = 0; u < used.size(); ++u) {
        const ExpertRows& expert = used[u];
        const auto& members = routedRows[usedIds[u]];
        const auto& memberWeights = routedWeights[usedIds[u]];
        const auto n = static_cast<std::int64_t>(members.size());
        const std::int64_t ffn = expert.gate.rowCount();
        float* gathered = sized(ctx.shared.a, n * hidden);
        for (std::int64_t m = 0; m < n; ++m)
            std::memcpy(gathered + m * hidden, in + members[m] * hidden, sizeof(float) * hidden);
        float* activated = sized(ctx.shared.b, n * ffn);

        // activated = silu(gate x) * up x, one ffn index (a gate row and an up row) per loop index.
        const unsigned threads = ctx.pool.size();
        ctx.pool.parallelFor(ffn, matmulGrain(ffn, 2 * hidden * n, threads),
                             [&](std::int64_t begin, std::int64_t end, unsigned worker) {
                                 Scratch& s = ctx.scratch[worker];
                                 float* lanes = sized(s.a, n * kLanes);
                                 float* gate = sized(s.b, n);
                                 float* up = sized(s.c, n);
                                 for (std::int64_t j = begin; j < end; ++j) {
                                     expert.gate.dot(j, gathered, hidden, n, lanes, gate);
                                     expert.up.dot(j, gathered, hidden, n, lanes, up);
                                     for (std::int64_t m = 0; m < n; ++m) {
                                         const float silu = gate[m] / (1.0f + std::exp(-gate[m]));
                                         activated[m * ffn + j] = silu * up[m];
                                     }
                                 }
                             });
        // out[row] += weight * down activated, one hidden index per loop index.
        ctx.pool.parallelFor(hidden, matmulGrain(hidden, ffn * n, threads),
                             [&](std::int64_t begin, std::int64_t end, unsigned worker) {
                                 Scratch& s = ctx.scratch[worker];
                                 float* lanes = sized(s.a, n * kLanes);
                                 float* down = sized(s.b, n);
                                 for (std::int64_t j = begin; j < end; ++j) {
                                     expert.down.dot(j, activated, ffn, n, lanes, down);
                                     for (std::int64_t m = 0; m < n; ++m)
                                         o[members[m] * hidden + j] += memberWeights[m] * down[m];
                                 }
                             });
    }
}

} // namespace ponder::cpu
