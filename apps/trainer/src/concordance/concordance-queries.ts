import { Prisma, type Db, type RoiShape, type SaliencyMethod } from "@mammo/db";
import { targetImageIdsSql, type TargetRun } from "@mammo/concordance";

/*
 * The regions and the pairs already measured of a concordance job, over the run's target as a
 * subquery (target-images.ts): no id list is sent, however many images the run covers.
 */

export type Region = {
  source: "READ" | "ANNOTATION";
  readId: string | null;
  annotationId: string | null;
  imageId: string;
  shape: RoiShape;
  geometry: Prisma.JsonValue;
};

/**
 * Every region on the run's images: lesion outlines and findings of annotators and pathology
 * (not deleted), then the ROI marks of radiologists' current reads (no correction supersedes
 * them); for a study run, the reads of that study only.
 */
export async function targetRegions(db: Db, run: TargetRun): Promise<Region[]> {
  const target = targetImageIdsSql(run);
  const studyOnly = run.target === "STUDY" ? Prisma.sql`AND sc."studyId" = ${run.studyId}::uuid` : Prisma.empty;
  const [annotations, reads] = await Promise.all([
    db.$queryRaw<Region[]>`
      SELECT 'ANNOTATION' AS source, NULL::uuid AS "readId", a.id AS "annotationId", a."imageId",
        a.shape::text AS shape, a.geometry
      FROM "Annotation" a
      WHERE a."imageId" IN (${target}) AND a."deletedAt" IS NULL AND a.purpose IN ('LESION', 'FINDING')
      ORDER BY a.id`,
    db.$queryRaw<Region[]>`
      SELECT 'READ' AS source, r.id AS "readId", NULL::uuid AS "annotationId", r."roiImageId" AS "imageId",
        r."roiShape"::text AS shape, r."roiGeometry" AS geometry
      FROM "Read" r JOIN "StudyCase" sc ON sc.id = r."studyCaseId"
      WHERE r."roiImageId" IN (${target}) AND r."roiShape" IS NOT NULL ${studyOnly}
        AND NOT EXISTS (SELECT 1 FROM "Read" c WHERE c."supersedesId" = r.id)
      ORDER BY r.id`,
  ]);
  return [...annotations, ...reads];
}

/** Heatmap-region pairs of the run's heatmaps (model version, method, layer) measured before. */
export async function measuredPairsOf(
  db: Db,
  run: TargetRun & { modelVersionId: string; saliencyMethod: SaliencyMethod; saliencyLayer: string },
) {
  return db.$queryRaw<{ saliencyMapId: string; readId: string | null; annotationId: string | null }[]>`
    SELECT cr."saliencyMapId", cr."readId", cr."annotationId"
    FROM "ConcordanceResult" cr
    JOIN "SaliencyMap" m ON m.id = cr."saliencyMapId"
    JOIN "Prediction" p ON p.id = m."predictionId"
    WHERE p."modelVersionId" = ${run.modelVersionId}::uuid AND m.method = ${run.saliencyMethod}::"SaliencyMethod"
      AND m."layerName" = ${run.saliencyLayer} AND p."imageId" IN (${targetImageIdsSql(run)})`;
}
