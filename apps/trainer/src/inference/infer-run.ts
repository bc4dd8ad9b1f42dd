import { Subtype, type InferenceRun, type ModelVersion, type SaliencyMethod, type SaliencyScore } from "@mammo/db";
import { UnreadableImageError } from "../data/image-loader.ts";
import { unreadableImagesError, type SkippedImage } from "../data/prepare-examples.ts";
import { badInput } from "../errors/trainer-error.ts";
import {
  encodeHeatmapPng,
  explainEnsemble,
  HEATMAP_PNG_SIZE,
  type GradCamMethod,
  type GradCamScore,
  type PreparedImage,
} from "../ml/ml-core.ts";
import type { JobContext } from "../queue/job-handler.ts";
import { loadModelVersion } from "../registry/model-store.ts";
import type { TrainerServices } from "../services.ts";
import { recordWorkerAudit } from "../shared/audit.ts";
import { MEDIA_TYPES, putBlob } from "../shared/blob-rows.ts";
import { mapOfPredictedClass, targetImages, targetPredictions, type TargetImage } from "./target-images.ts";

const METHODS: Record<SaliencyMethod, GradCamMethod> = { GRAD_CAM: "gradcam", GRAD_CAM_PLUS_PLUS: "gradcam++" };
const SCORES: Record<SaliencyScore, GradCamScore> = {
  LOGIT: "logit",
  PROBABILITY: "probability",
  LOG_ODDS: "log-odds",
};

/** Target images grouped by case, in the order given: a case's views go through the models as one batch. */
function byCase(images: readonly TargetImage[]): TargetImage[][] {
  const groups = new Map<string, TargetImage[]>();
  for (const image of images) groups.set(image.caseId, [...(groups.get(image.caseId) ?? []), image]);
  return [...groups.values()];
}

/** One image's Prediction and SaliencyMap in one transaction (unique keys: a retried job writes nothing twice). */
async function storeResult(
  db: TrainerServices["db"],
  run: Pick<InferenceRun, "id" | "saliencyMethod" | "saliencyLayer" | "saliencyScore">,
  modelVersion: Pick<ModelVersion, "id" | "classNames">,
  imageId: string,
  result: { probabilities: number[]; classIndex: number; storageKey: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.prediction.upsert({
      where: { modelVersionId_imageId: { modelVersionId: modelVersion.id, imageId } },
      create: {
        modelVersionId: modelVersion.id,
        imageId,
        inferenceRunId: run.id,
        probabilities: result.probabilities,
        predictedClass: modelVersion.classNames[result.classIndex] as Subtype,
      },
      update: {},
    });
    const map = {
      predictionId: row.id,
      method: run.saliencyMethod,
      layerName: run.saliencyLayer,
      score: run.saliencyScore,
      classIndex: modelVersion.classNames.indexOf(row.predictedClass),
    };
    await tx.saliencyMap.upsert({
      where: { predictionId_method_layerName_score_classIndex: map },
      create: { ...map, storageKey: result.storageKey, widthPx: HEATMAP_PNG_SIZE, heightPx: HEATMAP_PNG_SIZE },
      update: {},
    });
  });
}

/**
 * An inference run (the `infer` job): for every target image without a result yet, the model
 * version's class probabilities (the mean of the fold models' softmax outputs) and the Grad-CAM
 * heatmap of the predicted class (8-bit PNG, HEATMAP_PNG_SIZE square; method, layer, score and class
 * recorded), a case's views as one batch.
 * Each image's Prediction and SaliencyMap land in one transaction; the unique keys keep a retried
 * job from writing twice. When it is done the run is SUCCEEDED and its concordance job queued.
 */
