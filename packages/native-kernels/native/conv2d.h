// 2-D convolution in NHWC with filters [kh, kw, ci, co] (TensorFlow's layout): forward, and the
// gradients with respect to the input and to the filter. Each is im2col on tiles of whole
// output rows (kept in cache) followed by one OpenBLAS sgemm per tile, tiles spread over the pool.
#pragma once

#include "blas.h"

namespace nk {

struct ConvGeometry {
  int n, h, w, ci;      // input
  int oh, ow, co;       // output
  int kh, kw;           // filter
  int sh, sw, dh, dw;   // strides, dilations
  int pt, pl;           // padding before the first row / column (after the last is implied)
  long long inputSize() const { return 1LL * n * h * w * ci; }
  long long outputSize() const { return 1LL * n * oh * ow * co; }
  long long filterSize() const { return 1LL * kh * kw * ci * co; }
};

enum class Activation { kLinear = 0, kRelu = 1, kRelu6 = 2, kLeakyRelu = 3, kSigmoid = 4, kElu = 5 };

// y[n, oh, ow, co] = act(sum x * w + bias[co]); bias may be null.
void conv2dForward(const Blas& blas, const ConvGeometry& g, const float* x, const float* w, const float* bias, Activation act, float alpha, float* y);

// dx = gradient of sum(dy * conv(x, w)) with respect to x.
void conv2dBackpropInput(const Blas& blas, const ConvGeometry& g, const float* dy, const float* w, float* dx);

// dw = gradient of sum(dy * conv(x, w)) with respect to w.
void conv2dBackpropFilter(const Blas& blas, const ConvGeometry& g, const float* x, const float* dy, float* dw);

// Applies bias and activation to rows x cols values in place (shared with the matmul kernel).
void biasActivate(float* y, long long rows, int cols, const float* bias, Activation act, float alpha);

}  // namespace nk
