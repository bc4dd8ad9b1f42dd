import type { Prisma } from "@mammo/db";
import { loadDatasetVersion } from "../data/dataset-version.ts";
import { badInput } from "../errors/trainer-error.ts";
import type { JobContext } from "../queue/job-handler.ts";
import { evaluateEnsemble } from "../registry/evaluate-ensemble.ts";
import { loadModelVersion } from "../registry/model-store.ts";
import type { TrainerServices } from "../services.ts";
import { recordWorkerAudit } from "../shared/audit.ts";

/**
 * An evaluation (the `evaluate` job): a published model version scored on one split of a frozen
 * dataset version, with the same metrics as at publishing (ensemble and each fold model).
 * The dataset's classes must be ones the model knows.
 */
export async function runEvaluation(
  services: TrainerServices,
  evaluationId: string,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const { db, config } = services;
  const evaluation = await db.evaluation.findUnique({ where: { id: evaluationId } });
  if (!evaluation) return { outcome: "the evaluation no longer exists" };
  if (evaluation.status !== "QUEUED" && evaluation.status !== "RUNNING")
    return { outcome: `nothing to do: the evaluation is ${evaluation.status.toLowerCase()}` };
  await db.evaluation.updateMany({ where: { id: evaluationId, status: "QUEUED" }, data: { status: "RUNNING" } });

  const { modelVersion, classifiers } = await loadModelVersion(services, evaluation.modelVersionId);
  const dataset = await loadDatasetVersion(db, evaluation.datasetVersionId);
  const examples = dataset.examples.filter((e) => e.split === evaluation.split);
  if (examples.length === 0)
    throw badInput(
      `the ${evaluation.split} split of dataset version ${dataset.version} of "${dataset.datasetName}" is empty: nothing to evaluate on`,
    );
  const unknown = [...new Set(examples.map((e) => e.subtype))].filter((s) => !modelVersion.classNames.includes(s));
  if (unknown.length > 0)
    throw badInput(
      `the model knows ${modelVersion.classNames.join(", ")}, but the ${evaluation.split} split has ${unknown.join(", ")}: evaluate on a dataset version with the model's classes`,
    );
  const relabelled = examples.map((e) => ({ ...e, label: modelVersion.classNames.indexOf(e.subtype) }));
  const result = await evaluateEnsemble(services.loadInput, classifiers, relabelled, config.unreadableImages);
  const metrics = {
    split: evaluation.split,
    ensemble: result.ensemble,
    folds: result.models.map((m, i) => ({ model: i, test: m })),
    skippedImages: result.skippedImages,
    datasetDigest: dataset.digest,
  };

  await db.$transaction(async (tx) => {
    const changed = await tx.evaluation.updateMany({
      where: { id: evaluationId, status: "RUNNING" },
      data: {
        status: "SUCCEEDED",
        metrics: JSON.parse(JSON.stringify(metrics)) as Prisma.InputJsonValue,
        finishedAt: new Date(),
        error: null,
      },
    });
    if (changed.count === 0) return;
    await recordWorkerAudit(tx, {
      siteId: modelVersion.siteId,
      action: "evaluation.finish",
      entityType: "Evaluation",
      entityId: evaluationId,
      after: { status: "SUCCEEDED", accuracy: result.ensemble.accuracy, n: result.ensemble.n },
      workerId: ctx.workerId,
    });
    await ctx.completeIn(tx, { outcome: "evaluated", accuracy: result.ensemble.accuracy });
  });
  return {
    outcome: `evaluated on ${result.ensemble.n} images: accuracy ${result.ensemble.accuracy.toFixed(3)}`,
    metrics,
  };
}

export async function markEvaluationFailed(
  services: TrainerServices,
  evaluationId: string,
  message: string,
): Promise<void> {
  await services.db.evaluation.updateMany({
    where: { id: evaluationId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "FAILED", error: message.slice(0, 4000), finishedAt: new Date() },
  });
}
