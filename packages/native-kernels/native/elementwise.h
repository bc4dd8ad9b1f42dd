// Element-wise float32 kernels (the bulk of a training step outside the convolutions: bias adds,
// ReLU and its gradient, optimizer updates), split over the thread pool.
#pragma once

namespace nk {

enum class BinaryOp { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3, kMaximum = 4, kMinimum = 5, kSquaredDifference = 6, kPow = 7 };

// How b (or a) is read: same size; one side a scalar; one side repeating along leading axes.
enum class Broadcast { kNone = 0, kScalarA = 1, kScalarB = 2, kRepeatB = 3, kRepeatA = 4 };

// out[i] = a[i] op b[i] with the broadcast applied; size = out's length; the repeating side has
// repeatSize values.
void binary(BinaryOp op, Broadcast broadcast, const float* a, const float* b, float* out, long long size, long long repeatSize);

enum class UnaryOp { kRelu = 0, kStep = 1, kSqrt = 2, kSquare = 3, kNeg = 4, kAbs = 5, kExp = 6, kLog = 7, kReciprocal = 8, kRsqrt = 9, kSigmoid = 10, kTanh = 11, kRelu6 = 12 };

// out[i] = op(x[i]); alpha is Step's value for x <= 0.
void unary(UnaryOp op, const float* x, float* out, long long size, float alpha);

// Sum of x viewed as [outer, inner]: over the outer axis (out has inner values) or over the inner
// axis (out has outer values). Accumulates in double.
void sumOuter(const float* x, long long outer, long long inner, float* out);
void sumInner(const float* x, long long outer, long long inner, float* out);

}  // namespace nk
