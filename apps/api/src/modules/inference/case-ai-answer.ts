import { Subtype, type Db } from "@mammo/db";

/**
 * The AI's answer for a CASE, from its model version's per-IMAGE predictions.
 *
 * Rule: the mean of the class probabilities over the case's active images that the model version
 * has predicted (the four views, normally), then the class with the highest mean; ties go to the
 * earlier class in the model's class order. Every image counts the same, as in training, where
 * every image of a case carries the case's label (datasets/split.ts); no truth (not even the
 * lesion side of a label) enters the AI's answer, so it can be shown to blinded readers.
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
  caseId: string;
  modelVersionId: string;
  answer: Subtype;
  /** Aligned with `classNames`. */
  probabilities: number[];
  classNames: string[];
  /** Per image: its heatmap for the case's answer (or the image's first heatmap when none is for that class). */
  heatmaps: { imageId: string; saliencyMap: HeatmapRef }[];
};

type PredictionRow = {
  caseId: string;
  imageId: string;
  probabilities: number[];
  classNames: string[];
  maps: HeatmapRef[];
};

/**
 * The AI's answers for many cases of one model version (cases without predictions are absent).
 * One statement: it runs on every aided reading step.
 */
export async function loadCaseAiAnswers(
  db: Db,
  modelVersionId: string,
  caseIds: readonly string[],
): Promise<Map<string, CaseAiAnswer>> {
  const answers = new Map<string, CaseAiAnswer>();
  if (caseIds.length === 0) return answers;
  // The case ids go as one array parameter: a report may ask for more cases than a statement's bind parameters.
  const rows = await db.$queryRaw<PredictionRow[]>`
    SELECT i."caseId", p."imageId", p.probabilities, mv."classNames",
      (SELECT coalesce(json_agg(json_build_object('id', m.id, 'classIndex', m."classIndex", 'widthPx', m."widthPx", 'heightPx', m."heightPx")
          ORDER BY m.method, m."createdAt", m.id), '[]'::json)
        FROM "SaliencyMap" m WHERE m."predictionId" = p.id) AS maps
    FROM "Prediction" p
    JOIN "Image" i ON i.id = p."imageId"
    JOIN "ModelVersion" mv ON mv.id = p."modelVersionId"
    WHERE p."modelVersionId" = ${modelVersionId}::uuid AND i."caseId" = ANY(${[...caseIds]}::uuid[]) AND i.status = 'ACTIVE'
    ORDER BY i.laterality, i.view, i.id`;
  const byCase = new Map<string, PredictionRow[]>();
  for (const row of rows) {
    const own = byCase.get(row.caseId);
    if (own) own.push(row);
    else byCase.set(row.caseId, [row]);
  }
  for (const caseId of caseIds) {
    const own = byCase.get(caseId) ?? [];
    const classNames = own[0]?.classNames ?? [];
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
    answers.set(caseId, { caseId, modelVersionId, ...result, classNames, heatmaps });
  }
  return answers;
}
