#include "blas.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <iterator>
#include <string>
#include <vector>

namespace nk {

namespace {
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;  // CBLAS enum values

Blas blas;
std::string loadError;
bool loaded = false;

void load() {
  // OpenBLAS picks its kernels for the CPU when it initialises (at dlopen) unless
  // OPENBLAS_CORETYPE says otherwise. Machines may set that for other programs (these set
  // "Haswell", AVX2, for numpy: half the speed of the AVX-512 kernels OpenBLAS detects here), so
  // our choice is MAMMO_OPENBLAS_CORETYPE or OpenBLAS' own detection; the variable is put back after.
  const char* wanted = std::getenv("MAMMO_OPENBLAS_CORETYPE");
  const char* previousValue = std::getenv("OPENBLAS_CORETYPE");
  const std::string previous = previousValue ? previousValue : "";
  const bool hadPrevious = previousValue != nullptr;
  if (wanted && *wanted) setenv("OPENBLAS_CORETYPE", wanted, 1);
  else unsetenv("OPENBLAS_CORETYPE");
  // MAMMO_OPENBLAS_LIBRARY names the one file to load; otherwise the usual names are tried.
  const char* override = std::getenv("MAMMO_OPENBLAS_LIBRARY");
  const char* defaults[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};
  std::vector<const char*> candidates;
  if (override && *override) candidates.push_back(override);
  else candidates.assign(std::begin(defaults), std::end(defaults));
  void* handle = nullptr;
  std::string tried;
  for (const char* name : candidates) {
    if (!name) continue;
    handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (handle) {
      blas.library = name;
      break;
    }
    tried += tried.empty() ? name : std::string(", ") + name;
  }
  if (hadPrevious) setenv("OPENBLAS_CORETYPE", previous.c_str(), 1);
  else unsetenv("OPENBLAS_CORETYPE");
  if (!handle) {
    loadError = "OpenBLAS not found (tried " + tried + "; on Debian: apt-get install libopenblas-dev)";
    return;
  }
  blas.sgemmFn = reinterpret_cast<Blas::SgemmFn>(dlsym(handle, "cblas_sgemm"));
  auto setThreads = reinterpret_cast<void (*)(int)>(dlsym(handle, "openblas_set_num_threads"));
  auto coreName = reinterpret_cast<char* (*)()>(dlsym(handle, "openblas_get_corename"));
  if (!blas.sgemmFn || !setThreads) {
    loadError = blas.library + " lacks cblas_sgemm or openblas_set_num_threads";
    return;
  }
  setThreads(1);
  blas.coreName = coreName ? coreName() : "unknown";
  loaded = true;
}
}  // namespace

void Blas::sgemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc) const {
  sgemmFn(kRowMajor, transA ? kTrans : kNoTrans, transB ? kTrans : kNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

const Blas* loadBlas(std::string& error) {
  static std::once_flag once;
  std::call_once(once, load);
  error = loadError;
  return loaded ? &blas : nullptr;
}

}  // namespace nk
