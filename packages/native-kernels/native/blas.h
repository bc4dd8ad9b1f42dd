// OpenBLAS, loaded at run time (dlopen) so that the addon builds without it and reports clearly
// when it is missing. Our own threads split the work, so OpenBLAS runs single-threaded per call.
#pragma once

#include <string>

namespace nk {

struct Blas {
  // C = alpha * op(A) * op(B) + beta * C, row-major; op(X) = X or its transpose.
  void sgemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc) const;
  std::string library;   // the file that was loaded
  std::string coreName;  // OpenBLAS' kernel family, e.g. "SkylakeX" or "Haswell"
  using SgemmFn = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
  SgemmFn sgemmFn = nullptr;
};

// Loads OpenBLAS once; returns nullptr and sets error when it cannot.
const Blas* loadBlas(std::string& error);

}  // namespace nk
