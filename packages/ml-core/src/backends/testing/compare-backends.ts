import * as tf from "@tensorflow/tfjs";

/**
 * Norm-based relative error ||actual - expected|| / ||expected|| (0 when both are all zero).
 * float32 arithmetic in a different order gives about 1e-7; a wrong index gives about 1.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let difference = 0;
  let reference = 0;
  for (let i = 0; i < expected.length; i++) {
    difference += (actual[i] - expected[i]) ** 2;
    reference += expected[i] ** 2;
  }
  if (reference === 0) return difference === 0 ? 0 : Infinity;
  return Math.sqrt(difference / reference);
}

/** Runs `compute` on a backend and returns its tensors' values as copies (all tensors disposed). */
export async function valuesOn(backend: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
  const tensors = compute();
  const values = tensors.map((tensor) => Float32Array.from(tensor.dataSync()));
  tf.dispose(tensors);
  return values;
}

/** Seeded values in [-1, 1) (a small LCG: the same on every backend and run). */
export function randomValues(length: number, seed: number): Float32Array {
  const values = new Float32Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}
