import { foldParts, loadDatasetVersion, type DatasetExample } from "../data/dataset-version.ts";
import { prepareImages } from "../data/prepare-examples.ts";
import {
  classifierToBytes,
  decodeCheckpoint,
  encodeCheckpoint,
  trainFold,
  type LabelledImage,
  type TrainingCheckpoint,
  type TrainingProgress,
} from "../ml/ml-core.ts";
import type { JobContext } from "../queue/job-handler.ts";
import { PUBLISH_FOLD } from "../queue/job-units.ts";
import type { TrainerServices } from "../services.ts";
import { recordWorkerAudit } from "../shared/audit.ts";
import { deleteBlob, MEDIA_TYPES, putBlob } from "../shared/blob-rows.ts";
import { withoutSkipped } from "./plan-run.ts";
import { resolveRunParams } from "./run-params.ts";
import { lockRun, readProgress, recordCheckpoint, toJsonInput, type FoldResult } from "./run-state.ts";
import { checkRun, markRunCancelled, type RunCheck } from "./run-status.ts";
import { createMetricRecorder } from "./metric-recorder.ts";

// How often a fold looks at the run row for a cancellation (a query per batch is not needed).
const RUN_CHECK_INTERVAL_MS = 1000;

type StopReason = "cancel" | "over" | "give-back";

/**
 * One fold of a run (the `train` job with a fold): resumes from the fold's last checkpoint when
 * there is one, trains, writes progress and metrics, checkpoints after every epoch, and stops at
 * the next batch when the run is cancelled. When asked to stop (SIGTERM) it finishes the batch,
 * checkpoints the epoch so far and gives the job back; after its time slice it does so at an
 * epoch's end. A continuation job and this job's completion commit together. The
 * finished fold's model goes to the blob store; the last fold to finish queues the publish step.
 */