export async function runInference(
  services: TrainerServices,
  inferenceRunId: string,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const { db, blobs, config } = services;
  const run = await db.inferenceRun.findUnique({ where: { id: inferenceRunId } });
  if (!run) return { outcome: "the inference run no longer exists" };
  if (run.status !== "QUEUED" && run.status !== "RUNNING")
    return { outcome: `nothing to do: the run is ${run.status.toLowerCase()}` };
  await db.inferenceRun.updateMany({
    where: { id: run.id, status: "QUEUED" },
    data: { status: "RUNNING", startedAt: new Date() },
  });

  const { modelVersion, manifest, classifiers } = await loadModelVersion(services, run.modelVersionId);
  const notSubtypes = modelVersion.classNames.filter((c) => !(c in Subtype));
  if (notSubtypes.length > 0)
    throw badInput(
      `model ${modelVersion.name} v${modelVersion.version} has classes that are not subtypes (${notSubtypes.join(", ")}); predictions name a subtype`,
    );
  if (!classifiers[0]!.model.layers.some((l) => l.name === run.saliencyLayer)) {
    throw badInput(
      `the model has no layer ${run.saliencyLayer} for Grad-CAM (its last convolution layer is ${manifest.gradCamLayer})`,
    );
  }
  const images = await targetImages(db, run);
  if (images.length === 0)
    throw badInput(`the run's target has no images (${run.target.toLowerCase().replace("_", " ")})`);

  const existing = await targetPredictions(db, run);
  const done = new Set(
    [...existing.values()].filter((p) => mapOfPredictedClass(p, modelVersion.classNames)).map((p) => p.imageId),
  );
  const skipped: SkippedImage[] = [];
  const unreadable: Array<{ image: TargetImage; reason: string }> = [];
  let written = 0;
  for (const group of byCase(images.filter((i) => !done.has(i.id)))) {
    if (ctx.isStopRequested()) {
      // Give the job back: a continuation goes on with the images still to do.
      await db.$transaction(async (tx) => {
        await ctx.enqueueIn(tx, "infer", { inferenceRunId: run.id }, { startAfterSeconds: 2 });
        await ctx.completeIn(tx, { outcome: "given back", written });
      });
      return { outcome: `given back after ${written} images` };
    }
    const inputs: Array<{ image: TargetImage; prepared: PreparedImage }> = [];
    for (const image of group) {
      try {
        inputs.push({ image, prepared: await services.loadInput(image, manifest.preprocessing) });
      } catch (error) {
        if (!(error instanceof UnreadableImageError)) throw error;
        unreadable.push({ image, reason: error.reason });
        skipped.push({ imageId: image.id, reason: error.reason });
      }
    }
    if (inputs.length === 0 || (unreadable.length > 0 && config.unreadableImages === "fail")) continue; // keep looking, to name every bad image at once
    // A prediction made before (by another run, with other saliency settings) is kept: its class gets the map.
    const classOf = (imageId: string) => {
      const before = existing.get(imageId);
      return before ? modelVersion.classNames.indexOf(before.predictedClass) : null;
    };
    const explained = explainEnsemble(
      classifiers,
      inputs.map((i) => i.prepared),
      {
        layerName: run.saliencyLayer,
        method: METHODS[run.saliencyMethod],
        score: SCORES[run.saliencyScore],
        classIndices: inputs.map((i) => classOf(i.image.id)),
      },
    );
    for (const [i, { image }] of inputs.entries()) {
      const { heatmap, probabilities, classIndex } = explained[i]!;
      const stored = await putBlob(db, blobs, await encodeHeatmapPng(heatmap, HEATMAP_PNG_SIZE), MEDIA_TYPES.heatmap);
      await storeResult(db, run, modelVersion, image.id, { probabilities, classIndex, storageKey: stored.key });
      written++;
      const count = written + done.size;
      if (count % Math.max(1, Math.round(images.length / 10)) === 0 || count === images.length)
        ctx.onProgress?.({ kind: "step", message: `image ${count} of ${images.length}` });
    }
  }
  if (unreadable.length > 0 && config.unreadableImages === "fail") throw unreadableImagesError(unreadable);

  const note =
    skipped.length > 0
      ? `skipped ${skipped.length} unreadable image(s): ${skipped
          .slice(0, 5)
          .map((s) => `${s.imageId} ${s.reason}`)
          .join("; ")}`
      : null;
  await db.$transaction(async (tx) => {
    const changed = await tx.inferenceRun.updateMany({
      where: { id: run.id, status: "RUNNING" },
      data: { status: "SUCCEEDED", finishedAt: new Date(), error: note },
    });
    if (changed.count === 0) return;
    await recordWorkerAudit(tx, {
      siteId: run.siteId,
      action: "inferenceRun.finish",
      entityType: "InferenceRun",
      entityId: run.id,
      after: { status: "SUCCEEDED", images: images.length, written, skipped: skipped.length },
      workerId: ctx.workerId,
    });
    await ctx.enqueueIn(tx, "concordance", { inferenceRunId: run.id });
    await ctx.completeIn(tx, { outcome: "inferred", images: images.length, written, skipped: skipped.length });
  });
  return { outcome: `inferred ${written} new of ${images.length} images`, skipped: skipped.length };
}

export async function markInferenceFailed(
  services: TrainerServices,
  inferenceRunId: string,
  message: string,
): Promise<void> {
  await services.db.$transaction(async (tx) => {
    const run = await tx.inferenceRun.findUnique({
      where: { id: inferenceRunId },
      select: { siteId: true, status: true },
    });
    const changed = await tx.inferenceRun.updateMany({
      where: { id: inferenceRunId, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "FAILED", error: message.slice(0, 4000), finishedAt: new Date() },
    });
    if (changed.count === 1 && run) {
      await recordWorkerAudit(tx, {
        siteId: run.siteId,
        action: "inferenceRun.fail",
        entityType: "InferenceRun",
        entityId: inferenceRunId,
        before: { status: run.status },
        after: { status: "FAILED", error: message },
        workerId: services.config.workerId,
      });
    }
  });
}
