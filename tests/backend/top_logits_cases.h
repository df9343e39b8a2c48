#pragma once
// Rows for Backend::topLogits tests, shared by the CPU and the Vulkan suites, and the reference they are
// judged by: a full std::sort with the ranking spelled out here from its definition (higher logit first,
// equal logits, -0 and +0 included, to the lower id, NaN above everything), not the engine's rank key.
#include "core/token_candidate.h"

#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace ponder::test {

constexpr float kMinusInf = -std::numeric_limits<float>::infinity();

enum class LogitRow {
    Random,     // normal, like a model's
    Ties,       // a handful of distinct values: ties everywhere, also across the k-th place
    Masked,     // most entries -inf, a few finite
    AllMasked,  // every entry -inf
    SignedZero, // -0, +0 and small values
    WithNaN,    // random with a NaN and a +inf in the middle
};

inline std::vector<float> logitRow(LogitRow kind, std::int64_t length, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    std::uniform_int_distribution<int> small(0, 4);
    std::vector<float> row(static_cast<std::size_t>(length));
    for (std::size_t i = 0; i < row.size(); ++i) {
        switch (kind) {
        case LogitRow::Random: row[i] = normal(rng); break;
        case LogitRow::Ties: row[i] = static_cast<float>(small(rng)) - 2.0f; break;
        case LogitRow::Masked: row[i] = small(rng) == 0 && i % 7 == 0 ? normal(rng) : kMinusInf; break;
        case LogitRow::AllMasked: row[i] = kMinusInf; break;
        case LogitRow::SignedZero: row[i] = small(rng) == 0 ? 0.25f : (small(rng) < 2 ? -0.0f : 0.0f); break;
        case LogitRow::WithNaN: row[i] = normal(rng); break;
        }
    }
    if (kind == LogitRow::WithNaN) {
        row[row.size() / 2] = std::numeric_limits<float>::quiet_NaN();
        row[row.size() / 3] = std::numeric_limits<float>::infinity();
    }
    return row;
}

inline const char* logitRowName(LogitRow kind)
{
    switch (kind) {
    case LogitRow::Random: return "random";
    case LogitRow::Ties: return "ties";
    case LogitRow::Masked: return "masked";
    case LogitRow::AllMasked: return "all masked";
    case LogitRow::SignedZero: return "signed zeros";
    case LogitRow::WithNaN: return "NaN";
    }
    return "?";
}

constexpr LogitRow kAllLogitRows[] = {LogitRow::Random,    LogitRow::Ties,       LogitRow::Masked,
                                      LogitRow::AllMasked, LogitRow::SignedZero, LogitRow::WithNaN};

inline std::vector<TokenCandidate> referenceTopLogits(const std::vector<float>& row, std::size_t count)
{
    std::vector<TokenCandidate> all;
    for (std::size_t i = 0; i < row.size(); ++i)
        all.push_back({static_cast<std::int32_t>(i), row[i]});
    std::sort(all.begin(), all.end(), [](const TokenCandidate& a, const TokenCandidate& b) {
        const bool nanA = std::isnan(a.logit), nanB = std::isnan(b.logit);
        if (nanA != nanB)
            return nanA;
        if (!nanA && a.logit != b.logit)
            return a.logit > b.logit;
        return a.id < b.id;
    });
    all.resize(count);
    return all;
}

// Same ids in the same order with bit-identical logits (the row's own values, -0 kept).
inline bool sameCandidates(const std::vector<TokenCandidate>& got, const std::vector<TokenCandidate>& want,
                           const std::string& what)
{
    if (got.size() != want.size()) {
        qWarning("%s: %zu candidates, expected %zu", what.c_str(), got.size(), want.size());
        return false;
    }
    for (std::size_t i = 0; i < got.size(); ++i)
        if (!(got[i] == want[i])) {
            qWarning("%s: candidate %zu is (%d, %g), expected (%d, %g)", what.c_str(), i, got[i].id,
                     static_cast<double>(got[i].logit), want[i].id, static_cast<double>(want[i].logit));
            return false;
        }
    return true;
}

} // namespace ponder::test