export async function trainRunFold(
  services: TrainerServices,
  runId: string,
  fold: number,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const { db, blobs, config } = services;
  const run = await db.trainingRun.findUnique({ where: { id: runId } });
  if (!run) return { outcome: "the run no longer exists" };
  const progress = readProgress(run.progress);
  if (run.status === "CANCELLING") {
    await db.$transaction((tx) => markRunCancelled(tx, runId, ctx.workerId));
    return { outcome: "cancelled" };
  }
  if (run.status !== "RUNNING" || !progress)
    return { outcome: `nothing to do: the run is ${run.status.toLowerCase()}` };
  if (progress.foldResults[fold]) return { outcome: `fold ${fold} is already trained` };

  const params = resolveRunParams(run, config.imagenetWeightsPath);
  const dataset = withoutSkipped(await loadDatasetVersion(db, run.datasetVersionId), progress.skippedImages);
  const part = foldParts(dataset, params).find((p) => p.fold === fold);
  if (!part) throw new Error(`the run has no fold ${fold}`);
  const { prepared } = await prepareImages(
    services.loadGrey,
    [...part.train, ...part.validation],
    params.preprocessing,
    "fail",
  );
  const labelled = (examples: DatasetExample[]): LabelledImage[] =>
    examples.map((e) => ({ image: prepared.get(e.imageId)!, label: e.label }));

  const saved = progress.checkpoints[fold];
  let resumeFrom: TrainingCheckpoint | undefined;
  if (saved) {
    resumeFrom = decodeCheckpoint(await blobs.get(saved.key), `checkpoint of fold ${fold}`);
    const inEpoch = resumeFrom.inEpoch ? ` and ${resumeFrom.inEpoch.batchesDone} batches of the next` : "";
    ctx.log(`resuming fold ${fold} after epoch ${resumeFrom.epochsCompleted}${inEpoch}`);
    await db.$transaction((tx) =>
      recordWorkerAudit(tx, {
        siteId: run.siteId,
        action: "trainingRun.resume",
        entityType: "TrainingRun",
        entityId: runId,
        after: { fold, fromEpoch: resumeFrom!.epochsCompleted, fromBatch: resumeFrom!.inEpoch?.batchesDone ?? 0 },
        workerId: ctx.workerId,
      }),
    );
  }

  const metrics = createMetricRecorder(db, runId);
  const sliceEndsAt = Date.now() + config.sliceSeconds * 1000;
  let stopReason: StopReason | null = null;
  let lastCheck = 0;
  let lastRunState: RunCheck = "running";
  let atEpochStart = true;
  let lastCheckpointKey = saved?.key ?? null;

  const shouldStop = async (): Promise<boolean | "checkpoint"> => {
    if (Date.now() - lastCheck >= RUN_CHECK_INTERVAL_MS) {
      lastCheck = Date.now();
      lastRunState = await checkRun(db, runId);
    }
    if (lastRunState !== "running") stopReason = lastRunState;
    else if (atEpochStart && Date.now() > sliceEndsAt) stopReason = "give-back";
    // Asked to stop (SIGTERM): after this batch, with a checkpoint of the epoch so far.
    else if (ctx.isStopRequested()) stopReason = "give-back";
    if (stopReason === "give-back") return "checkpoint";
    return stopReason !== null;
  };

  const onProgress = async (event: TrainingProgress) => {
    if (event.kind === "batch") {
      atEpochStart = false;
      await metrics.batch(event);
      ctx.onProgress?.({ ...event, folds: progress.foldCount });
    } else {
      atEpochStart = true;
      await metrics.epoch(event);
      ctx.onProgress?.({
        kind: "epoch",
        fold,
        folds: progress.foldCount,
        epoch: event.epoch,
        epochs: event.epochs,
        loss: event.loss,
        accuracy: event.accuracy,
        valLoss: event.valLoss,
        valAccuracy: event.valAccuracy,
      });
    }
  };

  const onCheckpoint = async (checkpoint: TrainingCheckpoint) => {
    const stored = await putBlob(db, blobs, encodeCheckpoint(checkpoint), MEDIA_TYPES.checkpoint);
    const replaced = await recordCheckpoint(db, runId, fold, stored.key, checkpoint.epochsCompleted);
    if (replaced && replaced !== stored.key) await deleteBlob(db, blobs, replaced, ctx.log);
    lastCheckpointKey = stored.key;
  };

  const result = await trainFold({
    params,
    classNames: dataset.classNames,
    train: labelled(part.train),
    validation: labelled(part.validation),
    fold,
    resumeFrom,
    onProgress,
    onCheckpoint,
    shouldStop,
  });
  await metrics.flush();

  if (result.status === "stopped") {
    // (Set inside the shouldStop closure, which TypeScript cannot see.)
    const reason = (stopReason as StopReason | null) ?? "give-back";
    if (reason === "cancel") {
      await db.$transaction(async (tx) => {
        await markRunCancelled(tx, runId, ctx.workerId);
        await ctx.completeIn(tx, { outcome: "cancelled", epochsCompleted: result.epochsCompleted });
      });
      return { outcome: `cancelled after epoch ${result.epochsCompleted}` };
    }
    if (reason === "over") return { outcome: "stopped: the run ended elsewhere" };
    await db.$transaction(async (tx) => {
      // Starts a moment later, once this worker has released the fold's lease.
      await ctx.enqueueIn(tx, "train", { trainingRunId: runId, fold }, { startAfterSeconds: 2 });
      await ctx.completeIn(tx, {
        outcome: "given back",
        epochsCompleted: result.epochsCompleted,
        checkpoint: lastCheckpointKey,
      });
    });
    return { outcome: `given back after epoch ${result.epochsCompleted}` };
  }

  const classifier = result.classifier!;
  let modelBytes: Uint8Array;
  try {
    modelBytes = await classifierToBytes(classifier);
  } finally {
    classifier.model.dispose();
  }
  const model = await putBlob(db, blobs, modelBytes, MEDIA_TYPES.model);
  const foldResult: FoldResult = {
    fold,
    modelKey: model.key,
    epochsCompleted: result.epochsCompleted,
    best: result.best,
    history: result.history,
    trainCount: part.train.length,
    validationCount: part.validation.length,
    backend: services.backend.name,
    codeRevision: services.codeRevision,
    workerId: ctx.workerId,
    finishedAt: new Date().toISOString(),
  };
  const outcome = await db.$transaction(async (tx) => {
    const locked = await lockRun(tx, runId);
    const current = readProgress(locked?.progress ?? null);
    if (!locked || locked.status !== "RUNNING" || !current)
      return `finished, but the run is ${locked?.status.toLowerCase() ?? "gone"}`;
    const foldResults = { ...current.foldResults, [fold]: foldResult };
    const isLast = Object.keys(foldResults).length === current.foldCount;
    const queuePublish = isLast && !current.isPublishQueued;
    await tx.$executeRawUnsafe(
      `UPDATE "TrainingRun" SET progress = jsonb_set(progress, '{foldResults}', $2::jsonb) || jsonb_build_object('isPublishQueued', $3::boolean, 'stage', $4::text) WHERE id = $1::uuid`,
      runId,
      JSON.stringify(toJsonInput(foldResults)),
      current.isPublishQueued || queuePublish,
      isLast ? "publishing" : current.stage,
    );
    if (queuePublish) await ctx.enqueueIn(tx, "train", { trainingRunId: runId, fold: PUBLISH_FOLD });
    await ctx.completeIn(tx, {
      outcome: "fold trained",
      epochsCompleted: result.epochsCompleted,
      resumedFrom: resumeFrom?.epochsCompleted ?? null,
    });
    return queuePublish ? `fold ${fold} trained; the run is ready to publish` : `fold ${fold} trained`;
  });
  return { outcome, epochsCompleted: result.epochsCompleted, resumedFrom: resumeFrom?.epochsCompleted ?? null };
}
