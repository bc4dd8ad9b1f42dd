import * as tf from "@tensorflow/tfjs";
import type { NativeBackendCPU } from "./native-backend-cpu.ts";
import type { NativeKernels } from "@mammo/native-kernels";
import { activationCode, isPerChannel } from "./native-conv-kernels.ts";
import { cpuKernel, float32Values, type Inputs, type KernelArgs } from "./native-kernel-utils.ts";

type MatmulPlan = { shape: Int32Array; outShape: number[]; n: number };

/**
 * BatchMatMul and _FusedMatMul (dense layers and their gradients) on the native kernels for
 * float32; batch dimensions broadcast when one side's batch is 1 or both are equal. Other cases
 * go to the pure-JS cpu kernel.
 */
export function nativeMatmulKernels(native: NativeKernels): tf.KernelConfig[] {
  const fallback = { matmul: cpuKernel(tf.BatchMatMul), fused: cpuKernel(tf._FusedMatMul) };

  const batchMatMul = (args: KernelArgs) => {
    const backend = args.backend as NativeBackendCPU;
    const { a, b } = args.inputs as Inputs<"a" | "b">;
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const aValues = float32Values(backend, a);
    const bValues = float32Values(backend, b);
    const plan = aValues && bValues ? planMatmul(a.shape, b.shape, transposeA, transposeB) : null;
    if (!aValues || !bValues || !plan) return fallback.matmul(args);
    const out = backend.allocFloat32(tf.util.sizeFromShape(plan.outShape));
    native.matmul(aValues, bValues, null, plan.shape, transposeA, transposeB, 0, 0, out);
    return backend.makeTensorInfo(plan.outShape, "float32", out);
  };

  const fusedMatMul = (args: KernelArgs) => {
    const backend = args.backend as NativeBackendCPU;
    const { a, b, bias } = args.inputs as Inputs<"a" | "b"> & { bias?: tf.TensorInfo };
    const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as unknown as tf._FusedMatMulAttrs;
    const aValues = float32Values(backend, a);
    const bValues = float32Values(backend, b);
    const code = activationCode(activation);
    const plan = aValues && bValues ? planMatmul(a.shape, b.shape, transposeA, transposeB) : null;
    if (!aValues || !bValues || !plan || code === undefined) return fallback.fused(args);
    let biasValues: Float32Array | null = null;
    if (bias) {
      biasValues = float32Values(backend, bias);
      if (!biasValues || !isPerChannel(bias.shape, plan.n)) return fallback.fused(args);
    }
    const out = backend.allocFloat32(tf.util.sizeFromShape(plan.outShape));
    native.matmul(aValues, bValues, biasValues, plan.shape, transposeA, transposeB, code, leakyreluAlpha ?? 0.2, out);
    return backend.makeTensorInfo(plan.outShape, "float32", out);
  };

  return [
    { kernelName: tf.BatchMatMul, backendName: "native", kernelFunc: batchMatMul as tf.KernelFunc },
    { kernelName: tf._FusedMatMul, backendName: "native", kernelFunc: fusedMatMul as tf.KernelFunc },
  ];
}

/** Sizes for the addon, or null when the shapes need the general (cpu) path or are invalid. */
function planMatmul(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean): MatmulPlan | null {
  const aRank = aShape.length;
  const bRank = bShape.length;
  if (aRank < 2 || bRank < 2) return null;
  const m = transposeA ? aShape[aRank - 1] : aShape[aRank - 2];
  const k = transposeA ? aShape[aRank - 2] : aShape[aRank - 1];
  const kB = transposeB ? bShape[bRank - 1] : bShape[bRank - 2];
  const n = transposeB ? bShape[bRank - 2] : bShape[bRank - 1];
  if (k !== kB) return null; // the cpu kernel reports the mismatch
  const outerA = aShape.slice(0, -2);
  const outerB = bShape.slice(0, -2);
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return null;
  }
  const batch = tf.util.sizeFromShape(outer);
  const batchA = tf.util.sizeFromShape(outerA);
  const batchB = tf.util.sizeFromShape(outerB);
  if ((batchA !== 1 && batchA !== batch) || (batchB !== 1 && batchB !== batch)) return null;
  if (batch === 0 || m === 0 || n === 0 || k === 0) return null;
  return { shape: Int32Array.of(batch, batchA, batchB, m, n, k), outShape: [...outer, m, n], n };
}
