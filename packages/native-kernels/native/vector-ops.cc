#include "vector-ops.h"

#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NK_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NK_CLONES
#endif

namespace nk {

NK_CLONES void addInPlace(float* __restrict dst, const float* __restrict src, long long size) {
  for (long long i = 0; i < size; ++i) dst[i] += src[i];
}

NK_CLONES void activateRow(float* __restrict row, int cols, const float* __restrict bias, int act, float alpha) {
  if (bias)
    for (int i = 0; i < cols; ++i) row[i] += bias[i];
  switch (act) {
    case 1:  // relu
      for (int i = 0; i < cols; ++i) row[i] = row[i] < 0.0f ? 0.0f : row[i];  // keeps NaN, as tfjs does
      break;
    case 2:  // relu6
      for (int i = 0; i < cols; ++i) row[i] = row[i] < 0.0f ? 0.0f : (row[i] > 6.0f ? 6.0f : row[i]);
      break;
    case 3:  // leaky relu
      for (int i = 0; i < cols; ++i) row[i] = row[i] < 0.0f ? alpha * row[i] : row[i];
      break;
    case 4:  // sigmoid
      for (int i = 0; i < cols; ++i) row[i] = 1.0f / (1.0f + std::exp(-row[i]));
      break;
    case 5:  // elu
      for (int i = 0; i < cols; ++i) row[i] = row[i] < 0.0f ? std::expm1(row[i]) : row[i];
      break;
    default:
      break;
  }
}

}  // namespace nk
