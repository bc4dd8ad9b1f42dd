import type { Prisma } from "@mammo/db";
import {
  chanceBaselines,
  decodeHeatmapPng,
  roiToMask,
  saliencyRegionMetrics,
  type Heatmap,
  type Roi,
} from "../ml/ml-core.ts";
import { messageOf } from "../errors/trainer-error.ts";
import { mapOfPredictedClass, targetImages, targetPredictions } from "../inference/target-images.ts";
import type { JobContext } from "../queue/job-handler.ts";
import type { TrainerServices } from "../services.ts";
import { measuredPairsOf, targetRegions } from "./concordance-queries.ts";

/** The IoU compares the map thresholded at half its maximum (DOMAIN.md) with the region. */
export const IOU_THRESHOLD = 0.5;
/** The pointing game's tolerance, as a fraction of the heatmap's side (5 px on a 256 px map). */
const POINTING_TOLERANCE = 0.02;
/** A POINT region (a reader's click) counts as a disc of this radius, as a fraction of the image's longer side. */
const POINT_RADIUS = 0.03;

/**
 * Compares every heatmap of an inference run (the map of each image's predicted class, with the
 * run's method and layer) with every region on the same image: the lesion outlines and findings
 * of annotators and pathology, and the ROI marks of radiologists' current reads (for a study run:
 * the reads of that study). One ConcordanceResult per pair; pairs already measured are kept, so a
 * retried or repeated job only adds what is new (reads submitted since).
 */
export async function runConcordance(
  services: TrainerServices,
  inferenceRunId: string,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const { db, blobs } = services;
  const run = await db.inferenceRun.findUnique({
    where: { id: inferenceRunId },
    include: { modelVersion: { select: { classNames: true } } },
  });
  if (!run) return { outcome: "the inference run no longer exists" };
  if (run.status !== "SUCCEEDED") return { outcome: `nothing to do: the inference run is ${run.status.toLowerCase()}` };
  const images = new Map((await targetImages(db, run)).map((i) => [i.id, i]));
  const mapByImage = new Map(
    [...(await targetPredictions(db, run)).values()].flatMap((p) => {
      const map = mapOfPredictedClass(p, run.modelVersion.classNames);
      return map ? [[p.imageId, map] as const] : [];
    }),
  );
  const [regions, measuredPairs] = await Promise.all([targetRegions(db, run), measuredPairsOf(db, run)]);
  const measured = new Set(measuredPairs.map((c) => `${c.saliencyMapId}/${c.readId ?? c.annotationId}`));

  const heatmaps = new Map<string, Heatmap>();
  const rows: Prisma.ConcordanceResultCreateManyInput[] = [];
  const invalid: string[] = [];
  for (const region of regions) {
    const map = mapByImage.get(region.imageId);
    const image = images.get(region.imageId);
    if (!map || !image || measured.has(`${map.id}/${region.readId ?? region.annotationId}`)) continue;
    if (!heatmaps.has(map.id)) heatmaps.set(map.id, await decodeHeatmapPng(await blobs.get(map.storageKey)));
    const heatmap = heatmaps.get(map.id)!;
    try {
      const roi = { shape: region.shape, geometry: region.geometry } as Roi;
      const mask = roiToMask(roi, heatmap.width, heatmap.height, {
        imageSize: { width: image.widthPx, height: image.heightPx },
        pointRadiusPx: POINT_RADIUS * Math.max(image.widthPx, image.heightPx),
      });
      if (!mask.data.some((v) => v)) throw new Error("the region lies outside the image");
      const tolerancePx = POINTING_TOLERANCE * heatmap.width;
      const m = saliencyRegionMetrics(heatmap, mask, { tolerancePx });
      // What a map that knows nothing of the image would score on the same region.
      const chance = chanceBaselines(mask, tolerancePx);
      rows.push({
        saliencyMapId: map.id,
        source: region.source,
        readId: region.readId,
        annotationId: region.annotationId,
        isPointingHit: m.pointingHit,
        energyInside: m.energyInside,
        iou: m.iouHalfMax,
        iouThreshold: IOU_THRESHOLD,
        pixelAuc: m.auc,
        ...chance,
      });
    } catch (error) {
      // One malformed mark must not keep every other comparison from being made.
      invalid.push(
        `${region.source === "READ" ? `read ${region.readId}` : `annotation ${region.annotationId}`}: ${messageOf(error)}`,
      );
    }
  }
  for (let i = 0; i < rows.length; i += 500)
    await db.concordanceResult.createMany({ data: rows.slice(i, i + 500), skipDuplicates: true });
  if (invalid.length > 0)
    ctx.log(`${invalid.length} region(s) could not be compared: ${invalid.slice(0, 3).join("; ")}`);
  return {
    outcome: `compared ${rows.length} new heatmap-region pairs`,
    pairs: rows.length,
    invalidRegions: invalid.length,
    heatmaps: mapByImage.size,
    regions: regions.length,
  };
}
