import * as tf from "@tensorflow/tfjs";
import type { NativeBackendCPU } from "./native-backend-cpu.ts";
import { BINARY_OPS, BROADCASTS, UNARY_OPS, type NativeKernels } from "@mammo/native-kernels";
import { cpuKernel, float32Values, type Inputs, type KernelArgs } from "./native-kernel-utils.ts";

const BINARY_KERNELS: ReadonlyArray<readonly [string, number]> = [
  [tf.Add, BINARY_OPS.add],
  [tf.Sub, BINARY_OPS.sub],
  [tf.Multiply, BINARY_OPS.mul],
  [tf.RealDiv, BINARY_OPS.div],
  [tf.Maximum, BINARY_OPS.maximum],
  [tf.Minimum, BINARY_OPS.minimum],
  [tf.SquaredDifference, BINARY_OPS.squaredDifference],
  [tf.Pow, BINARY_OPS.pow],
];

const UNARY_KERNELS: ReadonlyArray<readonly [string, number]> = [
  [tf.Relu, UNARY_OPS.relu],
  [tf.Step, UNARY_OPS.step],
  [tf.Sqrt, UNARY_OPS.sqrt],
  [tf.Square, UNARY_OPS.square],
  [tf.Neg, UNARY_OPS.neg],
  [tf.Abs, UNARY_OPS.abs],
  [tf.Exp, UNARY_OPS.exp],
  [tf.Log, UNARY_OPS.log],
  [tf.Reciprocal, UNARY_OPS.reciprocal],
  [tf.Rsqrt, UNARY_OPS.rsqrt],
  [tf.Sigmoid, UNARY_OPS.sigmoid],
  [tf.Tanh, UNARY_OPS.tanh],
  [tf.Relu6, UNARY_OPS.relu6],
];

/**
 * The element-wise and reduction kernels of a training step (bias add, ReLU and its gradient,
 * bias gradients, max pooling, optimizer updates) on the native kernels for float32. The pure-JS
 * versions take most of a VGG-16 step once convolutions are fast: their broadcasting path costs
 * an index conversion per element. Other dtypes and broadcasts go to the cpu kernels.
 */
export function nativeElementwiseKernels(native: NativeKernels): tf.KernelConfig[] {
  const configs: tf.KernelConfig[] = [];

  for (const [kernelName, op] of BINARY_KERNELS) {
    const fallback = cpuKernel(kernelName);
    const kernelFunc = (args: KernelArgs) => {
      const backend = args.backend as NativeBackendCPU;
      const { a, b } = args.inputs as Inputs<"a" | "b">;
      // float32 with float32, or with any one-value tensor.
      const isFloat = a.dtype === "float32" || b.dtype === "float32";
      const aValues = isFloat ? (float32Values(backend, a) ?? scalarAsFloat32(backend, a)) : null;
      const bValues = isFloat ? (float32Values(backend, b) ?? scalarAsFloat32(backend, b)) : null;
      const plan = aValues && bValues ? planBroadcast(a.shape, b.shape) : null;
      if (!aValues || !bValues || !plan) return fallback(args);
      const out = backend.allocFloat32(tf.util.sizeFromShape(plan.outShape));
      native.binary(op, plan.broadcast, aValues, bValues, out);
      return backend.makeTensorInfo(plan.outShape, "float32", out);
    };
    configs.push({ kernelName, backendName: "native", kernelFunc: kernelFunc as tf.KernelFunc });
  }

  for (const [kernelName, op] of UNARY_KERNELS) {
    const fallback = cpuKernel(kernelName);
    const kernelFunc = (args: KernelArgs) => {
      const backend = args.backend as NativeBackendCPU;
      const { x } = args.inputs as Inputs<"x">;
      const xValues = float32Values(backend, x);
      if (!xValues) return fallback(args);
      const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
      const out = backend.allocFloat32(xValues.length);
      native.unary(op, xValues, alpha, out);
      return backend.makeTensorInfo(x.shape.slice(), "float32", out);
    };
    configs.push({ kernelName, backendName: "native", kernelFunc: kernelFunc as tf.KernelFunc });
  }

  const sumFallback = cpuKernel(tf.Sum);
  const sum = (args: KernelArgs) => {
    const backend = args.backend as NativeBackendCPU;
    const { x } = args.inputs as Inputs<"x">;
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const xValues = float32Values(backend, x);
    const plan = xValues ? planSum(x.shape, axis, keepDims) : null;
    if (!xValues || !plan) return sumFallback(args);
    const out = backend.allocFloat32(plan.overOuter ? plan.inner : plan.outer);
    native.sum(xValues, plan.outer, plan.inner, plan.overOuter, out);
    return backend.makeTensorInfo(plan.outShape, "float32", out);
  };
  configs.push({ kernelName: tf.Sum, backendName: "native", kernelFunc: sum as tf.KernelFunc });

  const maxPoolFallback = cpuKernel(tf.MaxPool);
  const maxPool = (args: KernelArgs) => {
    const backend = args.backend as NativeBackendCPU;
    const { x } = args.inputs as Inputs<"x">;
    const xValues = float32Values(backend, x);
    const info = xValues && x.shape.length === 4 ? poolInfo(x.shape, args.attrs as unknown as tf.MaxPoolAttrs) : null;
    if (!xValues || !info) return maxPoolFallback(args);
    const y = backend.allocFloat32(tf.util.sizeFromShape(info.outShape));
    native.maxPool(xValues, poolGeometry(info), y);
    return backend.makeTensorInfo(info.outShape, "float32", y);
  };
  configs.push({ kernelName: tf.MaxPool, backendName: "native", kernelFunc: maxPool as tf.KernelFunc });

  const maxPoolGradFallback = cpuKernel(tf.MaxPoolGrad);
  const maxPoolGrad = (args: KernelArgs) => {
    const backend = args.backend as NativeBackendCPU;
    const { dy, input } = args.inputs as Inputs<"dy" | "input">;
    const xValues = float32Values(backend, input);
    const dyValues = float32Values(backend, dy);
    const info =
      xValues && dyValues && input.shape.length === 4
        ? poolInfo(input.shape, args.attrs as unknown as tf.MaxPoolGradAttrs)
        : null;
    if (!xValues || !dyValues || !info || !tf.util.arraysEqual(info.outShape, dy.shape))
      return maxPoolGradFallback(args);
    const dx = backend.allocFloat32(xValues.length);
    native.maxPoolGrad(xValues, dyValues, poolGeometry(info), dx);
    return backend.makeTensorInfo(input.shape.slice(), "float32", dx);
  };
  configs.push({ kernelName: tf.MaxPoolGrad, backendName: "native", kernelFunc: maxPoolGrad as tf.KernelFunc });

  return configs;
}

