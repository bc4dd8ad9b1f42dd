import * as tf from "@tensorflow/tfjs";
import { loadNativeKernels } from "@mammo/native-kernels";
import { beforeAll, describe, expect, it } from "vitest";
import { buildVgg16 } from "../model/vgg16.ts";
import { NATIVE_BACKEND, registerNativeBackend } from "./native-backend.ts";
import type { NativeBackendCPU } from "./native-backend-cpu.ts";
import { randomValues, relativeError, valuesOn } from "./testing/compare-backends.ts";

// The native kernels are built at install time (g++ and OpenBLAS; .ci/run installs both). Where
// they cannot be, set MAMMO_NATIVE_KERNELS=off: then setup-backend.test.ts checks the fallback.
const isDisabled = process.env.MAMMO_NATIVE_KERNELS === "off";

beforeAll(() => {
  if (isDisabled) return;
  const load = registerNativeBackend();
  if (!load.isLoaded)
    throw new Error(
      `native kernels unavailable: ${load.reason}. Install g++ and libopenblas-dev (see .ci/run) or set MAMMO_NATIVE_KERNELS=off.`,
    );
});

const seeded = (shape: number[], seed: number) => tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape);

/** Runs `compute` on cpu and on native and expects every output within 1e-4 relative error. */
async function expectSameAsCpu(compute: () => tf.Tensor[], what: string): Promise<void> {
  const cpu = await valuesOn("cpu", compute);
  const native = await valuesOn(NATIVE_BACKEND, compute);
  expect(native.length, what).toBe(cpu.length);
  native.forEach((values, i) => expect(relativeError(values, cpu[i]), `${what}, output ${i}`).toBeLessThan(1e-4));
}

type ConvCase = {
  x: [number, number, number, number];
  kernel: [number, number];
  outC: number;
  stride: number | [number, number];
  pad: "same" | "valid" | number;
  dilation?: number;
};

const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 11, 3], kernel: [3, 3], outC: 5, stride: 1, pad: "same" },
  { x: [2, 10, 7, 4], kernel: [3, 3], outC: 6, stride: 2, pad: "same" },
  { x: [1, 9, 9, 8], kernel: [3, 3], outC: 2, stride: 2, pad: "valid" },
  { x: [3, 8, 8, 5], kernel: [1, 1], outC: 7, stride: 1, pad: "valid" }, // pointwise: no im2col
  { x: [2, 8, 8, 5], kernel: [1, 1], outC: 3, stride: 2, pad: "valid" },
  { x: [2, 12, 13, 6], kernel: [5, 3], outC: 4, stride: [1, 2], pad: 1 },
  { x: [1, 40, 40, 4], kernel: [3, 3], outC: 8, stride: 1, pad: "same" }, // several row tiles per image
  { x: [5, 13, 15, 12], kernel: [3, 3], outC: 10, stride: 1, pad: "same" },
  { x: [1, 33, 30, 8], kernel: [3, 3], outC: 6, stride: 2, pad: "same" },
];
const DILATED_CASES: ConvCase[] = [{ x: [2, 15, 14, 3], kernel: [3, 3], outC: 4, stride: 1, pad: "same", dilation: 2 }];

const convLabel = (c: ConvCase) =>
  `x ${c.x.join("x")}, kernel ${c.kernel.join("x")}, ${c.outC} filters, stride ${c.stride}, pad ${c.pad}${c.dilation ? `, dilation ${c.dilation}` : ""}`;

