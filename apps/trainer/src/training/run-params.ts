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
 * started, the resolved parameters it recorded) and the run's own seed (TrainingRun.seed is the
 * one recorded, so it wins over a seed inside the overrides). Resolving the recorded parameters
 * again gives the same object, key order included, on every worker. ImageNet weights are named
 * by the registered weights' id (TrainingRun.pretrainedWeightsId, set when the run was requested).
 */
export function resolveRunParams(run: {
  preset: string;
  seed: number;
  params: Prisma.JsonValue;
  pretrainedWeightsId: string | null;
}): TrainingParams {
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
  if (params.model.weights === "imagenet" && params.model.imagenetWeightsId !== run.pretrainedWeightsId)
    throw badInput(
      `the run starts from ImageNet weights but names no registered weights (model.imagenetWeightsId ${params.model.imagenetWeightsId ?? "null"}): request it again through the API or the CLI, which choose them`,
    );
  return params;
}
