// Node-API bindings. Every function checks the sizes of the arrays it is given against the
// shapes, so a wrong call throws instead of touching memory it does not own.
#include <node_api.h>

#include <string>
#include <vector>

#include "blas.h"
#include "conv2d.h"
#include "elementwise.h"
#include "matmul.h"
#include "pool2d.h"
#include "thread-pool.h"

namespace {

struct ArgError {
  std::string message;
};

void check(napi_env env, napi_status status) {
  if (status != napi_ok) throw ArgError{"a Node-API call failed"};
}

const nk::Blas& requireBlas() {
  std::string error;
  const nk::Blas* blas = nk::loadBlas(error);
  if (!blas) throw ArgError{error};
  return *blas;
}

std::vector<napi_value> args(napi_env env, napi_callback_info info, std::size_t expected) {
  std::size_t count = expected;
  std::vector<napi_value> values(expected);
  check(env, napi_get_cb_info(env, info, &count, values.data(), nullptr, nullptr));
  if (count != expected) throw ArgError{"expected " + std::to_string(expected) + " arguments, got " + std::to_string(count)};
  return values;
}

bool isNull(napi_env env, napi_value value) {
  napi_valuetype type;
  check(env, napi_typeof(env, value, &type));
  return type == napi_null || type == napi_undefined;
}

template <typename T>
T* typedArray(napi_env env, napi_value value, napi_typedarray_type wanted, long long expectedLength, const char* name) {
  bool isTyped = false;
  check(env, napi_is_typedarray(env, value, &isTyped));
  const char* typeName = wanted == napi_float32_array ? "Float32Array" : "Int32Array";
  if (!isTyped) throw ArgError{std::string(name) + " must be a " + typeName};
  napi_typedarray_type type;
  std::size_t length;
  void* data;
  check(env, napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr));
  if (type != wanted) throw ArgError{std::string(name) + " must be a " + typeName};
  if (expectedLength >= 0 && static_cast<long long>(length) != expectedLength)
    throw ArgError{std::string(name) + " has " + std::to_string(length) + " elements, the shapes need " + std::to_string(expectedLength)};
  return static_cast<T*>(data);
}

float* floats(napi_env env, napi_value value, long long length, const char* name) { return typedArray<float>(env, value, napi_float32_array, length, name); }

double number(napi_env env, napi_value value, const char* name) {
  double result;
  if (napi_get_value_double(env, value, &result) != napi_ok) throw ArgError{std::string(name) + " must be a number"};
  return result;
}

bool boolean(napi_env env, napi_value value, const char* name) {
  bool result;
  if (napi_get_value_bool(env, value, &result) != napi_ok) throw ArgError{std::string(name) + " must be a boolean"};
  return result;
}

// geometry: Int32Array [n, h, w, ci, oh, ow, co, kh, kw, sh, sw, dh, dw, pt, pl]
nk::ConvGeometry geometry(napi_env env, napi_value value) {
  const int* v = typedArray<int>(env, value, napi_int32_array, 15, "geometry");
  nk::ConvGeometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  for (int i = 0; i < 15; ++i)
    if (v[i] < 0) throw ArgError{"geometry values must not be negative"};
  if (g.n < 1 || g.h < 1 || g.w < 1 || g.ci < 1 || g.oh < 1 || g.ow < 1 || g.co < 1 || g.kh < 1 || g.kw < 1 || g.sh < 1 || g.sw < 1 || g.dh < 1 || g.dw < 1)
    throw ArgError{"geometry sizes, strides and dilations must be positive"};
  return g;
}

nk::Activation activation(napi_env env, napi_value value) {
  const double code = number(env, value, "activation");
  if (code < 0 || code > 5 || code != static_cast<int>(code)) throw ArgError{"unknown activation code"};
  return static_cast<nk::Activation>(static_cast<int>(code));
}


long long integer(napi_env env, napi_value value, const char* name) {
  const double result = number(env, value, name);
  if (result != static_cast<double>(static_cast<long long>(result))) throw ArgError{std::string(name) + " must be an integer"};
  return static_cast<long long>(result);
}

long long lengthOf(napi_env env, napi_value value, const char* name) {
  bool isTyped = false;
  check(env, napi_is_typedarray(env, value, &isTyped));
  if (!isTyped) throw ArgError{std::string(name) + " must be a Float32Array"};
  napi_typedarray_type type;
  std::size_t length;
  check(env, napi_get_typedarray_info(env, value, &type, &length, nullptr, nullptr, nullptr));
  return static_cast<long long>(length);
}