describe.runIf(!isDisabled)("native backend kernels against the pure-JS cpu backend", () => {
  it.each([...CONV_CASES, ...DILATED_CASES].map((c) => [convLabel(c), c] as const))(
    "Conv2D forward: %s",
    async (what, c) => {
      await expectSameAsCpu(() => {
        const filter = seeded([...c.kernel, c.x[3], c.outC], 2);
        return [
          tf.conv2d(seeded(c.x, 1) as tf.Tensor4D, filter as tf.Tensor4D, c.stride, c.pad, "NHWC", c.dilation ?? 1),
        ];
      }, what);
    },
  );

  it.each(CONV_CASES.map((c) => [convLabel(c), c] as const))(
    "Conv2D input and filter gradients: %s",
    async (what, c) => {
      await expectSameAsCpu(() => {
        const x = seeded(c.x, 1);
        const filter = seeded([...c.kernel, c.x[3], c.outC], 2);
        const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.stride, c.pad);
        const weights = seeded(y.shape, 3);
        return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf
            .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad)
            .mul(weights)
            .sum(),
        )([x, filter]);
      }, what);
    },
  );

  it.each(["linear", "relu", "relu6", "elu", "leakyrelu", "sigmoid", "prelu"] as const)(
    "FusedConv2D with bias and %s, and its gradients",
    async (activation) => {
      await expectSameAsCpu(() => {
        const x = seeded([2, 9, 8, 6], 1);
        const filter = seeded([3, 3, 6, 5], 2);
        const bias = seeded([5], 3);
        const alpha = activation === "prelu" ? seeded([5], 4) : undefined;
        const run = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
          tf.fused.conv2d({
            x: a as tf.Tensor4D,
            filter: b as tf.Tensor4D,
            bias: c,
            strides: 1,
            pad: "same",
            activation,
            preluActivationWeights: alpha,
            leakyreluAlpha: 0.3,
          });
        const y = run(x, filter, bias);
        const weights = seeded(y.shape, 5);
        return [
          y,
          ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => run(a, b, c).mul(weights).sum())([x, filter, bias]),
        ];
      }, activation);
    },
  );

  it.each([
    ["[3, 5] x [5, 4]", [3, 5], [5, 4], false, false],
    ["[5, 3]^T x [5, 4]", [5, 3], [5, 4], true, false],
    ["[3, 5] x [4, 5]^T", [3, 5], [4, 5], false, true],
    ["[2, 3, 5] x [2, 5, 4] (batched)", [2, 3, 5], [2, 5, 4], false, false],
    ["[4, 600] x [600, 300] (split over threads)", [4, 600], [600, 300], false, false],
    ["[300, 600] x [600, 4] (split by rows)", [300, 600], [600, 4], false, false],
  ] as const)("MatMul %s and its gradients", async (what, aShape, bShape, transposeA, transposeB) => {
    await expectSameAsCpu(() => {
      const a = seeded([...aShape], 1);
      const b = seeded([...bShape], 2);
      const y = tf.matMul(a, b, transposeA, transposeB);
      const weights = seeded(y.shape, 3);
      return [
        y,
        ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, transposeA, transposeB).mul(weights).sum())([a, b]),
      ];
    }, what);
  });

  // tfjs has no gradient for broadcast batches on any backend: forward only.
  it.each([
    ["[3, 5] x [2, 5, 4] (a broadcast)", [3, 5], [2, 5, 4]],
    ["[2, 1, 3, 5] x [1, 2, 5, 4] (general broadcast, cpu path)", [2, 1, 3, 5], [1, 2, 5, 4]],
  ] as const)("MatMul %s", async (what, aShape, bShape) => {
    await expectSameAsCpu(() => [tf.matMul(seeded([...aShape], 1), seeded([...bShape], 2))], what);
  });

  it("fused MatMul with bias and relu (a Dense layer)", async () => {
    await expectSameAsCpu(() => {
      const a = seeded([6, 20], 1);
      const b = seeded([20, 7], 2);
      const bias = seeded([7], 3);
      const run = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) =>
        tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, bias: r, activation: "relu" });
      return [
        run(a, b, bias),
        ...tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => run(p, q, r).square().sum())([a, b, bias]),
      ];
    }, "dense");
  });

  const binaryOps = [
    ["add", tf.add],
    ["sub", tf.sub],
    ["mul", tf.mul],
    ["div", tf.div],
    ["maximum", tf.maximum],
    ["minimum", tf.minimum],
    ["squaredDifference", tf.squaredDifference],
    ["pow", (a: tf.Tensor, b: tf.Tensor) => tf.pow(a.abs(), b)],
  ] as const;
  const broadcasts = [
    ["same shape", [4, 5, 6], [4, 5, 6]],
    ["scalar right", [4, 5, 6], []],
    ["scalar left", [], [4, 5, 6]],
    ["bias right", [4, 5, 6], [6]],
    ["bias left", [1, 5, 6], [3, 5, 6]],
    ["row and column (cpu path)", [4, 1], [1, 6]],
  ] as const;
  it.each(
    binaryOps.flatMap(([name, op]) =>
      broadcasts.map(([how, aShape, bShape]) => [`${name}, ${how}`, op, aShape, bShape] as const),
    ),
  )("%s", async (what, op, aShape, bShape) => {
    await expectSameAsCpu(() => [op(seeded([...aShape], 1), seeded([...bShape], 2).add(2))], what);
  });

  it("pow and mul take a one-value int32 tensor as float32 (tf.norm's exponent)", async () => {
    await expectSameAsCpu(
      () => [
        tf.pow(seeded([40, 30], 1), tf.scalar(2, "int32")),
        tf.mul(tf.scalar(3, "int32"), seeded([40, 30], 2)),
        tf.norm(seeded([3, 50, 20], 3)),
      ],
      "int32 scalar",
    );
  });

  it("binary ops on int32 go to the cpu kernels and keep their dtype", async () => {
    await tf.setBackend(NATIVE_BACKEND);
    const sum = tf.add(tf.tensor([1, 2, 3], [3], "int32"), tf.tensor([10, 20, 30], [3], "int32"));
    expect(sum.dtype).toBe("int32");
    expect(Array.from(sum.dataSync())).toEqual([11, 22, 33]);
    sum.dispose();
  });

  const unaryOps: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
    ["relu", (x) => tf.relu(x)],
    ["step", (x) => tf.step(x, 0.25)],
    ["sqrt", (x) => tf.sqrt(x.abs())],
    ["square", (x) => tf.square(x)],
    ["neg", (x) => tf.neg(x)],
    ["abs", (x) => tf.abs(x)],
    ["exp", (x) => tf.exp(x)],
    ["log", (x) => tf.log(x.abs())],
    ["reciprocal", (x) => tf.reciprocal(x)],
    ["rsqrt", (x) => tf.rsqrt(x.abs())],
    ["sigmoid", (x) => tf.sigmoid(x)],
    ["tanh", (x) => tf.tanh(x)],
    ["relu6", (x) => tf.relu6(x.mul(8))],
  ];
  it.each(unaryOps)("%s", async (what, op) => {
    await expectSameAsCpu(() => [op(seeded([3, 70, 50], 1))], what);
  });

  it("relu, step, maximum and minimum keep NaN as JavaScript does", async () => {
    await expectSameAsCpu(() => {
      const x = tf.tensor([NaN, -1, 0, 2]);
      return [tf.relu(x), tf.step(x), tf.maximum(x, 1), tf.minimum(x, 1)].map((t) =>
        tf.where(tf.isNaN(t), tf.fill(t.shape, -99), t),
      );
    }, "NaN");
  });

  it.each([
    ["leading axes (a bias gradient)", [4, 6, 5, 7], [0, 1, 2], false],
    ["trailing axes", [4, 6, 5, 7], [2, 3], false],
    ["all axes", [4, 6, 5, 7], [0, 1, 2, 3], false],
    ["leading axes, keepDims", [4, 6, 5, 7], [0, 1], true],
    ["wide rows", [3, 70_000], [0], false],
    ["a long vector (split across threads)", [300_000], [0], false],
    ["two long rows", [2, 200_000], [1], false],
    ["a middle axis (cpu path)", [4, 6, 5], [1], false],
  ] as const)("Sum over %s", async (what, shape, axes, keepDims) => {
    await expectSameAsCpu(() => [tf.sum(seeded([...shape], 1), [...axes], keepDims)], what);
  });

  it.each([
    ["2x2 stride 2 (VGG)", [2, 8, 10, 6], 2, 2, "valid"],
    ["3x3 stride 2 same, overlapping windows", [2, 9, 7, 5], 3, 2, "same"],
    ["3x3 stride 1 same", [1, 6, 6, 40], 3, 1, "same"],
  ] as const)("MaxPool %s and its gradient", async (what, shape, size, stride, pad) => {
    await expectSameAsCpu(() => {
      const x = seeded([...shape], 1);
      const y = tf.maxPool(x as tf.Tensor4D, size, stride, pad);
      const weights = seeded(y.shape, 2);
      return [
        y,
        tf.grad((a: tf.Tensor) =>
          tf
            .maxPool(a as tf.Tensor4D, size, stride, pad)
            .mul(weights)
            .sum(),
        )(x),
      ];
    }, what);
  });

  it("MaxPool gives a tied window's gradient to its first maximum, as cpu does", async () => {
    await expectSameAsCpu(
      () => [tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, "valid").sum())(tf.ones([1, 4, 4, 3]))],
      "ties",
    );
  });

  // The global-average-pooling head: the study head's BatchNormalization makes fc1's bias gradient
  // zero up to round-off, which Adam then normalises into backend-dependent noise.
  it("VGG-16 training steps (Adam) update every weight as the cpu backend does", async () => {
    const images = randomValues(2 * 32 * 32 * 3, 4);
    const step = () => {
      const model = buildVgg16({ inputSize: 32, numClasses: 3, head: "gap", seed: 11, widthScale: 0.0625 });
      const optimizer = tf.train.adam(1e-3);
      const labels = tf.oneHot([0, 2], 3);
      for (let i = 0; i < 2; i++)
        optimizer.minimize(
          () =>
            tf.losses.softmaxCrossEntropy(
              labels,
              model.apply(tf.tensor4d(images, [2, 32, 32, 3]), { training: true }) as tf.Tensor,
            ) as tf.Scalar,
        );
      const weights = model.getWeights().map((w) => w.clone());
      optimizer.dispose();
      model.dispose();
      return weights;
    };
    await expectSameAsCpu(step, "VGG-16 weights after two Adam steps");
  });
});

