import { Subtype, type Db, type SaliencyMap } from "@mammo/db";

/**
 * The AI's answer for a CASE, from its model version's per-IMAGE predictions.
 *
 * Rule: the mean of the class probabilities over the case's active images that the model version
 * has predicted (the four views, normally), then the class with the highest mean; ties go to the
 * earlier class in the model's class order. Every image counts the same, as in training, where
 * every image of a case carries the case's label (datasets/split.ts); no truth (not even the
 * lesion side of a label) enters the AI's answer, so it can be shown to blinded readers.
 */
export function caseLevelAnswer(classNames: readonly string[], imageProbabilities: readonly (readonly number[])[]): { answer: Subtype; probabilities: number[] } | null {
  const usable = imageProbabilities.filter((p) => p.length === classNames.length);
  if (usable.length === 0 || classNames.length === 0) return null;
  const mean = classNames.map((_, k) => usable.reduce((sum, p) => sum + p[k]!, 0) / usable.length);
  let best = 0;
  for (let k = 1; k < mean.length; k++) if (mean[k]! > mean[best]!) best = k;
  const answer = classNames[best]!;
  if (!(answer in Subtype)) return null;
  return { answer: answer as Subtype, probabilities: mean };
}

export type CaseAiAnswer = {
  caseId: string;
  modelVersionId: string;
  answer: Subtype;
  /** Aligned with `classNames`. */
  probabilities: number[];
  classNames: string[];
  /** Per image: its heatmap for the case's answer (or the image's own predicted class when none). */
  heatmaps: { imageId: string; saliencyMap: SaliencyMap }[];
};

/** The AI's answers for many cases of one model version (cases without predictions are absent). */
export async function loadCaseAiAnswers(db: Db, modelVersionId: string, caseIds: readonly string[]): Promise<Map<string, CaseAiAnswer>> {
  const model = await db.modelVersion.findUnique({ where: { id: modelVersionId }, select: { classNames: true } });
  const answers = new Map<string, CaseAiAnswer>();
  if (!model || caseIds.length === 0) return answers;
  const predictions = await db.prediction.findMany({
    where: { modelVersionId, image: { caseId: { in: [...caseIds] }, status: "ACTIVE" } },
    include: { image: { select: { caseId: true, laterality: true, view: true } }, saliencyMaps: { orderBy: [{ method: "asc" }, { createdAt: "asc" }] } },
    orderBy: [{ image: { laterality: "asc" } }, { image: { view: "asc" } }],
  });
  for (const caseId of caseIds) {
    const own = predictions.filter((p) => p.image.caseId === caseId);
    const result = caseLevelAnswer(model.classNames, own.map((p) => p.probabilities));
    if (!result) continue;
    const answerIndex = model.classNames.indexOf(result.answer);
    const heatmaps = own.flatMap((p) => {
      const map = p.saliencyMaps.find((m) => m.classIndex === answerIndex) ?? p.saliencyMaps[0];
      return map ? [{ imageId: p.imageId, saliencyMap: map }] : [];
    });
    answers.set(caseId, { caseId, modelVersionId, ...result, classNames: model.classNames, heatmaps });
  }
  return answers;
}
