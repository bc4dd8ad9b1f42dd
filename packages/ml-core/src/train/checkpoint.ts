import { MlCoreError } from "../errors/ml-core-error.ts";
import { readTarFiles, tarFiles } from "../model/model-artifact.ts";
import { type RngState } from "../random/seeded-rng.ts";
import { type TrainingParams } from "./presets.ts";
import { type WeightsSnapshot } from "./weights-snapshot.ts";

export type EpochSummary = {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
};
export type BestEpoch = { epoch: number; valLoss: number; valAccuracy: number };

/**
 * Everything needed to continue a fold's training after `epochsCompleted` epochs exactly as if
 * it had never stopped: weights, optimizer state (Adam's step and moments), the random
 * generator, the best epoch so far and its weights.
 */
export type TrainingCheckpoint = {
  format: "mammo-checkpoint";
  version: 1;
  params: TrainingParams;
  classNames: string[];
  fold: number;
  epochsCompleted: number;
  rngState: RngState;
  history: EpochSummary[];
  best: BestEpoch | null;
  weights: WeightsSnapshot;
  optimizer: WeightsSnapshot;
  bestWeights: WeightsSnapshot | null;
  /**
   * Set when the run stopped inside an epoch (asked to stop with a checkpoint, e.g. on SIGTERM):
   * that epoch's sample order and how far it got, so a resumed run finishes the epoch instead of
   * repeating it. rngState is then the generator's state after the batches done.
   */
  inEpoch?: { order: number[]; batchesDone: number; lossSum: number; correctSum: number; seconds: number };
};

const BINARIES = ["weights", "optimizer", "bestWeights"] as const;

/** A checkpoint as one tar (checkpoint.json + one .bin per snapshot): for the blob store. */
export function encodeCheckpoint(checkpoint: TrainingCheckpoint): Uint8Array {
  const header = {
    ...checkpoint,
    weights: checkpoint.weights.specs,
    optimizer: checkpoint.optimizer.specs,
    bestWeights: checkpoint.bestWeights?.specs ?? null,
  };
  const files: Array<[string, Uint8Array]> = [["checkpoint.json", new TextEncoder().encode(JSON.stringify(header))]];
  for (const key of BINARIES) {
    const snapshot = checkpoint[key];
    if (snapshot) files.push([`${key}.bin`, new Uint8Array(snapshot.data)]);
  }
  return tarFiles(files);
}

export function decodeCheckpoint(bytes: Uint8Array, source = "checkpoint"): TrainingCheckpoint {
  const files = readTarFiles(bytes, source);
  const json = files.get("checkpoint.json");
  if (!json) throw new MlCoreError("ARTIFACT_INVALID", `${source}: has no checkpoint.json`);
  const header = JSON.parse(new TextDecoder().decode(json)) as Record<string, unknown>;
  if (header.format !== "mammo-checkpoint" || header.version !== 1)
    throw new MlCoreError("ARTIFACT_INVALID", `${source}: not a mammo-checkpoint v1`);
  const snapshots: Partial<Record<(typeof BINARIES)[number], WeightsSnapshot | null>> = {};
  for (const key of BINARIES) {
    const specs = header[key] as WeightsSnapshot["specs"] | null;
    const data = files.get(`${key}.bin`);
    if (specs && !data) throw new MlCoreError("ARTIFACT_INVALID", `${source}: ${key}.bin is missing`);
    snapshots[key] = specs ? { specs, data: data!.slice().buffer } : null;
  }
  return {
    ...(header as unknown as TrainingCheckpoint),
    weights: snapshots.weights!,
    optimizer: snapshots.optimizer!,
    bestWeights: snapshots.bestWeights ?? null,
  };
}