describe.runIf(!isDisabled)("native backend determinism", () => {
  it("gives bit-identical weights when the same training steps run twice", async () => {
    const images = randomValues(4 * 32 * 32 * 3, 5);
    const train = () => {
      const model = buildVgg16({ inputSize: 32, numClasses: 2, head: "gap", seed: 4, widthScale: 0.125 });
      const optimizer = tf.train.adam(1e-3);
      const labels = tf.oneHot([0, 1, 1, 0], 2);
      for (let i = 0; i < 2; i++)
        optimizer.minimize(
          () =>
            tf.losses.softmaxCrossEntropy(
              labels,
              model.apply(tf.tensor4d(images, [4, 32, 32, 3]), { training: true }) as tf.Tensor,
            ) as tf.Scalar,
        );
      const weights = model.getWeights().map((w) => w.clone());
      optimizer.dispose();
      model.dispose();
      return weights;
    };
    const first = await valuesOn(NATIVE_BACKEND, train);
    const second = await valuesOn(NATIVE_BACKEND, train);
    first.forEach((values, i) =>
      expect(Buffer.from(second[i].buffer).equals(Buffer.from(values.buffer)), `weight ${i}`).toBe(true),
    );
  });
});

describe.runIf(!isDisabled)("native backend memory", () => {
  it("recycles output arrays without changing values read earlier", async () => {
    await tf.setBackend(NATIVE_BACKEND);
    const backend = tf.backend() as NativeBackendCPU;
    const big = [256, 1024]; // 1 MiB: pooled
    const a = tf.fill(big, 1.5);
    const first = tf.add(a, a);
    const read = first.dataSync(); // a copy, not the pooled array
    first.dispose();
    expect(backend.poolStats().idleBytes).toBeGreaterThanOrEqual(4 * 256 * 1024);
    const second = tf.mul(a, tf.scalar(7)); // takes the recycled array
    expect(read[0]).toBe(3);
    expect(second.dataSync()[0]).toBe(10.5);
    tf.dispose([a, second]);
  });

  it("keeps a slice alive when the tensor it views is disposed", async () => {
    await tf.setBackend(NATIVE_BACKEND);
    const source = tf.add(tf.fill([512, 512], 2), tf.scalar(1));
    const rows = tf.slice(source, [0, 0], [4, 512]); // the cpu Slice returns a view of source's array
    source.dispose();
    const other = tf.mul(tf.fill([512, 512], 5), tf.scalar(1)); // must not reuse source's array
    expect(Array.from(rows.dataSync().slice(0, 3))).toEqual([3, 3, 3]);
    tf.dispose([rows, other]);
  });

  it("holds no tensors after training steps", async () => {
    await tf.setBackend(NATIVE_BACKEND);
    const model = buildVgg16({ inputSize: 32, numClasses: 2, head: "gap", seed: 3, widthScale: 0.0625 });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
    const x = tf.tensor4d(randomValues(4 * 32 * 32 * 3, 9), [4, 32, 32, 3]);
    const y = tf.oneHot([0, 1, 1, 0], 2);
    await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe("native kernels loader", () => {
  it("reports OpenBLAS and the thread count, or says why it cannot load", () => {
    const load = loadNativeKernels();
    if (isDisabled) expect(load).toEqual({ isLoaded: false, reason: "disabled by MAMMO_NATIVE_KERNELS=off" });
    else expect(load.isLoaded && load.info.threads >= 1 && load.info.blasCore.length > 0).toBe(true);
  });

  it.runIf(!isDisabled)("rejects arrays that do not match the shapes instead of reading past them", () => {
    const load = loadNativeKernels();
    if (!load.isLoaded) throw new Error(load.reason);
    const geometry = Int32Array.of(1, 4, 4, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1);
    expect(() =>
      load.kernels.conv2d(new Float32Array(31), new Float32Array(54), null, geometry, 0, 0, new Float32Array(48)),
    ).toThrow(/x has 31 elements, the shapes need 32/);
    expect(() => load.kernels.binary(0, 0, new Float32Array(3), new Float32Array(4), new Float32Array(3))).toThrow(
      /same length/,
    );
  });
});
