import * as tf from "@tensorflow/tfjs";

/** Keras' clipnorm for one gradient: g * clipNorm / max(|g|, clipNorm). */
export function clipByNorm(gradient: tf.Tensor, clipNorm: number): tf.Tensor {
  return tf.tidy(() => gradient.mul(tf.scalar(clipNorm).div(tf.maximum(tf.norm(gradient), clipNorm))));
}

type NamedTensor = { name: string; tensor: tf.Tensor };
type AdamInternals = { accBeta1: tf.Variable; accBeta2: tf.Variable; iterations_?: number };

/**
 * Adam with Keras' per-gradient `clipnorm` (TF.js' Adam has no clipping). Also recomputes the
 * bias-correction powers from the step count each step, as `setWeights` does on resume, so a
 * resumed run continues bit for bit where it stopped.
 */
export class ClippedAdamOptimizer extends tf.AdamOptimizer {
  readonly clipNorm: number | null;

  constructor(options: {
    learningRate: number;
    beta1: number;
    beta2: number;
    epsilon: number;
    clipNorm: number | null;
  }) {
    super(options.learningRate, options.beta1, options.beta2, options.epsilon);
    this.clipNorm = options.clipNorm;
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer["applyGradients"]>[0]): void {
    const internals = this as unknown as AdamInternals;
    const step = internals.iterations_ ?? 0;
    tf.tidy(() => {
      internals.accBeta1.assign(tf.pow(this.beta1, step + 1));
      internals.accBeta2.assign(tf.pow(this.beta2, step + 1));
    });
    const clipNorm = this.clipNorm;
    if (clipNorm === null) return super.applyGradients(variableGradients);
    const clipped: NamedTensor[] = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => ({ name, tensor: clipByNorm(tensor, clipNorm) }))
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor: clipByNorm(tensor, clipNorm) }));
    try {
      super.applyGradients(clipped);
    } finally {
      tf.dispose(clipped.map((c) => c.tensor));
    }
  }
}
