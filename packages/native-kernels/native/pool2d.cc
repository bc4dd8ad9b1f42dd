#include "pool2d.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "thread-pool.h"

namespace nk {

namespace {

// The gradient's tasks are (image, channel band): windows may overlap (stride < size), but
// channels never do, so the scatter into dx cannot race.
constexpr int kChannelBand = 32;

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
    const int c0 = band * kChannelBand, width = std::min(g.c, c0 + kChannelBand) - c0;
    const float* xImage = x + 1LL * image * g.h * g.w * g.c + c0;
    float* dxImage = dx + 1LL * image * g.h * g.w * g.c + c0;
    const float* dyImage = dy + 1LL * image * g.oh * g.ow * g.c + c0;
    for (long long pixel = 0; pixel < 1LL * g.h * g.w; ++pixel) std::memset(dxImage + pixel * g.c, 0, sizeof(float) * width);
    float best[kChannelBand];
    long long where[kChannelBand];
    for (int oy = 0; oy < g.oh; ++oy) {
      const int y0 = oy * g.sh - g.pt;
      const int yBegin = std::max(0, y0), yEnd = std::min(g.h, y0 + g.fh);
      for (int ox = 0; ox < g.ow; ++ox) {
        const int x0 = ox * g.sw - g.pl;
        const int xBegin = std::max(0, x0), xEnd = std::min(g.w, x0 + g.fw);
        std::fill(best, best + width, -std::numeric_limits<float>::infinity());
        std::fill(where, where + width, -1LL);
        // Row-major window order with a strict comparison: the first maximum wins, NaN never.
        for (int iy = yBegin; iy < yEnd; ++iy)
          for (int ix = xBegin; ix < xEnd; ++ix) {
            const long long offset = (1LL * iy * g.w + ix) * g.c;
            const float* in = xImage + offset;
            for (int ch = 0; ch < width; ++ch)
              if (in[ch] > best[ch]) {
                best[ch] = in[ch];
                where[ch] = offset + ch;
              }
          }
        const float* dyPixel = dyImage + (1LL * oy * g.ow + ox) * g.c;
        for (int ch = 0; ch < width; ++ch)
          if (where[ch] >= 0) dxImage[where[ch]] += dyPixel[ch];
      }
    }
  });
}

}  // namespace nk
