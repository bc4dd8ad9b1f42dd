import * as tf from "@tensorflow/tfjs";
import { applyAugmentation, drawAugmentation } from "../data/augment.ts";
import { balancedEpochIndices, shuffledEpochIndices } from "../data/class-balance.ts";
import { stackPrepared, toModelInput } from "../data/preprocess.ts";
import { invalidArgument, MlCoreError } from "../errors/ml-core-error.ts";
import { createClassifier } from "../model/create-classifier.ts";
import { type ClassifierModel } from "../model/model-metadata.ts";
import { SeededRng } from "../random/seeded-rng.ts";
import { loadImagenetWeights } from "../weights/imagenet-weights.ts";
import type { KerasWeightsFile } from "../weights/keras-h5.ts";
import { type BestEpoch, type EpochSummary, type TrainingCheckpoint } from "./checkpoint.ts";
import { ClippedAdamOptimizer } from "./clipped-adam.ts";
import { evaluatePrepared, type LabelledImage } from "./evaluate.ts";
import { type TrainingParams } from "./presets.ts";
import { recomputeBatchNormStatistics } from "./recompute-batch-norm.ts";
import {
  restoreModel,
  snapshotModel,
  snapshotTensors,
  snapshotTensorsList,
  type WeightsSnapshot,
} from "./weights-snapshot.ts";

export type TrainingProgress =
  | {
      kind: "batch";
      fold: number;
      epoch: number;
      epochs: number;
      batch: number;
      batches: number;
      loss: number;
      accuracy: number;
    }
  | ({ kind: "epoch"; fold: number; epochs: number; isBest: boolean } & EpochSummary);

export type TrainFoldInput = {
  params: TrainingParams;
  /** Label i of every example is classNames[i]. */
  classNames: readonly string[];
  /** Prepared at params.preprocessing (prepareGreyImage), not yet augmented. */
  train: readonly LabelledImage[];
  /** For the best-epoch choice; empty = keep the last epoch. */
  validation: readonly LabelledImage[];
  fold?: number;
  /** Continue a stopped run (same params, classes and fold). */
  resumeFrom?: TrainingCheckpoint;
  /** With model.weights "imagenet": the registered weights file, read (readKerasH5Weights), and its name for errors. */
  imagenetWeights?: { file: KerasWeightsFile; source: string };
  onProgress?: (progress: TrainingProgress) => void | Promise<void>;
  /** Called after every epoch (and on a stop that asks for one); store it (encodeCheckpoint) to be able to resume. */
  onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
  /**
   * Checked before every batch. true stops the run (it resumes from the last epoch's
   * checkpoint); "checkpoint" stops it after a checkpoint of the batches done so far, so a
   * resumed run loses nothing (e.g. a worker asked to stop).
   */
  shouldStop?: () => boolean | "checkpoint" | Promise<boolean | "checkpoint">;
};

export type TrainFoldResult = {
  status: "completed" | "stopped";
  epochsCompleted: number;
  history: EpochSummary[];
  best: BestEpoch | null;
  /** The best epoch's model (or the last, without validation); null when stopped. The caller disposes it. */
  classifier: ClassifierModel | null;
  /** The last checkpoint: the last epoch's, or the stop's (null if there was none). */
  checkpoint: TrainingCheckpoint | null;
};

function assertExamples(examples: readonly LabelledImage[], field: string, size: number, numClasses: number): void {
  examples.forEach(({ image, label }, i) => {
    if (image.size !== size)
      throw invalidArgument(field, `example ${i} is ${image.size} px, the parameters say ${size}`);
    if (!Number.isInteger(label) || label < 0 || label >= numClasses)
      throw invalidArgument(field, `example ${i} has label ${label}, not one of 0..${numClasses - 1}`);
  });
}

function assertResumable(checkpoint: TrainingCheckpoint, input: TrainFoldInput, fold: number): void {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(checkpoint.params, input.params))
    throw invalidArgument("resumeFrom", "the checkpoint was made with other training parameters");
  if (!same(checkpoint.classNames, [...input.classNames]))
    throw invalidArgument("resumeFrom", `the checkpoint is for classes ${checkpoint.classNames.join(", ")}`);
  if (checkpoint.fold !== fold)
    throw invalidArgument("resumeFrom", `the checkpoint is for fold ${checkpoint.fold}, not ${fold}`);
}

