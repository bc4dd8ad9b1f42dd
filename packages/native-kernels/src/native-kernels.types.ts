/** Activations the native kernels apply after bias (codes shared with the C++ side). */
export const ACTIVATION_CODES = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3, sigmoid: 4, elu: 5 } as const;
export type NativeActivation = keyof typeof ACTIVATION_CODES;

/** Element-wise binary ops (codes shared with the C++ side). */
export const BINARY_OPS = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  squaredDifference: 6,
  pow: 7,
} as const;
export type NativeBinaryOp = keyof typeof BINARY_OPS;

/** How the two sides of a binary op line up: same length, one a scalar, or one repeating along leading axes. */
export const BROADCASTS = { none: 0, scalarA: 1, scalarB: 2, repeatB: 3, repeatA: 4 } as const;
export type NativeBroadcast = keyof typeof BROADCASTS;

/** Element-wise unary ops (codes shared with the C++ side). */
export const UNARY_OPS = {
  relu: 0,
  step: 1,
  sqrt: 2,
  square: 3,
  neg: 4,
  abs: 5,
  exp: 6,
  log: 7,
  reciprocal: 8,
  rsqrt: 9,
  sigmoid: 10,
  tanh: 11,
  relu6: 12,
} as const;
export type NativeUnaryOp = keyof typeof UNARY_OPS;

export type NativeKernelsInfo = {
  /** The OpenBLAS file that was loaded, e.g. "libopenblas.so.0". */
  blasLibrary: string;
  /** OpenBLAS' kernel family, e.g. "SkylakeX" (AVX-512) or "Haswell" (AVX2). */
  blasCore: string;
  threads: number;
};

/**
 * The addon's functions. Tensors are flat row-major Float32Arrays; every size is checked against
 * the shapes and a mismatch throws. Convolutions are NHWC with filters [kh, kw, ci, co];
 * `geometry` is Int32Array [n, h, w, ci, oh, ow, co, kh, kw, strideH, strideW, dilationH,
 * dilationW, padTop, padLeft]. Outputs are written into the last argument.
 */
export type NativeKernels = {
  info(): NativeKernelsInfo;
  /** y [n, oh, ow, co] = act(conv(x [n, h, w, ci], filter [kh, kw, ci, co]) + bias [co]). */
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    geometry: Int32Array,
    activation: number,
    alpha: number,
    y: Float32Array,
  ): void;
  /** dx [n, h, w, ci] from dy [n, oh, ow, co] and filter [kh, kw, ci, co]. */
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, geometry: Int32Array, dx: Float32Array): void;
  /** dFilter [kh, kw, ci, co] from x [n, h, w, ci] and dy [n, oh, ow, co]. */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, geometry: Int32Array, dFilter: Float32Array): void;
  /**
   * out [batch, m, n] = act(op(a) op(b) + bias [n]); `shape` is Int32Array [batch, batchA, batchB,
   * m, n, k] where batchA and batchB are 1 (broadcast) or batch; a is [batchA, m, k] ([batchA, k, m]
   * when transposeA), b is [batchB, k, n] ([batchB, n, k] when transposeB).
   */
  matmul(
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array | null,
    shape: Int32Array,
    transposeA: boolean,
    transposeB: boolean,
    activation: number,
    alpha: number,
    out: Float32Array,
  ): void;
  /** out = a op b, out's length; the broadcast says how a and b line up with it (BROADCASTS). */
  binary(op: number, broadcast: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out = op(x), same length; alpha is Step's value for x <= 0 (UNARY_OPS). */
  unary(op: number, x: Float32Array, alpha: number, out: Float32Array): void;
  /** x viewed as [outer, inner], summed over outer (out [inner]) or over inner (out [outer]). */
  sum(x: Float32Array, outer: number, inner: number, overOuter: boolean, out: Float32Array): void;
  /** y [n, oh, ow, c] = window maxima of x [n, h, w, c]; `geometry` is Int32Array [n, h, w, c, oh, ow, filterH, filterW, strideH, strideW, padTop, padLeft]. */
  maxPool(x: Float32Array, geometry: Int32Array, y: Float32Array): void;
  /** dx [n, h, w, c]: each window's dy goes to the first maximum of x in that window. */
  maxPoolGrad(x: Float32Array, dy: Float32Array, geometry: Int32Array, dx: Float32Array): void;
};
