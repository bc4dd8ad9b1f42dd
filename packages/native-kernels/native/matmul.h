// Batched matrix product with optional bias and activation (TensorFlow's BatchMatMul and
// _FusedMatMul), row-major, split over the thread pool.
#pragma once

#include "blas.h"
#include "conv2d.h"

namespace nk {

struct MatmulShape {
  int batch;             // output batch; a and b are broadcast when their batch is 1
  int batchA, batchB;
  int m, n, k;
  bool transA, transB;   // a is [m, k] (or [k, m] when transposed), b is [k, n] (or [n, k])
};

// out[i] = act(op(a[i]) * op(b[i]) + bias), bias of n values or null.
void matmul(const Blas& blas, const MatmulShape& s, const float* a, const float* b, const float* bias, Activation act, float alpha, float* out);

}  // namespace nk
