import type { Tx } from "@mammo/db";
import { loadDatasetVersion, testExamples } from "../data/dataset-version.ts";
import { classifierFromBytes, type ClassifierModel } from "../ml/ml-core.ts";
import type { JobContext } from "../queue/job-handler.ts";
import { encodeEnsembleArtifact, type EnsembleManifest, type Lineage } from "../registry/ensemble-artifact.ts";
import { evaluateEnsemble } from "../registry/evaluate-ensemble.ts";
import type { TrainerServices } from "../services.ts";
import { recordWorkerAudit } from "../shared/audit.ts";
import { deleteBlob, MEDIA_TYPES, putBlob } from "../shared/blob-rows.ts";
import { withoutSkipped } from "./plan-run.ts";
import { resolveRunParams } from "./run-params.ts";
import { lockRun, readProgress, toJsonInput, type FoldResult } from "./run-state.ts";
import { markRunCancelled } from "./run-status.ts";

const distinct = (values: string[]) => [...new Set(values)].sort().join(",");

/** The next version number of a model family at a site; the transaction-scoped lock serialises concurrent publishers. */
async function allocateVersion(tx: Tx, siteId: string, name: string): Promise<number> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, `modelVersion/${siteId}/${name}`);
  const { _max } = await tx.modelVersion.aggregate({ where: { siteId, name }, _max: { version: true } });
  return (_max.version ?? 0) + 1;
}

/**
 * The last step of a run (the `train` job with fold -1): scores every fold model and their
 * ensemble on the TEST split, stores the artifact (one blob: the fold models and a manifest with
 * the lineage), and publishes the ModelVersion, the run's SUCCEEDED status, the test metrics and
 * the audit event in one transaction with the job's completion. ModelVersion.trainingRunId is
 * unique, so a retried publish finds the version it made and never makes a second.
 */