// pool geometry: Int32Array [n, h, w, c, oh, ow, fh, fw, sh, sw, pt, pl]
nk::PoolGeometry poolGeometry(napi_env env, napi_value value) {
  const int* v = typedArray<int>(env, value, napi_int32_array, 12, "geometry");
  nk::PoolGeometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  if (g.n < 1 || g.h < 1 || g.w < 1 || g.c < 1 || g.oh < 1 || g.ow < 1 || g.fh < 1 || g.fw < 1 || g.sh < 1 || g.sw < 1 || g.pt < 0 || g.pl < 0)
    throw ArgError{"pool geometry sizes and strides must be positive"};
  return g;
}

template <typename F>
napi_value guarded(napi_env env, F body) {
  try {
    return body();
  } catch (const ArgError& error) {
    napi_throw_error(env, "ERR_NATIVE_KERNELS", error.message.c_str());
    return nullptr;
  }
}

napi_value undefined(napi_env env) {
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

// conv2d(x, w, bias | null, geometry, activation, alpha, y)
napi_value Conv2d(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 7);
    const nk::ConvGeometry g = geometry(env, a[3]);
    const float* x = floats(env, a[0], g.inputSize(), "x");
    const float* w = floats(env, a[1], g.filterSize(), "filter");
    const float* bias = isNull(env, a[2]) ? nullptr : floats(env, a[2], g.co, "bias");
    const nk::Activation act = activation(env, a[4]);
    const float alpha = static_cast<float>(number(env, a[5], "alpha"));
    float* y = floats(env, a[6], g.outputSize(), "y");
    nk::conv2dForward(requireBlas(), g, x, w, bias, act, alpha, y);
    return undefined(env);
  });
}

// conv2dBackpropInput(dy, w, geometry, dx)
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 4);
    const nk::ConvGeometry g = geometry(env, a[2]);
    const float* dy = floats(env, a[0], g.outputSize(), "dy");
    const float* w = floats(env, a[1], g.filterSize(), "filter");
    float* dx = floats(env, a[3], g.inputSize(), "dx");
    nk::conv2dBackpropInput(requireBlas(), g, dy, w, dx);
    return undefined(env);
  });
}

// conv2dBackpropFilter(x, dy, geometry, dw)
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 4);
    const nk::ConvGeometry g = geometry(env, a[2]);
    const float* x = floats(env, a[0], g.inputSize(), "x");
    const float* dy = floats(env, a[1], g.outputSize(), "dy");
    float* dw = floats(env, a[3], g.filterSize(), "dw");
    nk::conv2dBackpropFilter(requireBlas(), g, x, dy, dw);
    return undefined(env);
  });
}

// matmul(a, b, bias | null, shape Int32Array [batch, batchA, batchB, m, n, k], transA, transB, activation, alpha, out)
napi_value Matmul(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 9);
    const int* v = typedArray<int>(env, a[3], napi_int32_array, 6, "shape");
    nk::MatmulShape s{v[0], v[1], v[2], v[3], v[4], v[5], boolean(env, a[4], "transA"), boolean(env, a[5], "transB")};
    if (s.batch < 1 || s.m < 1 || s.n < 1 || s.k < 1) throw ArgError{"matmul sizes must be positive"};
    if ((s.batchA != 1 && s.batchA != s.batch) || (s.batchB != 1 && s.batchB != s.batch)) throw ArgError{"matmul batches must be 1 or the output batch"};
    const float* left = floats(env, a[0], 1LL * s.batchA * s.m * s.k, "a");
    const float* right = floats(env, a[1], 1LL * s.batchB * s.k * s.n, "b");
    const float* bias = isNull(env, a[2]) ? nullptr : floats(env, a[2], s.n, "bias");
    const nk::Activation act = activation(env, a[6]);
    const float alpha = static_cast<float>(number(env, a[7], "alpha"));
    float* out = floats(env, a[8], 1LL * s.batch * s.m * s.n, "out");
    nk::matmul(requireBlas(), s, left, right, bias, act, alpha, out);
    return undefined(env);
  });
}


