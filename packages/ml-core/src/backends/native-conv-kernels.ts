import * as tf from "@tensorflow/tfjs";
import type { NativeBackendCPU } from "./native-backend-cpu.ts";
import { ACTIVATION_CODES, type NativeKernels } from "@mammo/native-kernels";
import { cpuKernel, float32Values, type Inputs, type KernelArgs } from "./native-kernel-utils.ts";

type Shape4 = [number, number, number, number];

/**
 * Conv2D, FusedConv2D and their gradients (Conv2DBackpropInput, Conv2DBackpropFilter) on the
 * native kernels, for float32 NHWC tensors. Anything else (NCHW, other dtypes, PReLU, a bias
 * that is not per channel) goes to the pure-JS cpu kernel, which gives the same results slowly.
 */
export function nativeConvKernels(native: NativeKernels): tf.KernelConfig[] {
  const fallback = {
    conv2d: cpuKernel(tf.Conv2D),
    fused: cpuKernel(tf.FusedConv2D),
    input: cpuKernel(tf.Conv2DBackpropInput),
    filter: cpuKernel(tf.Conv2DBackpropFilter),
  };

  const conv2d = (args: KernelArgs) => {
    const backend = args.backend as NativeBackendCPU;
    const { x, filter } = args.inputs as Inputs<"x" | "filter">;
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as tf.Conv2DAttrs;
    const xValues = float32Values(backend, x);
    const filterValues = float32Values(backend, filter);
    if (!xValues || !filterValues || dataFormat === "NCHW") return fallback.conv2d(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      filter.shape as Shape4,
      strides,
      dilations,
      pad,
      dimRoundingMode,
    );
    if (isEmpty(info)) return fallback.conv2d(args);
    const y = backend.allocFloat32(tf.util.sizeFromShape(info.outShape));
    native.conv2d(xValues, filterValues, null, geometry(info), ACTIVATION_CODES.linear, 0, y);
    return backend.makeTensorInfo(info.outShape, "float32", y);
  };

  const fusedConv2d = (args: KernelArgs) => {
    const backend = args.backend as NativeBackendCPU;
    const { x, filter, bias } = args.inputs as Inputs<"x" | "filter"> & { bias?: tf.TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } =
      args.attrs as unknown as tf.FusedConv2DAttrs;
    const xValues = float32Values(backend, x);
    const filterValues = float32Values(backend, filter);
    const code = activationCode(activation);
    if (!xValues || !filterValues || dataFormat === "NCHW" || code === undefined) return fallback.fused(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      filter.shape as Shape4,
      strides,
      dilations,
      pad,
      dimRoundingMode,
    );
    if (isEmpty(info)) return fallback.fused(args);
    let biasValues: Float32Array | null = null;
    if (bias) {
      biasValues = float32Values(backend, bias);
      if (!biasValues || !isPerChannel(bias.shape, info.outChannels)) return fallback.fused(args);
    }
    const y = backend.allocFloat32(tf.util.sizeFromShape(info.outShape));
    native.conv2d(xValues, filterValues, biasValues, geometry(info), code, leakyreluAlpha ?? 0.2, y);
    return backend.makeTensorInfo(info.outShape, "float32", y);
  };

  const backpropInput = (args: KernelArgs) => {
    const backend = args.backend as NativeBackendCPU;
    const { dy, filter } = args.inputs as Inputs<"dy" | "filter">;
    const { inputShape, strides, pad, dataFormat, dimRoundingMode } =
      args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const dyValues = float32Values(backend, dy);
    const filterValues = float32Values(backend, filter);
    if (!dyValues || !filterValues || dataFormat === "NCHW") return fallback.input(args);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape as Shape4,
      filter.shape as Shape4,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    if (isEmpty(info) || !tf.util.arraysEqual(info.outShape, dy.shape)) return fallback.input(args);
    const dx = backend.allocFloat32(tf.util.sizeFromShape(inputShape));
    native.conv2dBackpropInput(dyValues, filterValues, geometry(info), dx);
    return backend.makeTensorInfo(inputShape.slice(), "float32", dx);
  };

  const backpropFilter = (args: KernelArgs) => {
    const backend = args.backend as NativeBackendCPU;
    const { x, dy } = args.inputs as Inputs<"x" | "dy">;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const xValues = float32Values(backend, x);
    const dyValues = float32Values(backend, dy);
    if (!xValues || !dyValues || dataFormat === "NCHW") return fallback.filter(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      filterShape as Shape4,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    if (isEmpty(info) || !tf.util.arraysEqual(info.outShape, dy.shape)) return fallback.filter(args);
    const dFilter = backend.allocFloat32(tf.util.sizeFromShape(filterShape));
    native.conv2dBackpropFilter(xValues, dyValues, geometry(info), dFilter);
    return backend.makeTensorInfo(filterShape.slice(), "float32", dFilter);
  };

  return [
    { kernelName: tf.Conv2D, backendName: "native", kernelFunc: conv2d as tf.KernelFunc },
    { kernelName: tf.FusedConv2D, backendName: "native", kernelFunc: fusedConv2d as tf.KernelFunc },
    { kernelName: tf.Conv2DBackpropInput, backendName: "native", kernelFunc: backpropInput as tf.KernelFunc },
    { kernelName: tf.Conv2DBackpropFilter, backendName: "native", kernelFunc: backpropFilter as tf.KernelFunc },
  ];
}

/** The addon's geometry vector (see NativeKernels). */
function geometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.of(
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  );
}

function isEmpty(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    tf.util.sizeFromShape(info.inShape) === 0 ||
    tf.util.sizeFromShape(info.outShape) === 0 ||
    info.filterHeight * info.filterWidth === 0
  );
}

/** A bias of one value per output channel: shape [c], [1, c], [1, 1, 1, c]... */
export function isPerChannel(shape: number[], channels: number): boolean {
  return shape.length > 0 && shape[shape.length - 1] === channels && tf.util.sizeFromShape(shape) === channels;
}

export function activationCode(activation: string | undefined): number | undefined {
  return (ACTIVATION_CODES as Record<string, number>)[activation ?? "linear"];
}
