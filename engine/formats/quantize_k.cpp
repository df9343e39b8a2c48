// Quantisers for the k-quant super-blocks (Q4_K, Q5_K, Q6_K). Each runs in two stages, as ggml's do:
//  1. fit a float scale (and min) to every sub-block on its own, searching a few candidate grids and
//     refitting each by least squares, because plain min/max scaling wastes levels on outliers;
//  2. quantise those per-sub-block scales against one fp16 super-block scale (6-bit for Q4_K/Q5_K, int8 for
//     Q6_K), then round every value to the nearest level of the scale it will actually be decoded with.
// The search is kept small (a handful of candidate grids per sub-block) so that quantising a whole model
// (hundreds of millions of values) takes seconds.
#include "formats/quant_blocks.h"
#include "formats/quant_internal.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace ponder::quant {
namespace {

// Candidate grids, as adjustments to the number of levels the sub-block's range is spread over: > 0 lets
// the extremes clip for finer steps, < 0 leaves room at the ends.
constexpr float kOffsetGridSteps[] = {-0.5f, 0.0f, 0.5f, 1.0f, 1.5f};
constexpr float kSymmetricGridSteps[] = {-0.5f, 0.0f, 0.5f, 1.0f};
constexpr int kRefinements = 2; // re-round to the best fit's own grid and refit, this many times

float inverseOrZero(float d) { return d != 0.0f ? 1.0f / d : 0.0f; }

constexpr int kLanes = 8;

template <typename T>
T sumLanes(const T (&lanes)[kLanes])
{
    T sum = 0;
    for (T v : lanes)
        sum += v;
    return sum;
}

template <typename Block>
void storeBlock(const Block& block, std::uint8_t* dst, std::int64_t index)
{
    std::memcpy(dst + index * static_cast<std::int64_t>(sizeof(Block)), &block, sizeof(Block));
}

// ---- Stage 1 for Q4_K/Q5_K: x ~ scale * q - min with q in [0, nmax], scale >= 0, min >= 0. ----

struct ScaleMin {
    float scale;
    float min;
};

constexpr int kSubBlockK = 32;

// Works on the values shifted by lo = min(values, 0), so that x - lo >= 0: sums of q * (x - lo) then do
// not cancel, and the fit stays precise when a sub-block's min is large next to its steps. In shifted
// terms the model is x - lo ~ scale * q + c, and the format's b = c + lo <= 0 means c <= -lo.
class OffsetFit {
public:
    // Squared-error differences below this fraction of the shifted values' energy are rounding noise.
    static constexpr double kNoiseTolerance = 1e-10;

    OffsetFit(const float* x, float lo, float nmax) : lo_(lo), nmax_(nmax)
    {
        for (int i = 0; i < kSubBlockK; ++i) {
            xs_[i] = x[i] - lo;
            sx_ += xs_[i];
            sxx_ += static_cast<double>(xs_[i]) * xs_[i];
        }
    }

