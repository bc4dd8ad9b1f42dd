import { Prisma, type Db, type InferenceRun } from "@mammo/db";
import { regionOf, type ConcordancePair } from "./concordance-summary.ts";
import { targetImageIdsSql } from "./run-target.ts";

const breastKey = (caseId: string, laterality: string) => `${caseId}:${laterality}`;

/** The cases with a measured pair among a run's heatmaps (model version, method, layer): a relation filter, not a list of ids. */
export function measuredCasesWhere(
  run: Pick<InferenceRun, "modelVersionId" | "saliencyMethod" | "saliencyLayer">,
): Prisma.CaseWhereInput {
  const maps = { method: run.saliencyMethod, layerName: run.saliencyLayer, concordance: { some: {} } };
  return {
    images: { some: { predictions: { some: { modelVersionId: run.modelVersionId, saliencyMaps: { some: maps } } } } },
  };
}

/** A pair as the database gives it: the reader's answer in place of the truth and region worked out here. */
type PairRow = Omit<ConcordancePair, "subtype" | "region"> & { answer: string | null };

/**
 * Every ConcordanceResult of an inference run's heatmaps, with what the summary groups by. A
 * heatmap's truth is its breast's (kept by the database: Breast.truthSubtype); the AI's answer
 * for a breast is the mean of its images' probabilities (as the API's case-ai-answer.ts); a
 * lesion outline is keyed by its finding. Everything, unfiltered: for workers and the CLI. The
 * API must apply its own visibility rules. Only the run's own target images count: predictions
 * are shared between runs of a model version, and a summary must not count another run's.
 *
 * Set-based: a run over an archive measures tens of thousands of pairs over as many cases, more
 * than one statement may carry bind parameters, so the cases are chosen by the run in the
 * database (a subquery, a relation filter), never by a list of their ids.
 */
export async function loadConcordancePairs(db: Db, inferenceRunId: string): Promise<ConcordancePair[]> {
  const run = await db.inferenceRun.findUniqueOrThrow({
    where: { id: inferenceRunId },
    include: { modelVersion: { select: { classNames: true } } },
  });
  const runMaps = Prisma.sql`p."modelVersionId" = ${run.modelVersionId}::uuid
    AND m.method = ${run.saliencyMethod}::"SaliencyMethod" AND m."layerName" = ${run.saliencyLayer}`;
  const measuredCaseIds = Prisma.sql`SELECT mi."caseId" FROM "ConcordanceResult" cr
    JOIN "SaliencyMap" m ON m.id = cr."saliencyMapId" JOIN "Prediction" p ON p.id = m."predictionId"
    JOIN "Image" mi ON mi.id = p."imageId" WHERE ${runMaps}`;
  const [rows, breasts, predictions] = await Promise.all([
    db.$queryRaw<PairRow[]>`
      SELECT cr.source::text AS source, i."caseId", i.id AS "imageId", i.laterality::text AS laterality,
        i.view::text AS view, r.answer::text AS answer, sr."userId" AS "readerId", sc."studyId",
        a."findingId" AS "lesionKey", cr."isPointingHit", cr."energyInside", cr.iou, cr."pixelAuc",
        cr."uniformHitChance", cr."uniformEnergyInside", cr."centreBiasHit", cr."centreBiasEnergyInside"
      FROM "ConcordanceResult" cr
      JOIN "SaliencyMap" m ON m.id = cr."saliencyMapId"
      JOIN "Prediction" p ON p.id = m."predictionId"
      JOIN "Image" i ON i.id = p."imageId"
      LEFT JOIN "Read" r ON r.id = cr."readId"
      LEFT JOIN "StudyReader" sr ON sr.id = r."studyReaderId"
      LEFT JOIN "StudyCase" sc ON sc.id = r."studyCaseId"
      LEFT JOIN "Annotation" a ON a.id = cr."annotationId"
      WHERE ${runMaps} AND i.id IN (${targetImageIdsSql(run)})
      ORDER BY cr.id`,
    db.$queryRaw<{ caseId: string; laterality: string; truthSubtype: string | null }[]>`
      SELECT b."caseId", b.laterality::text AS laterality, b."truthSubtype"::text AS "truthSubtype"
      FROM "Breast" b WHERE b."caseId" IN (${measuredCaseIds})`,
    db.$queryRaw<{ caseId: string; laterality: string; probabilities: number[] }[]>`
      SELECT i."caseId", i.laterality::text AS laterality, p.probabilities
      FROM "Prediction" p JOIN "Image" i ON i.id = p."imageId"
      WHERE p."modelVersionId" = ${run.modelVersionId}::uuid AND i."caseId" IN (${measuredCaseIds})
        -- READABLE_IMAGE (@mammo/db): active and meant for presentation
        AND i.status = 'ACTIVE' AND i."presentationIntent" = 'FOR_PRESENTATION'`,
  ]);
  const truth = new Map(breasts.map((b) => [breastKey(b.caseId, b.laterality), b.truthSubtype]));
  const { classNames } = run.modelVersion;
  const probabilitiesByBreast = new Map<string, number[][]>();
  for (const p of predictions) {
    const key = breastKey(p.caseId, p.laterality);
    const own = probabilitiesByBreast.get(key);
    if (own) own.push(p.probabilities);
    else probabilitiesByBreast.set(key, [p.probabilities]);
  }
  const aiAnswer = new Map(
    [...probabilitiesByBreast].map(([key, own]) => {
      const meanProbabilities = classNames.map((_, k) => own.reduce((s, p) => s + (p[k] ?? 0), 0) / own.length);
      return [key, classNames[meanProbabilities.indexOf(Math.max(...meanProbabilities))]!];
    }),
  );
  return rows
    .filter((r) => r.source === "ANNOTATION" || run.target !== "STUDY" || r.studyId === run.studyId)
    .map(({ answer, ...r }): ConcordancePair => {
      const subtype = truth.get(breastKey(r.caseId, r.laterality)) ?? null;
      const ai = aiAnswer.get(breastKey(r.caseId, r.laterality)) ?? null;
      return {
        ...r,
        subtype,
        region: r.source === "READ" && answer && subtype && ai ? regionOf(answer === subtype, ai === subtype) : null,
      };
    });
}
