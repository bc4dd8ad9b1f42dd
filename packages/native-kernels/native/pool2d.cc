#include "pool2d.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "thread-pool.h"

namespace nk {

namespace {

// Tasks are (image, output row) for the forward pass and (image, channel band) for the
// gradient, whose scatter then never races: channels are independent.
constexpr int kChannelBand = 16;

template <typename F>
void forEachWindowMax(const PoolGeometry& g, const float* xImage, int oy, int ox, int c0, int c1, F emit) {
  const int y0 = oy * g.sh - g.pt, x0 = ox * g.sw - g.pl;
  const int yBegin = std::max(0, y0), yEnd = std::min(g.h, y0 + g.fh);
  const int xBegin = std::max(0, x0), xEnd = std::min(g.w, x0 + g.fw);
  for (int ch = c0; ch < c1; ++ch) {
    float best = -std::numeric_limits<float>::infinity();
    long long bestIndex = -1;
    for (int iy = yBegin; iy < yEnd; ++iy)
      for (int ix = xBegin; ix < xEnd; ++ix) {
        const long long index = (1LL * iy * g.w + ix) * g.c + ch;
        const float value = xImage[index];
        if (value > best) {
          best = value;
          bestIndex = index;
        }
      }
    emit(ch, best, bestIndex);
  }
}

}  // namespace

void maxPool(const PoolGeometry& g, const float* x, float* y) {
  pool().parallelFor(g.n * g.oh, [&](int task, int) {
    const int image = task / g.oh, oy = task % g.oh;
    const float* xImage = x + 1LL * image * g.h * g.w * g.c;
    float* yRow = y + (1LL * image * g.oh + oy) * g.ow * g.c;
    const int y0 = oy * g.sh - g.pt;
    const int yBegin = std::max(0, y0), yEnd = std::min(g.h, y0 + g.fh);
    for (int ox = 0; ox < g.ow; ++ox) {
      float* out = yRow + 1LL * ox * g.c;
      std::fill(out, out + g.c, -std::numeric_limits<float>::infinity());
      const int x0 = ox * g.sw - g.pl;
      const int xBegin = std::max(0, x0), xEnd = std::min(g.w, x0 + g.fw);
      // Channels innermost: contiguous, vectorisable.
      for (int iy = yBegin; iy < yEnd; ++iy)
        for (int ix = xBegin; ix < xEnd; ++ix) {
          const float* in = xImage + (1LL * iy * g.w + ix) * g.c;
          for (int ch = 0; ch < g.c; ++ch) out[ch] = in[ch] > out[ch] ? in[ch] : out[ch];
        }
    }
  });
}

void maxPoolGrad(const PoolGeometry& g, const float* x, const float* dy, float* dx) {
  const int bands = (g.c + kChannelBand - 1) / kChannelBand;
  pool().parallelFor(g.n * bands, [&](int task, int) {
    const int image = task / bands, band = task % bands;
    const int c0 = band * kChannelBand, c1 = std::min(g.c, c0 + kChannelBand);
    const float* xImage = x + 1LL * image * g.h * g.w * g.c;
    float* dxImage = dx + 1LL * image * g.h * g.w * g.c;
    const float* dyImage = dy + 1LL * image * g.oh * g.ow * g.c;
    for (long long pixel = 0; pixel < 1LL * g.h * g.w; ++pixel) std::memset(dxImage + pixel * g.c + c0, 0, sizeof(float) * (c1 - c0));
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        const float* dyPixel = dyImage + (1LL * oy * g.ow + ox) * g.c;
        forEachWindowMax(g, xImage, oy, ox, c0, c1, [&](int ch, float, long long index) {
          if (index >= 0) dxImage[index] += dyPixel[ch];
        });
      }
  });
}

}  // namespace nk