    // Rounds every value to the grid (x - lo - c) * iscale, then least-squares fits scale and offset to
    // those levels; keeps the result when it beats the best so far.
    void tryGrid(float iscale, float c)
    {
        // kLanes independent partial sums: the compiler turns them into vector adds instead of one long
        // chain of dependent scalar adds (it may not reorder a float sum itself). Sums of q and q*q are
        // small integers, exact in float; q * x is summed in double (each product is exact there) so
        // that the error comparisons below are not swamped by rounding.
        float lq[kLanes] = {}, lqq[kLanes] = {};
        double lqx[kLanes] = {};
        for (int i = 0; i < kSubBlockK; i += kLanes) {
            for (int k = 0; k < kLanes; ++k) {
                const float q = roundClamped((xs_[i + k] - c) * iscale, 0.0f, nmax_);
                lq[k] += q;
                lqq[k] += q * q;
                lqx[k] += static_cast<double>(q) * xs_[i + k];
            }
        }
        const double sq = sumLanes(lq), sqq = sumLanes(lqq), sqx = sumLanes(lqx);
        // Start from the better of the two boundary fits (min exactly 0, i.e. c = -lo: scale alone; scale
        // 0: offset alone), then take the free least-squares fit only when it is clearly better: on data
        // that already sits on a grid through zero, float noise would otherwise leave a meaningless tiny
        // min (and a tiny dmin for the whole super-block).
        const double n = kSubBlockK, cZero = -static_cast<double>(lo_);
        double scale = sqq > 0.0 ? std::max((sqx - cZero * sq) / sqq, 0.0) : 0.0, offset = cZero;
        double err = error(scale, offset, sq, sqq, sqx);
        const double offsetOnly = std::min(sx_ / n, cZero);
        if (const double e = error(0.0, offsetOnly, sq, sqq, sqx); e < err) {
            scale = 0.0;
            offset = offsetOnly;
            err = e;
        }
        const double det = n * sqq - sq * sq;
        if (det > 0.0) {
            const double freeScale = (n * sqx - sq * sx_) / det;
            const double freeOffset = (sqq * sx_ - sq * sqx) / det;
            const double e = error(freeScale, freeOffset, sq, sqq, sqx);
            if (freeScale >= 0.0 && freeOffset <= cZero && e < err - kNoiseTolerance * sxx_) {
                scale = freeScale;
                offset = freeOffset;
                err = e;
            }
        }
        if (err < bestError_) {
            bestError_ = err;
            best_ = {static_cast<float>(scale), static_cast<float>(cZero - offset)};
        }
    }

    const ScaleMin& best() const { return best_; }
    // The best fit's offset in shifted terms, for refining it with tryGrid.
    float bestShiftedOffset() const { return -lo_ - best_.min; }

private:
    // Sum over the sub-block of (scale * q + c - (x - lo))^2, from the accumulated sums.
    double error(double scale, double c, double sq, double sqq, double sqx) const
    {
        return scale * scale * sqq + 2.0 * scale * c * sq + kSubBlockK * c * c - 2.0 * scale * sqx -
               2.0 * c * sx_ + sxx_;
    }

