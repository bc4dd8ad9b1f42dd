import { targetImageIdsSql, type TargetRun } from "@mammo/concordance";
import type { Db, SaliencyMethod, SaliencyScore, Subtype } from "@mammo/db";
import type { StoredImage } from "../data/image-loader.ts";

/*
 * What an inference run covers, asked of the database as sets: the run's target is a subquery
 * (targetImageIdsSql, shared with the concordance summary), never a list of ids sent with the
 * statement. A study or dataset version may hold more images than one statement may carry bind
 * parameters (Prisma 7 stops at 32 766), and the lists below (predictions, regions, measured
 * pairs) are as long as the target.
 */

export type TargetImage = StoredImage & { accessionKey: string };

/** The run's images with what the image loader needs, in a stable order (by id). */
export async function targetImages(db: Db, run: TargetRun): Promise<TargetImage[]> {
  return db.$queryRaw<TargetImage[]>`
    SELECT i.id, i."caseId", i.laterality::text AS laterality, i.view::text AS view, i."widthPx", i."heightPx",
      i."contentSha256", i."storageKey", i.status::text AS status, i."quarantineReason", c."accessionKey"
    FROM "Image" i JOIN "Case" c ON c.id = i."caseId"
    WHERE i.id IN (${targetImageIdsSql(run)})
    ORDER BY i.id`;
}

export type RunPrediction = {
  predictionId: string;
  imageId: string;
  predictedClass: Subtype;
  /** The image's heatmaps of the run's method and layer (any class). */
  maps: { id: string; classIndex: number; storageKey: string }[];
};

/**
 * The model version's predictions on the run's images, by image id, each with its heatmaps of the
 * run's saliency method and layer.
 */
export async function targetPredictions(
  db: Db,
  run: TargetRun & {
    modelVersionId: string;
    saliencyMethod: SaliencyMethod;
    saliencyLayer: string;
    saliencyScore: SaliencyScore;
  },
): Promise<Map<string, RunPrediction>> {
  const rows = await db.$queryRaw<RunPrediction[]>`
    SELECT p.id AS "predictionId", p."imageId", p."predictedClass"::text AS "predictedClass",
      coalesce((SELECT json_agg(json_build_object('id', m.id, 'classIndex', m."classIndex", 'storageKey', m."storageKey"))
        FROM "SaliencyMap" m
        WHERE m."predictionId" = p.id AND m.method = ${run.saliencyMethod}::"SaliencyMethod" AND m."layerName" = ${run.saliencyLayer}
          AND m.score = ${run.saliencyScore}::"SaliencyScore"
      ), '[]'::json) AS maps
    FROM "Prediction" p
    WHERE p."modelVersionId" = ${run.modelVersionId}::uuid AND p."imageId" IN (${targetImageIdsSql(run)})`;
  return new Map(rows.map((row) => [row.imageId, row]));
}

/** The heatmap of a prediction's own class (the one concordance compares), if it was made. */
export function mapOfPredictedClass(prediction: RunPrediction, classNames: readonly string[]) {
  const classIndex = classNames.indexOf(prediction.predictedClass);
  return prediction.maps.find((m) => m.classIndex === classIndex) ?? null;
}
