#include "matmul.h"

#include <algorithm>

#include "thread-pool.h"
#include "vector-ops.h"

namespace nk {

void matmul(const Blas& blas, const MatmulShape& s, const float* a, const float* b, const float* bias, Activation act, float alpha, float* out) {
  const long long sizeA = 1LL * s.m * s.k, sizeB = 1LL * s.k * s.n, sizeOut = 1LL * s.m * s.n;
  const int lda = s.transA ? s.m : s.k;
  const int ldb = s.transB ? s.k : s.n;
  const int threads = pool().size();
  // Split each product along its longer side into parts of useful size when the batch alone
  // cannot keep every thread busy.
  const double flops = 2.0 * s.m * s.n * s.k;
  int parts = 1;
  if (s.batch < threads && flops >= 4e6) parts = std::max(1, threads / s.batch);
  const bool splitRows = s.m >= s.n;
  const int side = splitRows ? s.m : s.n;
  const int step = (side + parts - 1) / parts;
  parts = (side + step - 1) / step;
  pool().parallelFor(s.batch * parts, [&](int task, int) {
    const int item = task / parts;
    const int begin = (task % parts) * step;
    const int end = std::min(side, begin + step);
    const float* ai = a + (s.batchA == 1 ? 0 : item * sizeA);
    const float* bi = b + (s.batchB == 1 ? 0 : item * sizeB);
    float* oi = out + item * sizeOut;
    if (splitRows) {
      const float* aPart = s.transA ? ai + begin : ai + 1LL * begin * lda;
      float* oPart = oi + 1LL * begin * s.n;
      blas.sgemm(s.transA, s.transB, end - begin, s.n, s.k, 1.0f, aPart, lda, bi, ldb, 0.0f, oPart, s.n);
      biasActivate(oPart, end - begin, s.n, bias, act, alpha);
    } else {
      const float* bPart = s.transB ? bi + 1LL * begin * ldb : bi + begin;
      float* oPart = oi + begin;
      blas.sgemm(s.transA, s.transB, s.m, end - begin, s.k, 1.0f, ai, lda, bPart, ldb, 0.0f, oPart, s.n);
      for (int r = 0; r < s.m; ++r) activateRow(oPart + 1LL * r * s.n, end - begin, bias ? bias + begin : nullptr, static_cast<int>(act), alpha);
    }
  });
}

}  // namespace nk