    float xs_[kSubBlockK];
    float lo_;
    float nmax_;
    double sx_ = 0.0, sxx_ = 0.0;
    double bestError_ = std::numeric_limits<double>::infinity();
    ScaleMin best_{0.0f, 0.0f};
};

ScaleMin fitScaleMin(const float* x, float nmax)
{
    float xmin = x[0], xmax = x[0];
    for (int i = 1; i < kSubBlockK; ++i) {
        xmin = std::min(xmin, x[i]);
        xmax = std::max(xmax, x[i]);
    }
    const float lo = std::min(xmin, 0.0f); // the min is subtracted, so the grid always reaches zero
    if (xmax <= lo)
        return {0.0f, -lo}; // all values equal (and <= 0): the min alone represents them
    OffsetFit fit(x, lo, nmax);
    for (float step : kOffsetGridSteps)
        fit.tryGrid((nmax + step) / (xmax - lo), 0.0f);
    for (int r = 0; r < kRefinements && fit.best().scale > 0.0f; ++r)
        fit.tryGrid(1.0f / fit.best().scale, fit.bestShiftedOffset());
    return fit.best();
}

// ---- Stage 1 for Q6_K: x ~ scale * q with q in [-nmax, nmax - 1] (scale of either sign). ----

constexpr int kSubBlock6 = 16;

// Rounds every value to the grid x * iscale and returns sum(q * x) and sum(q * q).
void symmetricSums(const float* x, float iscale, float nmax, float& sqx, float& sqq)
{
    float lqx[kLanes] = {}, lqq[kLanes] = {};
    for (int i = 0; i < kSubBlock6; i += kLanes) {
        for (int k = 0; k < kLanes; ++k) {
            const float q = roundClamped(x[i + k] * iscale, -nmax, nmax - 1.0f);
            lqx[k] += q * x[i + k];
            lqq[k] += q * q;
        }
    }
    sqx = sumLanes(lqx);
    sqq = sumLanes(lqq);
}

float fitSymmetricScale(const float* x, float nmax)
{
    float amax = 0.0f, max = 0.0f;
    for (int i = 0; i < kSubBlock6; ++i) {
        if (std::fabs(x[i]) > amax) {
            amax = std::fabs(x[i]);
            max = x[i];
        }
    }
    if (amax == 0.0f)
        return 0.0f;
    // For levels q the least-squares scale is sum(xq)/sum(qq) and the squared error falls as
    // sum(xq)^2/sum(qq) rises, so that is the score to maximise.
    // Scores are compared cross-multiplied (a/b > c/d as a*d > c*b, all positive) to avoid divisions.
    double bestSqx2 = 0.0, bestSqq = 1.0;
    float bestScale = 0.0f;
    auto tryGrid = [&](float iscale) {
        float sqx, sqq;
        symmetricSums(x, iscale, nmax, sqx, sqq);
        const double sqx2 = static_cast<double>(sqx) * sqx;
        if (sqq > 0.0f && sqx2 * bestSqq > bestSqx2 * sqq) {
            bestSqx2 = sqx2;
            bestSqq = sqq;
            bestScale = sqx / sqq;
        }
    };
    // Negative iscale: the largest-magnitude value lands on the extra level -nmax.
    for (float step : kSymmetricGridSteps)
        tryGrid(-(nmax + step) / max);
    for (int r = 0; r < kRefinements && bestScale != 0.0f; ++r)
        tryGrid(1.0f / bestScale);
    return bestScale;
}

// ---- Stage 2 ----

// Q4_K and Q5_K: fills scales[12] and the levels L[256] (0..nmax) of one super-block.
void quantizeOffsetSuperBlock(const float* x, float nmax, const char* typeName, std::uint16_t& dBits,
                              std::uint16_t& dminBits, std::uint8_t* scales, std::uint8_t* L)
{
    constexpr int kSubBlocks = kSuperBlock / kSubBlockK;
    ScaleMin fits[kSubBlocks];
    float maxScale = 0.0f, maxMin = 0.0f;
    for (int j = 0; j < kSubBlocks; ++j) {
        fits[j] = fitScaleMin(x + kSubBlockK * j, nmax);
        maxScale = std::max(maxScale, fits[j].scale);
        maxMin = std::max(maxMin, fits[j].min);
    }
    dBits = scaleToFp16(maxScale / 63.0f, typeName);
    dminBits = scaleToFp16(maxMin / 63.0f, typeName);
    const float d = fp16ToFloat(dBits), dmin = fp16ToFloat(dminBits);
    const float id = inverseOrZero(d), idmin = inverseOrZero(dmin);
    std::uint8_t sc[kSubBlocks], mn[kSubBlocks];
    for (int j = 0; j < kSubBlocks; ++j) {
        sc[j] = static_cast<std::uint8_t>(roundClamped(fits[j].scale * id, 0.0f, 63.0f));
        mn[j] = static_cast<std::uint8_t>(roundClamped(fits[j].min * idmin, 0.0f, 63.0f));
        // The same products the decoder forms, so rounding targets the decoded levels exactly.
        const float ds = d * static_cast<float>(sc[j]);
        const float dm = dmin * static_cast<float>(mn[j]);
        const float ids = inverseOrZero(ds);
        for (int i = 0; i < kSubBlockK; ++i) {
            const float v = x[kSubBlockK * j + i] + dm;
            L[kSubBlockK * j + i] = static_cast<std::uint8_t>(roundClamped(v * ids, 0.0f, nmax));
        }
    }
    packScaleMins(sc, mn, scales);
}

// Q4_K/Q5_K level layout: in 64-value group t, qs[32t + l] = value 64t + l | value 64t + 32 + l << 4.
void packKNibbles(const std::uint8_t* L, std::uint8_t* qs)
{
    for (int t = 0; t < kSuperBlock / 64; ++t)
        for (int l = 0; l < 32; ++l)
            qs[32 * t + l] = static_cast<std::uint8_t>((L[64 * t + l] & 0xF) | ((L[64 * t + 32 + l] & 0xF) << 4));
}

} // namespace