export async function publishTrainingRun(
  services: TrainerServices,
  runId: string,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const { db, blobs, config } = services;
  const run = await db.trainingRun.findUnique({
    where: { id: runId },
    include: { modelVersion: { select: { id: true, version: true } } },
  });
  if (!run) return { outcome: "the run no longer exists" };
  if (run.modelVersion)
    return { outcome: `already published as version ${run.modelVersion.version}`, modelVersionId: run.modelVersion.id };
  if (run.status === "CANCELLING") {
    await db.$transaction((tx) => markRunCancelled(tx, runId, ctx.workerId));
    return { outcome: "cancelled" };
  }
  const progress = readProgress(run.progress);
  if (run.status !== "RUNNING" || !progress)
    return { outcome: `nothing to do: the run is ${run.status.toLowerCase()}` };
  const folds = Object.values(progress.foldResults).sort((a, b) => a.fold - b.fold);
  if (folds.length !== progress.foldCount)
    throw new Error(`only ${folds.length} of ${progress.foldCount} folds are trained`);

  const params = resolveRunParams(run, config.imagenetWeightsPath);
  const dataset = withoutSkipped(await loadDatasetVersion(db, run.datasetVersionId), progress.skippedImages);
  ctx.onProgress?.({
    kind: "step",
    message: `scoring ${folds.length} fold model(s) and their ensemble on the test split`,
  });
  const foldBytes = await Promise.all(folds.map((f) => blobs.get(f.modelKey)));
  const classifiers: ClassifierModel[] = [];
  let evaluation;
  try {
    for (const [i, bytes] of foldBytes.entries())
      classifiers.push(await classifierFromBytes(bytes, `fold ${folds[i]!.fold} model`));
    evaluation = await evaluateEnsemble(services.loadGrey, classifiers, testExamples(dataset), "fail");
  } finally {
    for (const c of classifiers) c.model.dispose();
  }

  const finishedAt = new Date();
  const backend = distinct(folds.map((f) => f.backend));
  const codeRevision = distinct(folds.map((f) => f.codeRevision));
  const lineage: Lineage = {
    datasetVersionId: dataset.id,
    datasetName: dataset.datasetName,
    datasetVersion: dataset.version,
    datasetDigest: dataset.digest,
    trainingRunId: runId,
    preset: run.preset,
    params,
    seed: run.seed,
    codeRevision,
    backend,
    trainingStartedAt: (run.startedAt ?? run.createdAt).toISOString(),
    trainingFinishedAt: finishedAt.toISOString(),
  };
  const metadata = classifiers[0]!.metadata;
  const manifest: EnsembleManifest = {
    format: "mammo-ensemble",
    version: 1,
    combine: "sum-softmax",
    classNames: metadata.classNames,
    preprocessing: metadata.preprocessing,
    gradCamLayer: metadata.gradCamLayer,
    models: folds.map((f) => ({ fold: f.fold, file: `fold-${f.fold}.tar`, bestEpoch: f.best?.epoch ?? null })),
    lineage,
  };
  const artifact = await putBlob(db, blobs, encodeEnsembleArtifact(manifest, foldBytes), MEDIA_TYPES.model);
  const metrics = {
    split: "TEST",
    ensemble: evaluation.ensemble,
    folds: folds.map((f: FoldResult, i) => ({
      fold: f.fold,
      bestEpoch: f.best?.epoch ?? null,
      validation: f.best ? { loss: f.best.valLoss, accuracy: f.best.valAccuracy, images: f.validationCount } : null,
      trainImages: f.trainCount,
      epochsCompleted: f.epochsCompleted,
      history: f.history,
      test: evaluation.models[i],
    })),
    skippedImages: progress.skippedImages,
  };

  const published = await db.$transaction(async (tx) => {
    const locked = await lockRun(tx, runId);
    if (!locked || locked.status !== "RUNNING") return null;
    const already = await tx.modelVersion.findUnique({ where: { trainingRunId: runId } });
    if (already) return already;
    const version = await allocateVersion(tx, run.siteId, dataset.datasetName);
    const modelVersion = await tx.modelVersion.create({
      data: {
        siteId: run.siteId,
        name: dataset.datasetName,
        version,
        trainingRunId: runId,
        datasetVersionId: dataset.id,
        datasetDigest: dataset.digest,
        artifactKey: artifact.key,
        artifactSha256: artifact.sha256,
        classNames: metadata.classNames,
        inputSizePx: metadata.preprocessing.inputSize,
        preset: run.preset,
        params: toJsonInput(params),
        metrics: toJsonInput(metrics),
        codeRevision,
        backend,
        seed: run.seed,
        trainingStartedAt: new Date(lineage.trainingStartedAt),
        trainingFinishedAt: finishedAt,
        createdById: run.requestedById,
      },
    });
    await tx.$executeRawUnsafe(
      `UPDATE "TrainingRun" SET progress = progress || '{"stage":"published"}'::jsonb WHERE id = $1::uuid`,
      runId,
    );
    await tx.trainingRun.update({
      where: { id: runId },
      data: { status: "SUCCEEDED", finishedAt, backend, codeRevision },
    });
    const points = [
      ["test_accuracy", evaluation.ensemble.accuracy],
      ["test_macro_f1", evaluation.ensemble.macro.f1],
      ["test_macro_auc", evaluation.ensemble.macro.auc],
    ] as const;
    await tx.trainingMetric.createMany({
      data: points
        .filter(([, v]) => v !== null)
        .map(([name, value]) => ({ runId, fold: -1, epoch: 0, batch: -1, name, value: value! })),
      skipDuplicates: true,
    });
    await recordWorkerAudit(tx, {
      siteId: run.siteId,
      action: "modelVersion.publish",
      entityType: "ModelVersion",
      entityId: modelVersion.id,
      after: {
        name: modelVersion.name,
        version,
        trainingRunId: runId,
        artifactSha256: artifact.sha256,
        testAccuracy: evaluation.ensemble.accuracy,
      },
      workerId: ctx.workerId,
    });
    await ctx.completeIn(tx, { outcome: "published", modelVersionId: modelVersion.id, version });
    return modelVersion;
  });
  if (!published) return { outcome: "not published: the run ended meanwhile" };

  // Checkpoints have served their purpose, and the fold models live on inside the artifact.
  for (const key of [...Object.values(progress.checkpoints).map((c) => c.key), ...folds.map((f) => f.modelKey)])
    await deleteBlob(db, blobs, key, ctx.log);
  return { outcome: `published ${published.name} version ${published.version}`, modelVersionId: published.id };
}