// binary(op, broadcast, a, b, out): see elementwise.h for the codes
napi_value Binary(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 5);
    const long long op = integer(env, a[0], "op"), mode = integer(env, a[1], "broadcast");
    if (op < 0 || op > 7) throw ArgError{"unknown binary op"};
    if (mode < 0 || mode > 4) throw ArgError{"unknown broadcast"};
    const long long size = lengthOf(env, a[4], "out");
    const auto broadcast = static_cast<nk::Broadcast>(mode);
    const long long sizeA = lengthOf(env, a[2], "a"), sizeB = lengthOf(env, a[3], "b");
    long long repeat = 0;
    switch (broadcast) {
      case nk::Broadcast::kNone: if (sizeA != size || sizeB != size) throw ArgError{"a, b and out must have the same length"}; break;
      case nk::Broadcast::kScalarA: if (sizeA != 1 || sizeB != size) throw ArgError{"a must hold one value and b as many as out"}; break;
      case nk::Broadcast::kScalarB: if (sizeB != 1 || sizeA != size) throw ArgError{"b must hold one value and a as many as out"}; break;
      case nk::Broadcast::kRepeatB: repeat = sizeB; if (sizeA != size || sizeB < 1 || size % sizeB != 0) throw ArgError{"b must tile out exactly"}; break;
      case nk::Broadcast::kRepeatA: repeat = sizeA; if (sizeB != size || sizeA < 1 || size % sizeA != 0) throw ArgError{"a must tile out exactly"}; break;
    }
    const float* left = floats(env, a[2], -1, "a");
    const float* right = floats(env, a[3], -1, "b");
    float* out = floats(env, a[4], -1, "out");
    if (size > 0) nk::binary(static_cast<nk::BinaryOp>(op), broadcast, left, right, out, size, repeat);
    return undefined(env);
  });
}

// unary(op, x, alpha, out)
napi_value Unary(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 4);
    const long long op = integer(env, a[0], "op");
    if (op < 0 || op > 12) throw ArgError{"unknown unary op"};
    const long long size = lengthOf(env, a[3], "out");
    const float* x = floats(env, a[1], size, "x");
    const float alpha = static_cast<float>(number(env, a[2], "alpha"));
    float* out = floats(env, a[3], size, "out");
    if (size > 0) nk::unary(static_cast<nk::UnaryOp>(op), x, out, size, alpha);
    return undefined(env);
  });
}

// sum(x, outer, inner, overOuter, out): x viewed as [outer, inner], summed over one axis
napi_value Sum(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 5);
    const long long outer = integer(env, a[1], "outer"), inner = integer(env, a[2], "inner");
    if (outer < 1 || inner < 1) throw ArgError{"sum sizes must be positive"};
    const bool overOuter = boolean(env, a[3], "overOuter");
    const float* x = floats(env, a[0], outer * inner, "x");
    float* out = floats(env, a[4], overOuter ? inner : outer, "out");
    if (overOuter) nk::sumOuter(x, outer, inner, out);
    else nk::sumInner(x, outer, inner, out);
    return undefined(env);
  });
}

// maxPool(x, geometry, y)
napi_value MaxPool(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 3);
    const nk::PoolGeometry g = poolGeometry(env, a[1]);
    const float* x = floats(env, a[0], g.inputSize(), "x");
    float* y = floats(env, a[2], g.outputSize(), "y");
    nk::maxPool(g, x, y);
    return undefined(env);
  });
}

// maxPoolGrad(x, dy, geometry, dx)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 4);
    const nk::PoolGeometry g = poolGeometry(env, a[2]);
    const float* x = floats(env, a[0], g.inputSize(), "x");
    const float* dy = floats(env, a[1], g.outputSize(), "dy");
    float* dx = floats(env, a[3], g.inputSize(), "dx");
    nk::maxPoolGrad(g, x, dy, dx);
    return undefined(env);
  });
}

// info() -> { blas, coreName, threads } or throws when OpenBLAS cannot be loaded
napi_value Info(napi_env env, napi_callback_info) {
  return guarded(env, [&] {
    const nk::Blas& blas = requireBlas();
    napi_value result, library, core, threads;
    check(env, napi_create_object(env, &result));
    check(env, napi_create_string_utf8(env, blas.library.c_str(), NAPI_AUTO_LENGTH, &library));
    check(env, napi_create_string_utf8(env, blas.coreName.c_str(), NAPI_AUTO_LENGTH, &core));
    check(env, napi_create_int32(env, nk::pool().size(), &threads));
    check(env, napi_set_named_property(env, result, "blasLibrary", library));
    check(env, napi_set_named_property(env, result, "blasCore", core));
    check(env, napi_set_named_property(env, result, "threads", threads));
    return result;
  });
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor properties[] = {
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2dBackpropInput, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2dBackpropFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matmul", nullptr, Matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sum", nullptr, Sum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool", nullptr, MaxPool, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