function dropoutLayers(model: tf.LayersModel): Array<{ seed?: number }> {
  // TF.js' Dropout draws its mask from `layer.seed` (or Math.random without one). A fixed seed
  // would repeat one mask every step, so each step sets a fresh seed from the run's generator.
  return model.layers.filter((l) => l.getClassName() === "Dropout") as unknown as Array<{ seed?: number }>;
}

/** One training step's input: [batch, size, size, 3] augmented and normalised, and one-hot labels [batch, classes]. */
function makeBatch(
  examples: readonly LabelledImage[],
  indices: readonly number[],
  params: TrainingParams,
  numClasses: number,
  rng: SeededRng,
): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const size = params.preprocessing.inputSize;
  const augmentation = params.augmentation;
  const draws = augmentation ? indices.map(() => drawAugmentation(rng, augmentation, size, size)) : null;
  return tf.tidy(() => {
    const grey = stackPrepared(indices.map((i) => examples[i]!.image));
    const augmented = draws ? applyAugmentation(grey, draws, augmentation!.fillMode) : grey;
    return {
      x: toModelInput(augmented, params.preprocessing.normalization),
      y: tf
        .oneHot(
          indices.map((i) => examples[i]!.label),
          numClasses,
        )
        .toFloat() as tf.Tensor2D,
    };
  });
}

/**
 * Trains one fold of a run: per-epoch class balancing, augmentation, Adam with clipnorm,
 * categorical cross-entropy, the best epoch by validation loss, a checkpoint after every epoch
 * (and inside one when a stop asks for it).
 * Seeded by params.seed and the fold: the same inputs and backend give the same weights, and a
 * run resumed from a checkpoint ends with the same weights as one never stopped.
 */