/**
 * A one-value tensor as float32: an int32 or bool operand (tf.norm's exponent 2), or a float32
 * tensor the cpu Cast left holding its int32 values (cast from int32 does not convert the data).
 */
function scalarAsFloat32(backend: NativeBackendCPU, tensor: tf.TensorInfo): Float32Array | null {
  if (tensor.dtype === "string" || tensor.dtype === "complex64" || tf.util.sizeFromShape(tensor.shape) !== 1)
    return null;
  const values = backend.data.get(tensor.dataId)?.values;
  return values instanceof Int32Array || values instanceof Uint8Array || values instanceof Float32Array
    ? Float32Array.of(values[0])
    : null;
}

type BroadcastPlan = { broadcast: number; outShape: number[] };

/** The addon's broadcast for these shapes, or null when it needs the general (cpu) path. */
export function planBroadcast(aShape: number[], bShape: number[]): BroadcastPlan | null {
  let outShape: number[];
  try {
    outShape = tf.broadcast_util.assertAndGetBroadcastShape(aShape, bShape);
  } catch {
    return null; // the cpu kernel throws the error
  }
  const outSize = tf.util.sizeFromShape(outShape);
  const aSize = tf.util.sizeFromShape(aShape);
  const bSize = tf.util.sizeFromShape(bShape);
  if (outSize === 0) return null;
  if (aSize === outSize && bSize === outSize) return { broadcast: BROADCASTS.none, outShape };
  if (bSize === 1) return { broadcast: BROADCASTS.scalarB, outShape };
  if (aSize === 1) return { broadcast: BROADCASTS.scalarA, outShape };
  if (aSize === outSize && isTrailing(bShape, outShape)) return { broadcast: BROADCASTS.repeatB, outShape };
  if (bSize === outSize && isTrailing(aShape, outShape)) return { broadcast: BROADCASTS.repeatA, outShape };
  return null;
}

/** Whether `shape` without its leading 1s equals the last dimensions of `outShape` (a bias). */
function isTrailing(shape: number[], outShape: number[]): boolean {
  const first = shape.findIndex((dim) => dim !== 1);
  const core = first < 0 ? [] : shape.slice(first);
  return core.length <= outShape.length && tf.util.arraysEqual(core, outShape.slice(outShape.length - core.length));
}

type SumPlan = { outer: number; inner: number; overOuter: boolean; outShape: number[] };

/** A sum over leading or over trailing axes, or null for other axes (cpu path). */
function planSum(shape: number[], axis: number | number[], keepDims: boolean): SumPlan | null {
  const axes = tf.util.parseAxisParam(axis, shape).sort((p, q) => p - q);
  const rank = shape.length;
  if (axes.length === 0 || tf.util.sizeFromShape(shape) === 0) return null;
  const isLeading = axes.every((value, i) => value === i);
  const isTrailingAxes = axes.every((value, i) => value === rank - axes.length + i);
  if (!isLeading && !isTrailingAxes) return null;
  // A sum over every axis is both; as rows ("trailing") it splits into long vectorised runs.
  const overOuter = !isTrailingAxes;
  const split = overOuter ? axes.length : rank - axes.length;
  const outer = tf.util.sizeFromShape(shape.slice(0, split));
  const inner = tf.util.sizeFromShape(shape.slice(split));
  const outShape = keepDims
    ? shape.map((dim, i) => (axes.includes(i) ? 1 : dim))
    : shape.filter((_, i) => !axes.includes(i));
  return { outer, inner, overOuter, outShape };
}

type PoolAttrs = Pick<tf.MaxPoolAttrs, "filterSize" | "strides" | "pad" | "dimRoundingMode">;

function poolInfo(shape: number[], attrs: PoolAttrs): tf.backend_util.Conv2DInfo | null {
  const info = tf.backend_util.computePool2DInfo(
    shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (tf.util.sizeFromShape(info.outShape) === 0 || tf.util.sizeFromShape(info.inShape) === 0) return null;
  return info;
}

function poolGeometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.of(
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  );
}
