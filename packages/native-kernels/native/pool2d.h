// 2-D max pooling in NHWC and its gradient, with TensorFlow.js' semantics: the first maximum of
// a window (in row-major window order) takes the gradient; NaN never wins.
#pragma once

namespace nk {

struct PoolGeometry {
  int n, h, w, c;
  int oh, ow;
  int fh, fw;
  int sh, sw;
  int pt, pl;
  long long inputSize() const { return 1LL * n * h * w * c; }
  long long outputSize() const { return 1LL * n * oh * ow * c; }
};

void maxPool(const PoolGeometry& g, const float* x, float* y);

// dx[position of each window's maximum in x] += dy[window].
void maxPoolGrad(const PoolGeometry& g, const float* x, const float* dy, float* dx);

}  // namespace nk
