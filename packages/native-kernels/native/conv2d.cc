#include "conv2d.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <vector>

#include "thread-pool.h"
#include "vector-ops.h"

namespace nk {

namespace {

// A tile of im2col rows is kept near this many floats (4 MiB) so that it stays in cache between
// being written and being read by sgemm.
constexpr long long kTileFloats = 1 << 20;
// Below this many rows per sgemm call OpenBLAS spends more on packing than on arithmetic.
constexpr long long kMinTileRows = 128;

struct Tiling {
  int rowsPerTile;  // output rows (of one image) per tile
  int tilesPerImage;
  int tiles;
};

Tiling tileOutputRows(const ConvGeometry& g, int minRows) {
  const long long k = 1LL * g.kh * g.kw * g.ci;
  const long long rowFloats = std::max<long long>(1, 1LL * g.ow * k);
  const int threads = pool().size();
  long long byCache = std::max<long long>(1, kTileFloats / rowFloats);
  // Aim for several tiles per thread so that uneven tiles still balance...
  const long long wantedTiles = 4LL * threads;
  long long byBalance = std::max<long long>(1, (1LL * g.oh * g.n + wantedTiles - 1) / wantedTiles);
  // ...but not so small that sgemm gets inefficient.
  long long byGemm = (kMinTileRows + g.ow - 1) / g.ow;
  long long rows = std::min(byCache, std::max(byBalance, byGemm));
  rows = std::max<long long>(rows, minRows);
  rows = std::min<long long>(rows, g.oh);
  rows = std::max<long long>(rows, 1);
  Tiling t;
  t.rowsPerTile = static_cast<int>(rows);
  t.tilesPerImage = (g.oh + t.rowsPerTile - 1) / t.rowsPerTile;
  t.tiles = g.n * t.tilesPerImage;
  return t;
}

bool isPointwise(const ConvGeometry& g) {
  return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.oh == g.h && g.ow == g.w;
}

// Scratch that lives as long as its thread: tiles reuse it from call to call.
float* scratch(std::size_t floats) {
  thread_local std::vector<float> buffer;
  if (buffer.size() < floats) buffer.resize(floats);
  return buffer.data();
}

// col[r][(ky, kx, c)] = x[image, oy*sh - pt + ky*dh, ox*sw - pl + kx*dw, c] (0 outside), for the
// output pixels of rows [r0, r1).
void im2colRows(const ConvGeometry& g, const float* x, int image, int r0, int r1, float* col) {
  const float* xImage = x + 1LL * image * g.h * g.w * g.ci;
  const std::size_t pixelBytes = sizeof(float) * g.ci;
  float* dst = col;
  for (int oy = r0; oy < r1; ++oy) {
    for (int ox = 0; ox < g.ow; ++ox) {
      const int ix0 = ox * g.sw - g.pl;
      const bool rowInside = g.dw == 1 && ix0 >= 0 && ix0 + g.kw <= g.w;
      for (int ky = 0; ky < g.kh; ++ky) {
        const int iy = oy * g.sh - g.pt + ky * g.dh;
        if (iy < 0 || iy >= g.h) {
          std::memset(dst, 0, pixelBytes * g.kw);
          dst += 1LL * g.kw * g.ci;
          continue;
        }
        const float* xRow = xImage + 1LL * iy * g.w * g.ci;
        if (rowInside) {  // kw neighbouring pixels are one contiguous run
          std::memcpy(dst, xRow + 1LL * ix0 * g.ci, pixelBytes * g.kw);
          dst += 1LL * g.kw * g.ci;
          continue;
        }
        for (int kx = 0; kx < g.kw; ++kx, dst += g.ci) {
          const int ix = ix0 + kx * g.dw;
          if (ix < 0 || ix >= g.w) std::memset(dst, 0, pixelBytes);
          else std::memcpy(dst, xRow + 1LL * ix * g.ci, pixelBytes);
        }
      }
    }
  }
}

// The adjoint of im2colRows: dx[image, iy, ix, c] += col[r][(ky, kx, c)].
void col2imRows(const ConvGeometry& g, const float* col, int image, int r0, int r1, float* dx) {
  float* dxImage = dx + 1LL * image * g.h * g.w * g.ci;
  const float* src = col;
  for (int oy = r0; oy < r1; ++oy) {
    for (int ox = 0; ox < g.ow; ++ox) {
      const int ix0 = ox * g.sw - g.pl;
      const bool rowInside = g.dw == 1 && ix0 >= 0 && ix0 + g.kw <= g.w;
      for (int ky = 0; ky < g.kh; ++ky) {
        const int iy = oy * g.sh - g.pt + ky * g.dh;
        if (iy < 0 || iy >= g.h) {
          src += 1LL * g.kw * g.ci;
          continue;
        }
        float* dxRow = dxImage + 1LL * iy * g.w * g.ci;
        if (rowInside) {
          addInPlace(dxRow + 1LL * ix0 * g.ci, src, 1LL * g.kw * g.ci);
          src += 1LL * g.kw * g.ci;
          continue;
        }
        for (int kx = 0; kx < g.kw; ++kx, src += g.ci) {
          const int ix = ix0 + kx * g.dw;
          if (ix >= 0 && ix < g.w) addInPlace(dxRow + 1LL * ix * g.ci, src, g.ci);
        }
      }
    }
  }
}

// Accumulators for groups 1.. of the filter gradient, kept between calls (fresh memory costs page
// faults). Kernels are called from the JavaScript thread only, one at a time.
std::vector<float*> groupAccumulators(int groups, long long floats) {
  static std::mutex mutex;
  static std::vector<std::vector<float>> buffers;
  std::lock_guard<std::mutex> lock(mutex);
  if (static_cast<int>(buffers.size()) < groups) buffers.resize(groups);
  std::vector<float*> pointers(groups, nullptr);
  for (int group = 1; group < groups; ++group) {
    if (static_cast<long long>(buffers[group].size()) < floats) buffers[group].resize(floats);
    pointers[group] = buffers[group].data();
  }
  return pointers;
}

void zeroParallel(float* data, long long size) {
  constexpr long long kChunk = 1 << 18;
  const int chunks = static_cast<int>((size + kChunk - 1) / kChunk);
  pool().parallelFor(chunks, [&](int chunk, int) {
    const long long begin = chunk * kChunk;
    std::memset(data + begin, 0, sizeof(float) * std::min(kChunk, size - begin));
  });
}

}  // namespace

void biasActivate(float* y, long long rows, int cols, const float* bias, Activation act, float alpha) {
  if (!bias && act == Activation::kLinear) return;
  for (long long r = 0; r < rows; ++r) activateRow(y + r * cols, cols, bias, static_cast<int>(act), alpha);
}

void conv2dForward(const Blas& blas, const ConvGeometry& g, const float* x, const float* w, const float* bias, Activation act, float alpha, float* y) {
  const int k = g.kh * g.kw * g.ci;
  const Tiling t = tileOutputRows(g, 1);
  const bool pointwise = isPointwise(g);
  pool().parallelFor(t.tiles, [&](int tile, int) {
    const int image = tile / t.tilesPerImage;
    const int r0 = (tile % t.tilesPerImage) * t.rowsPerTile;
    const int r1 = std::min(g.oh, r0 + t.rowsPerTile);
    const int m = (r1 - r0) * g.ow;
    const float* a;
    if (pointwise) {
      a = x + (1LL * image * g.h + r0) * g.w * g.ci;
    } else {
      float* col = scratch(1LL * m * k);
      im2colRows(g, x, image, r0, r1, col);
      a = col;
    }
    float* yTile = y + (1LL * image * g.oh + r0) * g.ow * g.co;
    blas.sgemm(false, false, m, g.co, k, 1.0f, a, k, w, g.co, 0.0f, yTile, g.co);
    biasActivate(yTile, m, g.co, bias, act, alpha);
  });
}

void conv2dBackpropInput(const Blas& blas, const ConvGeometry& g, const float* dy, const float* w, float* dx) {
  const int k = g.kh * g.kw * g.ci;
  if (isPointwise(g)) {  // dx = dy * w^T directly, no scatter
    const Tiling t = tileOutputRows(g, 1);
    pool().parallelFor(t.tiles, [&](int tile, int) {
      const int image = tile / t.tilesPerImage;
      const int r0 = (tile % t.tilesPerImage) * t.rowsPerTile;
      const int r1 = std::min(g.oh, r0 + t.rowsPerTile);
      const long long offset = (1LL * image * g.oh + r0) * g.ow;
      blas.sgemm(false, true, (r1 - r0) * g.ow, g.ci, g.co, 1.0f, dy + offset * g.co, g.co, w, g.co, 0.0f, dx + offset * g.ci, g.ci);
    });
    return;
  }
  zeroParallel(dx, g.inputSize());
  // Tiles of one image scatter into overlapping input rows. With at least ceil(kh*dh/sh) rows per
  // tile, tiles two apart never overlap: even tiles run together, then odd ones.
  const int minRows = (g.kh * g.dh + g.sh - 1) / g.sh;
  const Tiling t = tileOutputRows(g, minRows);
  for (int phase = 0; phase < 2; ++phase) {
    const int phaseTilesPerImage = (t.tilesPerImage - phase + 1) / 2;
    if (phaseTilesPerImage <= 0) continue;
    pool().parallelFor(g.n * phaseTilesPerImage, [&](int task, int) {
      const int image = task / phaseTilesPerImage;
      const int tileInImage = 2 * (task % phaseTilesPerImage) + phase;
      const int r0 = tileInImage * t.rowsPerTile;
      const int r1 = std::min(g.oh, r0 + t.rowsPerTile);
      const int m = (r1 - r0) * g.ow;
      float* col = scratch(1LL * m * k);
      blas.sgemm(false, true, m, k, g.co, 1.0f, dy + (1LL * image * g.oh + r0) * g.ow * g.co, g.co, w, g.co, 0.0f, col, k);
      col2imRows(g, col, image, r0, r1, dx);
    });
  }
}

void conv2dBackpropFilter(const Blas& blas, const ConvGeometry& g, const float* x, const float* dy, float* dw) {
  const int k = g.kh * g.kw * g.ci;
  const long long filterSize = g.filterSize();
  const Tiling t = tileOutputRows(g, 1);
  const bool pointwise = isPointwise(g);
  // Tiles are split into one contiguous group per thread, each summed in order into its own
  // accumulator (group 0's is dw), and the accumulators are then added in group order: the same
  // result on every run, whichever thread happens to take which group.
  const int groups = std::min(t.tiles, pool().size());
  std::vector<float*> accumulators = groupAccumulators(groups, filterSize);
  accumulators[0] = dw;
  pool().parallelFor(groups, [&](int group, int) {
    float* accumulator = accumulators[group];
    std::memset(accumulator, 0, sizeof(float) * filterSize);
    const int firstTile = static_cast<int>(1LL * t.tiles * group / groups);
    const int endTile = static_cast<int>(1LL * t.tiles * (group + 1) / groups);
    for (int tile = firstTile; tile < endTile; ++tile) {
      const int image = tile / t.tilesPerImage;
      const int r0 = (tile % t.tilesPerImage) * t.rowsPerTile;
      const int r1 = std::min(g.oh, r0 + t.rowsPerTile);
      const int m = (r1 - r0) * g.ow;
      const float* a;
      if (pointwise) {
        a = x + (1LL * image * g.h + r0) * g.w * g.ci;
      } else {
        float* col = scratch(1LL * m * k);
        im2colRows(g, x, image, r0, r1, col);
        a = col;
      }
      blas.sgemm(true, false, k, g.co, m, 1.0f, a, k, dy + (1LL * image * g.oh + r0) * g.ow * g.co, g.co, 1.0f, accumulator, g.co);
    }
  });
  if (groups == 1) return;
  constexpr long long kChunk = 1 << 16;
  const int chunks = static_cast<int>((filterSize + kChunk - 1) / kChunk);
  pool().parallelFor(chunks, [&](int chunk, int) {
    const long long begin = chunk * kChunk;
    const long long size = std::min(kChunk, filterSize - begin);
    for (int group = 1; group < groups; ++group) addInPlace(dw + begin, accumulators[group] + begin, size);
  });
}

}  // namespace nk