void quantizeQ4_K(const float* src, std::uint8_t* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, src += kSuperBlock) {
        std::uint8_t L[kSuperBlock];
        BlockQ4_K b;
        quantizeOffsetSuperBlock(src, 15.0f, "Q4_K", b.d, b.dmin, b.scales, L);
        packKNibbles(L, b.qs);
        storeBlock(b, dst, i);
    }
}

void quantizeQ5_K(const float* src, std::uint8_t* dst, std::int64_t blocks)
{
    for (std::int64_t i = 0; i < blocks; ++i, src += kSuperBlock) {
        std::uint8_t L[kSuperBlock];
        BlockQ5_K b;
        quantizeOffsetSuperBlock(src, 31.0f, "Q5_K", b.d, b.dmin, b.scales, L);
        packKNibbles(L, b.qs);
        // Bit 4 of value 64t + l goes to bit 2t of qh[l], of value 64t + 32 + l to bit 2t + 1.
        std::memset(b.qh, 0, sizeof b.qh);
        for (int t = 0; t < kSuperBlock / 64; ++t)
            for (int l = 0; l < 32; ++l)
                b.qh[l] = static_cast<std::uint8_t>(b.qh[l] | (((L[64 * t + l] >> 4) & 1) << (2 * t)) |
                                                    (((L[64 * t + 32 + l] >> 4) & 1) << (2 * t + 1)));
        storeBlock(b, dst, i);
    }
}

void quantizeQ6_K(const float* src, std::uint8_t* dst, std::int64_t blocks)
{
    constexpr int kSubBlocks = kSuperBlock / kSubBlock6;
    for (std::int64_t i = 0; i < blocks; ++i, src += kSuperBlock) {
        float scales[kSubBlocks];
        float maxAbs = 0.0f, maxScale = 0.0f;
        for (int j = 0; j < kSubBlocks; ++j) {
            scales[j] = fitSymmetricScale(src + kSubBlock6 * j, 32.0f);
            if (std::fabs(scales[j]) > maxAbs) {
                maxAbs = std::fabs(scales[j]);
                maxScale = scales[j];
            }
        }
        BlockQ6_K b;
        // The largest sub-block scale maps to int8 -128, the level with no positive twin.
        // (An all-zero block gets d = +0, not -0, so it decodes to +0.)
        b.d = scaleToFp16(maxAbs > 0.0f ? maxScale / -128.0f : 0.0f, "Q6_K");
        const float d = fp16ToFloat(b.d);
        const float id = inverseOrZero(d);
        std::uint8_t L[kSuperBlock]; // levels 0..63, i.e. q + 32
        for (int j = 0; j < kSubBlocks; ++j) {
            b.scales[j] = static_cast<std::int8_t>(roundClamped(scales[j] * id, -128.0f, 127.0f));
            const float ds = d * static_cast<float>(b.scales[j]);
            const float ids = inverseOrZero(ds);
            for (int k = 0; k < kSubBlock6; ++k) {
                const float q = roundClamped(src[kSubBlock6 * j + k] * ids, -32.0f, 31.0f);
                L[kSubBlock6 * j + k] = static_cast<std::uint8_t>(static_cast<int>(q) + 32);
            }
        }
        // Per 128-value half: values l, l+32, l+64, l+96 share ql[l] / ql[l+32] nibbles and qh[l].
        for (int h = 0; h < 2; ++h) {
            const std::uint8_t* q = L + 128 * h;
            for (int l = 0; l < 32; ++l) {
                b.ql[64 * h + l] = static_cast<std::uint8_t>((q[l] & 0xF) | ((q[l + 64] & 0xF) << 4));
                b.ql[64 * h + l + 32] = static_cast<std::uint8_t>((q[l + 32] & 0xF) | ((q[l + 96] & 0xF) << 4));
                b.qh[32 * h + l] = static_cast<std::uint8_t>((q[l] >> 4) | ((q[l + 32] >> 4) << 2) |
                                                             ((q[l + 64] >> 4) << 4) | ((q[l + 96] >> 4) << 6));
            }
        }
        storeBlock(b, dst, i);
    }
}

} // namespace ponder::quant
