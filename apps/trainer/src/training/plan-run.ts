import { assertTrainable, foldParts, loadDatasetVersion, type LoadedDatasetVersion } from "../data/dataset-version.ts";
import { prepareImages } from "../data/prepare-examples.ts";
import type { JobContext } from "../queue/job-handler.ts";
import type { TrainerServices } from "../services.ts";
import { recordWorkerAudit } from "../shared/audit.ts";
import { resolveRunParams } from "./run-params.ts";
import { lockRun, toJsonInput, type RunProgress } from "./run-state.ts";
import { markRunCancelled } from "./run-status.ts";

/** The dataset without the images the run leaves out. */
export const withoutSkipped = (
  dataset: LoadedDatasetVersion,
  skipped: ReadonlyArray<{ imageId: string }>,
): LoadedDatasetVersion => {
  const ids = new Set(skipped.map((s) => s.imageId));
  return ids.size === 0 ? dataset : { ...dataset, examples: dataset.examples.filter((e) => !ids.has(e.imageId)) };
};

/**
 * The first step of a run (the `train` job without a fold): checks the dataset version and every
 * image, records the resolved parameters, marks the run RUNNING and queues one job per fold, all
 * in one transaction with the job's completion (so a retried plan never queues folds twice).
 */
export async function planTrainingRun(
  services: TrainerServices,
  runId: string,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const { db, config } = services;
  const run = await db.trainingRun.findUnique({ where: { id: runId } });
  if (!run) return { outcome: "the run no longer exists" };
  if (run.status === "CANCELLING") {
    await db.$transaction((tx) => markRunCancelled(tx, runId, ctx.workerId));
    return { outcome: "cancelled" };
  }
  if (run.status !== "QUEUED") return { outcome: `nothing to do: the run is ${run.status.toLowerCase()}` };

  const params = resolveRunParams(run);
  const dataset = await loadDatasetVersion(db, run.datasetVersionId);
  assertTrainable(dataset, params);
  ctx.onProgress?.({
    kind: "step",
    message: `checking ${dataset.examples.length} images of dataset version ${dataset.version}`,
  });
  // Every image is read once now: a bad one fails the run before any training, and the
  // model-input cache is warm for the folds.
  const { skipped } = await prepareImages(
    services.loadInput,
    dataset.examples,
    params.preprocessing,
    config.unreadableImages,
  );
  const usable = withoutSkipped(dataset, skipped);
  if (skipped.length > 0) assertTrainable(usable, params);
  const parts = foldParts(usable, params);

  const progress: RunProgress = {
    stage: "training",
    foldCount: parts.length,
    folds: {},
    checkpoints: {},
    foldResults: {},
    skippedImages: skipped,
    isPublishQueued: false,
  };
  const outcome = await db.$transaction(async (tx) => {
    const locked = await lockRun(tx, runId);
    if (!locked || locked.status !== "QUEUED")
      return `nothing to do: the run is ${locked?.status.toLowerCase() ?? "gone"}`;
    await tx.trainingRun.update({
      where: { id: runId },
      data: {
        status: "RUNNING",
        startedAt: new Date(),
        params: toJsonInput(params),
        backend: services.backend.name,
        codeRevision: services.codeRevision,
        progress: toJsonInput(progress),
      },
    });
    await recordWorkerAudit(tx, {
      siteId: run.siteId,
      action: "trainingRun.start",
      entityType: "TrainingRun",
      entityId: runId,
      before: { status: run.status, params: run.params },
      after: { status: "RUNNING", params, folds: parts.length, skippedImages: skipped.length },
      workerId: ctx.workerId,
    });
    for (const part of parts) await ctx.enqueueIn(tx, "train", { trainingRunId: runId, fold: part.fold });
    await ctx.completeIn(tx, { outcome: `planned ${parts.length} fold${parts.length === 1 ? "" : "s"}` });
    return `planned ${parts.length} fold${parts.length === 1 ? "" : "s"}`;
  });
  if (skipped.length > 0) ctx.log(`left out ${skipped.length} unreadable image(s)`);
  return { outcome, skippedImages: skipped.length, folds: parts.length, examples: usable.examples.length };
}
