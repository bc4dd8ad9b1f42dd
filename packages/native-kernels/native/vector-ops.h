// Memory-bound loops, compiled for AVX-512, AVX2 and baseline x86-64 and picked at load time, so
// one build runs on any x86-64 CPU.
#pragma once

namespace nk {

// dst[i] += src[i]
void addInPlace(float* dst, const float* src, long long size);

// row[i] = act(row[i] + bias[i]) for i < cols; bias may be null; act is an Activation value.
void activateRow(float* row, int cols, const float* bias, int act, float alpha);

}  // namespace nk
