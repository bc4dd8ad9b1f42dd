import { Subtype, type Db, type Laterality } from "@mammo/db";

/**
 * The AI's answer for a study's UNIT (a finding, a breast or a whole case), from its model
 * version's per-IMAGE predictions.
 *
 * Rule: the mean of the class probabilities over the unit's active images that the model version
 * has predicted (the images of the finding's or the breast's side; all views of a case), then the
 * class with the highest mean; ties go to the earlier class in the model's class order. Every
 * image counts the same, as in training, where every image of a unit carries the unit's label;
 * no truth enters the AI's answer (the breast is the study's design, not a label), so it can be
 * shown to blinded readers.
 */
export function caseLevelAnswer(
  classNames: readonly string[],
  imageProbabilities: readonly (readonly number[])[],
): { answer: Subtype; probabilities: number[] } | null {
  const usable = imageProbabilities.filter((p) => p.length === classNames.length);
  if (usable.length === 0 || classNames.length === 0) return null;
  const mean = classNames.map((_, k) => usable.reduce((sum, p) => sum + p[k]!, 0) / usable.length);
  let best = 0;
  for (let k = 1; k < mean.length; k++) if (mean[k]! > mean[best]!) best = k;
  const answer = classNames[best]!;
  if (!(answer in Subtype)) return null;
  return { answer: answer as Subtype, probabilities: mean };
}

export type HeatmapRef = { id: string; classIndex: number; widthPx: number; heightPx: number };

export type CaseAiAnswer = {
  /** The unit's key given by the caller (e.g. the study case id). */
  key: string;
  modelVersionId: string;
  answer: Subtype;
  /** Aligned with `classNames`. */
  probabilities: number[];
  classNames: string[];
  /** Per image: its heatmap for the case's answer (or the image's first heatmap when none is for that class). */
  heatmaps: { imageId: string; saliencyMap: HeatmapRef }[];
};

type PredictionRow = {
  key: string;
  imageId: string;
  probabilities: number[];
  classNames: string[];
  maps: HeatmapRef[];
};

/** A unit to answer for: the images of `caseId`, of one breast when `laterality` is given. */
export type AiUnit = { key: string; caseId: string; laterality: Laterality | null };

/**
 * The AI's answers for many units of one model version (units without predictions are absent).
 * One statement, whatever the number of units (the units travel as three array parameters): it
 * runs on every aided reading step and for a whole study's report.
 */
export async function loadUnitAiAnswers(
  db: Db,
  modelVersionId: string,
  units: readonly AiUnit[],
): Promise<Map<string, CaseAiAnswer>> {
  const answers = new Map<string, CaseAiAnswer>();
  if (units.length === 0) return answers;
  const rows = await db.$queryRaw<PredictionRow[]>`
    WITH unit AS (
      SELECT * FROM unnest(${units.map((u) => u.key)}::text[], ${units.map((u) => u.caseId)}::uuid[],
        ${units.map((u) => u.laterality)}::"Laterality"[]) AS u(key, "caseId", laterality)
    )
    SELECT u.key, p."imageId", p.probabilities, mv."classNames",
      (SELECT coalesce(json_agg(json_build_object('id', m.id, 'classIndex', m."classIndex", 'widthPx', m."widthPx", 'heightPx', m."heightPx")
          ORDER BY m.method, m."createdAt", m.id), '[]'::json)
        FROM "SaliencyMap" m WHERE m."predictionId" = p.id) AS maps
    FROM unit u
    JOIN "Image" i ON i."caseId" = u."caseId" AND (u.laterality IS NULL OR i.laterality = u.laterality)
    JOIN "Prediction" p ON p."imageId" = i.id AND p."modelVersionId" = ${modelVersionId}::uuid
    JOIN "ModelVersion" mv ON mv.id = p."modelVersionId"
    WHERE i.status = 'ACTIVE' AND i."presentationIntent" = 'FOR_PRESENTATION' -- READABLE_IMAGE
    ORDER BY u.key, i.laterality, i.view, i.id`;
  const byKey = new Map<string, PredictionRow[]>();
  for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
  for (const [key, own] of byKey) {
    const classNames = own[0]!.classNames;
    const result = caseLevelAnswer(
      classNames,
      own.map((p) => p.probabilities),
    );
    if (!result) continue;
    const answerIndex = classNames.indexOf(result.answer);
    const heatmaps = own.flatMap((p) => {
      const map = p.maps.find((m) => m.classIndex === answerIndex) ?? p.maps[0];
      return map ? [{ imageId: p.imageId, saliencyMap: map }] : [];
    });
    answers.set(key, { key, modelVersionId, ...result, classNames, heatmaps });
  }
  return answers;
}
