#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "thread-pool.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NK_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NK_CLONES
#endif

namespace nk {

namespace {

constexpr long long kChunk = 1 << 16;  // elements per task

template <typename F>
void forChunks(long long size, F body) {
  const int chunks = static_cast<int>((size + kChunk - 1) / kChunk);
  pool().parallelFor(chunks, [&](int chunk, int) {
    const long long begin = chunk * kChunk;
    body(begin, std::min(size, begin + kChunk));
  });
}

inline float nanOr(float a, float b, float value) { return (a != a || b != b) ? std::numeric_limits<float>::quiet_NaN() : value; }

// One loop per (op, broadcast) pair so that each vectorises; JavaScript semantics (NaN in
// Maximum/Minimum wins, as Math.max does).
template <int Op>
inline float apply(float a, float b) {
  if constexpr (Op == 0) return a + b;
  if constexpr (Op == 1) return a - b;
  if constexpr (Op == 2) return a * b;
  if constexpr (Op == 3) return a / b;
  if constexpr (Op == 4) return nanOr(a, b, a > b ? a : b);
  if constexpr (Op == 5) return nanOr(a, b, a < b ? a : b);
  if constexpr (Op == 6) return (a - b) * (a - b);
  if constexpr (Op == 7) return static_cast<float>(std::pow(static_cast<double>(a), static_cast<double>(b)));  // as Math.pow
  return 0.0f;
}

template <int Op>
NK_CLONES void loopSame(const float* __restrict a, const float* __restrict b, float* __restrict out, long long n) {
  for (long long i = 0; i < n; ++i) out[i] = apply<Op>(a[i], b[i]);
}
template <int Op>
NK_CLONES void loopScalarA(float a, const float* __restrict b, float* __restrict out, long long n) {
  for (long long i = 0; i < n; ++i) out[i] = apply<Op>(a, b[i]);
}
template <int Op>
NK_CLONES void loopScalarB(const float* __restrict a, float b, float* __restrict out, long long n) {
  for (long long i = 0; i < n; ++i) out[i] = apply<Op>(a[i], b);
}

template <int Op>
void binaryOp(Broadcast broadcast, const float* a, const float* b, float* out, long long size, long long repeatSize) {
  forChunks(size, [&](long long begin, long long end) {
    switch (broadcast) {
      case Broadcast::kNone: loopSame<Op>(a + begin, b + begin, out + begin, end - begin); break;
      case Broadcast::kScalarA: loopScalarA<Op>(a[0], b + begin, out + begin, end - begin); break;
      case Broadcast::kScalarB: loopScalarB<Op>(a + begin, b[0], out + begin, end - begin); break;
      case Broadcast::kRepeatB:
      case Broadcast::kRepeatA: {
        // Walk the chunk in runs that do not wrap around the repeating side.
        for (long long i = begin; i < end;) {
          const long long offset = i % repeatSize;
          const long long run = std::min(end - i, repeatSize - offset);
          if (broadcast == Broadcast::kRepeatB) loopSame<Op>(a + i, b + offset, out + i, run);
          else loopSame<Op>(a + offset, b + i, out + i, run);
          i += run;
        }
        break;
      }
    }
  });
}

template <int Op>
inline float applyUnary(float x, float alpha) {
  if constexpr (Op == 0) return x < 0.0f ? 0.0f : x;
  if constexpr (Op == 1) return x != x ? x : (x > 0.0f ? 1.0f : alpha);
  if constexpr (Op == 2) return std::sqrt(x);
  if constexpr (Op == 3) return x * x;
  if constexpr (Op == 4) return -x;
  if constexpr (Op == 5) return std::fabs(x);
  if constexpr (Op == 6) return std::exp(x);
  if constexpr (Op == 7) return std::log(x);
  if constexpr (Op == 8) return 1.0f / x;
  if constexpr (Op == 9) return 1.0f / std::sqrt(x);
  if constexpr (Op == 10) return 1.0f / (1.0f + std::exp(-x));
  if constexpr (Op == 11) return std::tanh(x);
  if constexpr (Op == 12) return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x);
  return 0.0f;
}

template <int Op>
NK_CLONES void loopUnary(const float* __restrict x, float* __restrict out, long long n, float alpha) {
  for (long long i = 0; i < n; ++i) out[i] = applyUnary<Op>(x[i], alpha);
}

template <int Op>
void unaryOp(const float* x, float* out, long long size, float alpha) {
  forChunks(size, [&](long long begin, long long end) { loopUnary<Op>(x + begin, out + begin, end - begin, alpha); });
}

NK_CLONES void accumulateRow(double* __restrict sums, const float* __restrict row, long long n) {
  for (long long i = 0; i < n; ++i) sums[i] += row[i];
}

// Four interleaved double accumulators: vectorisable without reassociating float sums.
NK_CLONES double sumDouble(const float* __restrict values, long long n) {
  double lanes[4] = {0.0, 0.0, 0.0, 0.0};
  long long i = 0;
  for (; i + 4 <= n; i += 4)
    for (int lane = 0; lane < 4; ++lane) lanes[lane] += values[i + lane];
  for (; i < n; ++i) lanes[0] += values[i];
  return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
}

}  // namespace

