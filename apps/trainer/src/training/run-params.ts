import { existsSync } from "node:fs";
import type { Prisma } from "@mammo/db";
import { badInput } from "../errors/trainer-error.ts";
import {
  MlCoreError,
  PRESET_NAMES,
  resolveTrainingParams,
  type PresetName,
  type TrainingOverrides,
  type TrainingParams,
} from "../ml/ml-core.ts";

/**
 * The complete parameters of a run: the preset, the requested overrides (or, once the run has
 * started, the resolved parameters it recorded), the run's own seed (TrainingRun.seed is the
 * one recorded, so it wins over a seed inside the overrides), and the workers' ImageNet weights
 * file when the parameters ask for ImageNet weights without naming one. Resolving the recorded
 * parameters again gives the same object, key order included, on every worker.
 */
export function resolveRunParams(
  run: { preset: string; seed: number; params: Prisma.JsonValue },
  imagenetWeightsPath: string | null,
): TrainingParams {
  if (!(PRESET_NAMES as readonly string[]).includes(run.preset))
    throw badInput(`unknown preset ${run.preset} (known: ${PRESET_NAMES.join(", ")})`);
  const stored =
    run.params && typeof run.params === "object" && !Array.isArray(run.params)
      ? { ...(run.params as Record<string, unknown>) }
      : {};
  delete stored.preset;
  let params: TrainingParams;
  try {
    params = resolveTrainingParams(run.preset as PresetName, { ...(stored as TrainingOverrides), seed: run.seed });
  } catch (error) {
    if (error instanceof MlCoreError) throw badInput(`training parameters: ${error.message}`, error);
    throw error;
  }
  if (params.model.weights === "imagenet" && !params.model.imagenetWeightsPath) {
    if (!imagenetWeightsPath) {
      throw badInput(
        `preset ${run.preset} starts from ImageNet weights, and none are configured: set IMAGENET_WEIGHTS_PATH on the workers to a converted VGG16 weights file (see ml-core weights/imagenet-weights.ts), or request model.weights = "random"`,
      );
    }
    params = { ...params, model: { ...params.model, imagenetWeightsPath } };
  }
  if (params.model.weights === "imagenet" && !existsSync(params.model.imagenetWeightsPath!)) {
    throw badInput(
      `the ImageNet weights file ${params.model.imagenetWeightsPath} does not exist on worker machine; every worker that trains needs it at that path`,
    );
  }
  return params;
}
