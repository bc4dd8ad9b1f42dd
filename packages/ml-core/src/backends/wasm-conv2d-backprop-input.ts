import * as tf from "@tensorflow/tfjs";
import { withWasmKernels } from "./wasm-kernel-runner.ts";

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Shape4 = [number, number, number, number];

/**
 * Conv2DBackpropInput for wasm, replacing the backend's own, a plain loop about ten times slower
 * than its XNNPACK forward convolution (it took 70% of a VGG-16 training step). For stride 1,
 * dx is the forward convolution of dy, zero-padded by (kernel - 1 - pad), with the filter turned
 * by 180 degrees and its channels swapped: one XNNPACK convolution. Other cases go to `original`.
 */
export function wasmConv2DBackpropInputConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { dy, filter } = args.inputs as Record<"dy" | "filter", tf.TensorInfo>;
    const { inputShape, strides, pad, dataFormat, dimRoundingMode } =
      args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape as Shape4,
      filter.shape as Shape4,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { filterHeight, filterWidth, padInfo } = info;
    const padBottom = filterHeight - 1 - padInfo.bottom;
    const padRight = filterWidth - 1 - padInfo.right;
    const isFlippedConv =
      dataFormat !== "NCHW" &&
      dy.dtype === "float32" &&
      filter.dtype === "float32" &&
      info.strideHeight === 1 &&
      info.strideWidth === 1 &&
      padBottom >= 0 &&
      padRight >= 0 &&
      padInfo.top <= filterHeight - 1 &&
      padInfo.left <= filterWidth - 1 &&
      tf.util.arraysEqual(info.outShape, dy.shape) &&
      tf.util.sizeFromShape(dy.shape) > 0;
    if (!isFlippedConv) return original.kernelFunc(args) as tf.TensorInfo;
    return withWasmKernels(args.backend, (run) => {
      const turned = run(tf.Reverse, { x: filter }, { dims: [0, 1] });
      const swapped = run(tf.Transpose, { x: turned }, { perm: [0, 1, 3, 2] }); // [kh, kw, outC, inC]
      const padding = [
        [0, 0],
        [filterHeight - 1 - padInfo.top, padBottom],
        [filterWidth - 1 - padInfo.left, padRight],
        [0, 0],
      ];
      return run(
        tf.Conv2D,
        { x: dy, filter: swapped },
        { strides: [1, 1], pad: padding, dataFormat: "NHWC", dilations: [1, 1], dimRoundingMode: undefined },
      );
    });
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}