void binary(BinaryOp op, Broadcast broadcast, const float* a, const float* b, float* out, long long size, long long repeatSize) {
  // x^2 (tf.norm's) as a product: exact like Math.pow's, and not a pow call per element.
  if (op == BinaryOp::kPow && broadcast == Broadcast::kScalarB && b[0] == 2.0f) return unary(UnaryOp::kSquare, a, out, size, 0.0f);
  switch (op) {
    case BinaryOp::kAdd: return binaryOp<0>(broadcast, a, b, out, size, repeatSize);
    case BinaryOp::kSub: return binaryOp<1>(broadcast, a, b, out, size, repeatSize);
    case BinaryOp::kMul: return binaryOp<2>(broadcast, a, b, out, size, repeatSize);
    case BinaryOp::kDiv: return binaryOp<3>(broadcast, a, b, out, size, repeatSize);
    case BinaryOp::kMaximum: return binaryOp<4>(broadcast, a, b, out, size, repeatSize);
    case BinaryOp::kMinimum: return binaryOp<5>(broadcast, a, b, out, size, repeatSize);
    case BinaryOp::kSquaredDifference: return binaryOp<6>(broadcast, a, b, out, size, repeatSize);
    case BinaryOp::kPow: return binaryOp<7>(broadcast, a, b, out, size, repeatSize);
  }
}

void unary(UnaryOp op, const float* x, float* out, long long size, float alpha) {
  switch (op) {
    case UnaryOp::kRelu: return unaryOp<0>(x, out, size, alpha);
    case UnaryOp::kStep: return unaryOp<1>(x, out, size, alpha);
    case UnaryOp::kSqrt: return unaryOp<2>(x, out, size, alpha);
    case UnaryOp::kSquare: return unaryOp<3>(x, out, size, alpha);
    case UnaryOp::kNeg: return unaryOp<4>(x, out, size, alpha);
    case UnaryOp::kAbs: return unaryOp<5>(x, out, size, alpha);
    case UnaryOp::kExp: return unaryOp<6>(x, out, size, alpha);
    case UnaryOp::kLog: return unaryOp<7>(x, out, size, alpha);
    case UnaryOp::kReciprocal: return unaryOp<8>(x, out, size, alpha);
    case UnaryOp::kRsqrt: return unaryOp<9>(x, out, size, alpha);
    case UnaryOp::kSigmoid: return unaryOp<10>(x, out, size, alpha);
    case UnaryOp::kTanh: return unaryOp<11>(x, out, size, alpha);
    case UnaryOp::kRelu6: return unaryOp<12>(x, out, size, alpha);
  }
}

void sumOuter(const float* x, long long outer, long long inner, float* out) {
  if (inner >= kChunk) {  // wide rows: each task owns a range of columns
    const int tasks = static_cast<int>((inner + kChunk - 1) / kChunk);
    pool().parallelFor(tasks, [&](int task, int) {
      const long long begin = task * kChunk;
      const long long width = std::min(kChunk, inner - begin);
      std::vector<double> sums(width, 0.0);
      for (long long row = 0; row < outer; ++row) accumulateRow(sums.data(), x + row * inner + begin, width);
      for (long long j = 0; j < width; ++j) out[begin + j] = static_cast<float>(sums[j]);
    });
    return;
  }
  // Narrow rows: each band of rows is summed into its own row of doubles, then the bands are added.
  const long long bands = std::max<long long>(1, std::min<long long>(outer, 4LL * pool().size()));
  const long long rowsPerBand = (outer + bands - 1) / bands;
  std::vector<double> partial(static_cast<std::size_t>(bands * inner), 0.0);
  pool().parallelFor(static_cast<int>(bands), [&](int band, int) {
    double* sums = partial.data() + band * inner;
    const long long end = std::min(outer, (band + 1) * rowsPerBand);
    for (long long row = band * rowsPerBand; row < end; ++row) accumulateRow(sums, x + row * inner, inner);
  });
  for (long long j = 0; j < inner; ++j) {
    double total = 0.0;
    for (long long band = 0; band < bands; ++band) total += partial[band * inner + j];
    out[j] = static_cast<float>(total);
  }
}

void sumInner(const float* x, long long outer, long long inner, float* out) {
  if (outer < 4LL * pool().size() && inner >= 2 * kChunk) {  // few long rows: split each row
    const long long pieces = (inner + kChunk - 1) / kChunk;
    std::vector<double> partial(static_cast<std::size_t>(outer * pieces), 0.0);
    pool().parallelFor(static_cast<int>(outer * pieces), [&](int task, int) {
      const long long row = task / pieces, piece = task % pieces;
      const long long begin = piece * kChunk, end = std::min(inner, begin + kChunk);
      partial[task] = sumDouble(x + row * inner + begin, end - begin);
    });
    for (long long row = 0; row < outer; ++row) {
      double total = 0.0;
      for (long long piece = 0; piece < pieces; ++piece) total += partial[row * pieces + piece];
      out[row] = static_cast<float>(total);
    }
    return;
  }
  const long long rowsPerTask = std::max<long long>(1, kChunk / std::max<long long>(1, inner));
  const int tasks = static_cast<int>((outer + rowsPerTask - 1) / rowsPerTask);
  pool().parallelFor(tasks, [&](int task, int) {
    const long long end = std::min(outer, (task + 1) * rowsPerTask);
    for (long long row = task * rowsPerTask; row < end; ++row) out[row] = static_cast<float>(sumDouble(x + row * inner, inner));
  });
}

}  // namespace nk
