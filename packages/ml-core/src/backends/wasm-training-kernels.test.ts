import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildVgg16 } from "../model/vgg16.ts";
import { setupBackend } from "./setup-backend.ts";
import { randomValues, relativeError, valuesOn } from "./testing/compare-backends.ts";

beforeAll(async () => {
  await setupBackend("wasm", () => {}); // registers the kernels
});

type ConvCase = {
  batch: number;
  height: number;
  width: number;
  inC: number;
  outC: number;
  kernel: number;
  stride: number;
  pad: "same" | "valid";
};

// The filter gradient's two strategies (transposed convolution below 256 input channels, per-tap
// products from 256); the input gradient as a flipped convolution (stride 1) or the backend's own.
const CASES: ConvCase[] = [
  { batch: 2, height: 9, width: 11, inC: 3, outC: 5, kernel: 3, stride: 1, pad: "same" },
  { batch: 2, height: 10, width: 7, inC: 4, outC: 6, kernel: 3, stride: 2, pad: "same" },
  { batch: 1, height: 9, width: 9, inC: 8, outC: 2, kernel: 3, stride: 2, pad: "valid" },
  { batch: 3, height: 8, width: 8, inC: 5, outC: 3, kernel: 1, stride: 1, pad: "valid" },
  { batch: 2, height: 12, width: 12, inC: 6, outC: 4, kernel: 5, stride: 1, pad: "valid" },
  { batch: 2, height: 6, width: 5, inC: 256, outC: 16, kernel: 3, stride: 1, pad: "same" },
  { batch: 1, height: 7, width: 7, inC: 260, outC: 8, kernel: 3, stride: 2, pad: "valid" },
];

const label = (c: ConvCase) =>
  `${c.batch}x${c.height}x${c.width}x${c.inC} -> ${c.outC}, ${c.kernel}x${c.kernel} stride ${c.stride} ${c.pad}`;

describe("wasm convolution gradients (Conv2DBackpropFilter added, Conv2DBackpropInput replaced)", () => {
  it.each(CASES)(
    "match the cpu backend: $batch x $height x $width x $inC -> $outC, kernel $kernel, stride $stride, $pad",
    async (c) => {
      const xShape: [number, number, number, number] = [c.batch, c.height, c.width, c.inC];
      const filterShape: [number, number, number, number] = [c.kernel, c.kernel, c.inC, c.outC];
      const x = randomValues(tf.util.sizeFromShape(xShape), 1);
      const filter = randomValues(tf.util.sizeFromShape(filterShape), 2);
      const outShape = tf.backend_util.computeConv2DInfo(xShape, filterShape, c.stride, 1, c.pad).outShape;
      const weights = randomValues(tf.util.sizeFromShape(outShape), 3);
      // Gradients of sum(conv(x, filter) * weights): Conv2DBackpropInput and Conv2DBackpropFilter.
      const compute = () => {
        const loss = (xs: tf.Tensor, fs: tf.Tensor) =>
          tf
            .conv2d(xs as tf.Tensor4D, fs as tf.Tensor4D, c.stride, c.pad)
            .mul(tf.tensor(weights, outShape))
            .sum();
        return tf.grads(loss)([tf.tensor(x, xShape), tf.tensor(filter, filterShape)]);
      };
      const [cpuDx, cpuDw] = await valuesOn("cpu", compute);
      const [wasmDx, wasmDw] = await valuesOn("wasm", compute);
      expect(relativeError(wasmDw, cpuDw), label(c)).toBeLessThan(1e-4);
      expect(relativeError(wasmDx, cpuDx), label(c)).toBeLessThan(1e-4);
    },
  );

  it("lets a VGG-16 compute every weight gradient, equal to the cpu backend's", async () => {
    await tf.setBackend("cpu");
    const reference = buildVgg16({ inputSize: 32, numClasses: 3, head: "gap", seed: 7, widthScale: 0.0625 });
    const weights = reference.getWeights().map((w) => ({ shape: w.shape, values: Float32Array.from(w.dataSync()) }));
    reference.dispose();
    const images = randomValues(2 * 32 * 32 * 3, 4);
    const gradientsOn = (backend: string) =>
      valuesOn(backend, () => {
        const model = buildVgg16({ inputSize: 32, numClasses: 3, head: "gap", seed: 7, widthScale: 0.0625 });
        model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
        const labels = tf.oneHot([0, 2], 3);
        const { grads } = tf.variableGrads(
          () =>
            tf.losses.softmaxCrossEntropy(
              labels,
              model.apply(tf.tensor4d(images, [2, 32, 32, 3])) as tf.Tensor,
            ) as tf.Scalar,
        );
        const ordered = model.trainableWeights.map((w) => grads[w.originalName] ?? grads[w.name]);
        const copies = ordered.map((g) => g.clone());
        tf.dispose(Object.values(grads));
        model.dispose();
        return copies;
      });
    const cpu = await gradientsOn("cpu");
    const wasm = await gradientsOn("wasm");
    expect(wasm).toHaveLength(28); // 13 convolutions and the classifier, kernel and bias each
    wasm.forEach((gradient, i) => expect(relativeError(gradient, cpu[i]), `weight ${i}`).toBeLessThan(1e-4));
  });
});
