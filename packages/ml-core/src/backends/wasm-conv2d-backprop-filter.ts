import * as tf from "@tensorflow/tfjs";

import { withWasmKernels, type RunKernel } from "./wasm-kernel-runner.ts";

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Shape4 = [number, number, number, number];

/** From this many input channels on, per-tap matrix products beat the transposed convolution (measured on VGG-16 layers). */
const TAPS_MIN_CHANNELS = 256;

/**
 * Conv2DBackpropFilter for the wasm backend, which lacks it (so convolutions cannot train there):
 * dFilter[kh, kw, ci, co] = sum over n, oh, ow of xPadded[n, kh + oh * strideH, kw + ow * strideW, ci] * dy[n, oh, ow, co].
 * Built from XNNPACK kernels in one of two ways, whichever is faster for the layer:
 * - few channels: one forward convolution of x^T [ci, h, w, n] with dy^T [oh, ow, n, co] as the
 *   filter, dilated by the stride;
 * - many channels: per filter tap, a strided slice of the channels-first input [ci, pixels] times
 *   dy [pixels, co] (small products, no transposed operands, which XNNPACK needs to be fast).
 * NHWC, float32, any strides and padding.
 */
export const wasmConv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter as tf.KernelFunc,
};

function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as Record<"x" | "dy", tf.TensorInfo>;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  tf.util.assert(dataFormat !== "NCHW", () => "Conv2DBackpropFilter on wasm supports NHWC only");
  tf.util.assert(
    x.dtype === "float32" && dy.dtype === "float32",
    () => "Conv2DBackpropFilter on wasm supports float32 only",
  );
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape as Shape4,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  return withWasmKernels(args.backend, (run) => {
    if (tf.util.sizeFromShape(x.shape) === 0 || tf.util.sizeFromShape(info.outShape) === 0)
      return run(tf.Fill, {}, { shape: filterShape, value: 0, dtype: "float32" });
    const padded = paddedInput(run, x, info);
    return info.inChannels >= TAPS_MIN_CHANNELS
      ? byTaps(run, info, padded, dy)
      : byTransposedConv(run, info, padded, dy);
  });
}

/** x zero-padded (or cropped) to exactly the rows and columns the filter taps read: [n, neededH, neededW, ci]. */
function paddedInput(run: RunKernel, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const neededHeight = info.filterHeight - 1 + (info.outHeight - 1) * info.strideHeight + 1;
  const neededWidth = info.filterWidth - 1 + (info.outWidth - 1) * info.strideWidth + 1;
  const { top, left } = info.padInfo;
  const bottom = Math.max(0, neededHeight - top - info.inHeight);
  const right = Math.max(0, neededWidth - left - info.inWidth);
  let padded =
    top || bottom || left || right
      ? run(
          tf.PadV2,
          { x },
          {
            paddings: [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ],
            constantValue: 0,
          },
        )
      : x;
  if (padded.shape[1] !== neededHeight || padded.shape[2] !== neededWidth)
    padded = run(
      tf.Slice,
      { x: padded },
      { begin: [0, 0, 0, 0], size: [info.batchSize, neededHeight, neededWidth, info.inChannels] },
    );
  return padded;
}

function byTransposedConv(
  run: RunKernel,
  info: tf.backend_util.Conv2DInfo,
  padded: tf.TensorInfo,
  dy: tf.TensorInfo,
): tf.TensorInfo {
  const input = run(tf.Transpose, { x: padded }, { perm: [3, 1, 2, 0] }); // [ci, h, w, n]
  const filter = run(tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, n, co]
  const product = run(
    tf.Conv2D,
    { x: input, filter },
    {
      strides: [1, 1],
      pad: "valid",
      dataFormat: "NHWC",
      dilations: [info.strideHeight, info.strideWidth],
      dimRoundingMode: undefined,
    },
  ); // [ci, kh, kw, co]
  return run(tf.Transpose, { x: product }, { perm: [1, 2, 0, 3] });
}

function byTaps(
  run: RunKernel,
  info: tf.backend_util.Conv2DInfo,
  padded: tf.TensorInfo,
  dy: tf.TensorInfo,
): tf.TensorInfo {
  const {
    batchSize,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
  } = info;
  const pixels = batchSize * outHeight * outWidth;
  const channelsFirst = run(tf.Transpose, { x: padded }, { perm: [3, 0, 1, 2] }); // [ci, n, h, w]
  const dy2d = run(tf.Reshape, { x: dy }, { shape: [1, pixels, outChannels] });
  const taps: tf.TensorInfo[] = [];
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const slice = run(
        tf.StridedSlice,
        { x: channelsFirst },
        {
          begin: [0, 0, kh, kw],
          end: [inChannels, batchSize, kh + (outHeight - 1) * strideHeight + 1, kw + (outWidth - 1) * strideWidth + 1],
          strides: [1, 1, strideHeight, strideWidth],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        },
      );
      const columns = run(tf.Reshape, { x: slice }, { shape: [1, inChannels, pixels] });
      taps.push(run(tf.BatchMatMul, { a: columns, b: dy2d }, { transposeA: false, transposeB: false })); // [1, ci, co]
    }
  }
  const stacked = taps.length === 1 ? taps[0] : run(tf.Concat, taps, { axis: 0 }); // Concat takes an array
  return run(tf.Reshape, { x: stacked }, { shape: [filterHeight, filterWidth, inChannels, outChannels] });
}