export async function trainFold(input: TrainFoldInput): Promise<TrainFoldResult> {
  const { params } = input;
  const fold = input.fold ?? 0;
  const classNames = [...input.classNames];
  const numClasses = classNames.length;
  const size = params.preprocessing.inputSize;
  if (input.train.length === 0) throw invalidArgument("train", "is empty");
  assertExamples(input.train, "train", size, numClasses);
  assertExamples(input.validation, "validation", size, numClasses);
  if (params.model.weights === "imagenet" && !input.imagenetWeights && !input.resumeFrom) {
    throw invalidArgument(
      "model.imagenetWeightsId",
      `preset ${params.preset} starts from ImageNet weights: register a Keras VGG16 weights file and name it, or set model.weights to "random"`,
    );
  }
  if (input.resumeFrom) assertResumable(input.resumeFrom, input, fold);

  const rootRng = SeededRng.fromSeed(`${params.seed}/fold-${fold}`);
  const classifier = createClassifier({
    classNames,
    preprocessing: params.preprocessing,
    head: params.model.head,
    seed: rootRng.seed(),
    denseUnits: params.model.denseUnits,
    dropoutRate: params.model.dropoutRate,
    batchNormMomentum: params.model.batchNormMomentum,
    widthScale: params.model.widthScale,
    convInitializer: params.model.convInitializer,
    training: { params, fold },
  });
  const { model } = classifier;
  const optimizer = new ClippedAdamOptimizer(params.optimizer);
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const dropouts = dropoutLayers(model);

  let rng = rootRng;
  let history: EpochSummary[] = [];
  let best: BestEpoch | null = null;
  let bestWeights: WeightsSnapshot | null = null;
  let startEpoch = 0;
  let resumeInEpoch: TrainingCheckpoint["inEpoch"] = undefined;
  let lastCheckpoint: TrainingCheckpoint | null = null;
  const finish = (status: TrainFoldResult["status"], result: ClassifierModel | null): TrainFoldResult => {
    optimizer.dispose();
    if (result !== classifier) model.dispose();
    return { status, epochsCompleted: history.length, history, best, classifier: result, checkpoint: lastCheckpoint };
  };

  try {
    if (input.resumeFrom) {
      const saved = input.resumeFrom;
      restoreModel(model, saved.weights);
      const optimizerState = snapshotTensorsList(saved.optimizer);
      await optimizer.setWeights(optimizerState);
      tf.dispose(optimizerState.map((t) => t.tensor));
      rng = SeededRng.fromState(saved.rngState);
      history = [...saved.history];
      best = saved.best;
      bestWeights = saved.bestWeights;
      startEpoch = saved.epochsCompleted;
      resumeInEpoch = saved.inEpoch;
      lastCheckpoint = saved;
    } else if (params.model.weights === "imagenet") {
      loadImagenetWeights(model, input.imagenetWeights!.file, input.imagenetWeights!.source);
    }

    const labels = input.train.map((e) => e.label);
    const checkpointOf = async (
      epochsCompleted: number,
      inEpoch?: TrainingCheckpoint["inEpoch"],
    ): Promise<TrainingCheckpoint> => {
      const optimizerWeights = await optimizer.getWeights();
      const optimizerSnapshot = await snapshotTensors(optimizerWeights);
      tf.dispose(optimizerWeights[0]!.tensor); // the step counter is a fresh scalar; the rest are the optimizer's own variables
      return {
        format: "mammo-checkpoint",
        version: 1,
        params,
        classNames,
        fold,
        epochsCompleted,
        rngState: rng.state(),
        history: [...history],
        best,
        weights: await snapshotModel(model),
        optimizer: optimizerSnapshot,
        bestWeights,
        ...(inEpoch ? { inEpoch } : {}),
      };
    };
    for (let epoch = startEpoch; epoch < params.epochs; epoch++) {
      // A run stopped inside this epoch goes on with the same order, from the next batch.
      const partial = epoch === startEpoch ? resumeInEpoch : undefined;
      const started = performance.now() - (partial?.seconds ?? 0) * 1000;
      const order = partial
        ? partial.order
        : params.classBalance === "downsample-per-epoch"
          ? balancedEpochIndices(labels, rng)
          : shuffledEpochIndices(labels.length, rng);
      const batches = Math.ceil(order.length / params.batchSize);
      let lossSum = partial?.lossSum ?? 0;
      let correctSum = partial?.correctSum ?? 0;
      for (let b = partial?.batchesDone ?? 0; b < batches; b++) {
        const stop = await input.shouldStop?.();
        if (stop) {
          if (stop === "checkpoint" && b > 0) {
            lastCheckpoint = await checkpointOf(epoch, {
              order,
              batchesDone: b,
              lossSum,
              correctSum,
              seconds: (performance.now() - started) / 1000,
            });
            await input.onCheckpoint?.(lastCheckpoint);
          }
          return finish("stopped", null);
        }
        const indices = order.slice(b * params.batchSize, (b + 1) * params.batchSize);
        const { x, y } = makeBatch(input.train, indices, params, numClasses, rng);
        for (const layer of dropouts) layer.seed = rng.seed();
        let loss: number, accuracy: number;
        try {
          [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[] as [number, number];
        } finally {
          tf.dispose([x, y]);
        }
        if (!Number.isFinite(loss))
          throw new MlCoreError(
            "INVALID_ARGUMENT",
            `training diverged at epoch ${epoch + 1}, batch ${b + 1} (loss ${loss}); lower optimizer.learningRate`,
            { field: "optimizer.learningRate" },
          );
        lossSum += loss * indices.length;
        correctSum += accuracy * indices.length;
        await input.onProgress?.({
          kind: "batch",
          fold,
          epoch: epoch + 1,
          epochs: params.epochs,
          batch: b + 1,
          batches,
          loss,
          accuracy,
        });
      }

      if (params.model.batchNormStatistics === "training-set")
        recomputeBatchNormStatistics(
          model,
          input.train.map((e) => e.image),
          params.preprocessing.normalization,
        );
      const validation =
        input.validation.length > 0
          ? evaluatePrepared(model, input.validation, params.preprocessing.normalization, numClasses)
          : null;
      const summary: EpochSummary = {
        epoch: epoch + 1,
        loss: lossSum / order.length,
        accuracy: correctSum / order.length,
        valLoss: validation?.loss ?? null,
        valAccuracy: validation?.accuracy ?? null,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(summary);
      const isBest = validation !== null && (best === null || validation.loss < best.valLoss);
      if (isBest) {
        best = { epoch: epoch + 1, valLoss: validation.loss, valAccuracy: validation.accuracy };
        bestWeights = await snapshotModel(model);
      }
      lastCheckpoint = await checkpointOf(epoch + 1);
      await input.onProgress?.({ kind: "epoch", fold, epochs: params.epochs, isBest, ...summary });
      await input.onCheckpoint?.(lastCheckpoint);
    }

    if (bestWeights) restoreModel(model, bestWeights);
    classifier.metadata.training = { params, fold, best, epochsCompleted: history.length };
    return finish("completed", classifier);
  } catch (error) {
    finish("stopped", null);
    throw error;
  }
}
