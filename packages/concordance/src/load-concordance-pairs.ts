import { READABLE_IMAGE, type Db } from "@mammo/db";
import { regionOf, type ConcordancePair } from "./concordance-summary.ts";

/** A case's truth: its current consensus, else the subtype every current label agrees on (as the API's case-truth.ts). */
function caseTruth(c: {
  consensusDecisions: { subtype: string }[];
  pathologyLabels: { subtype: string }[];
}): string | null {
  if (c.consensusDecisions[0]) return c.consensusDecisions[0].subtype;
  const subtypes = new Set(c.pathologyLabels.map((l) => l.subtype));
  return subtypes.size === 1 ? [...subtypes][0]! : null;
}

/**
 * Every ConcordanceResult of an inference run's heatmaps, with what the summary groups by. The
 * AI's answer for a case is the mean of its images' probabilities (as the API's case-ai-answer.ts).
 * Everything, unfiltered: for workers and the CLI. The API must apply its own visibility rules.
 */
export async function loadConcordancePairs(db: Db, inferenceRunId: string): Promise<ConcordancePair[]> {
  const run = await db.inferenceRun.findUniqueOrThrow({
    where: { id: inferenceRunId },
    include: { modelVersion: { select: { classNames: true } } },
  });
  const rows = await db.concordanceResult.findMany({
    where: {
      saliencyMap: {
        prediction: { modelVersionId: run.modelVersionId },
        method: run.saliencyMethod,
        layerName: run.saliencyLayer,
      },
    },
    include: {
      saliencyMap: {
        select: {
          prediction: { select: { image: { select: { id: true, caseId: true, laterality: true, view: true } } } },
        },
      },
      read: {
        select: { answer: true, studyReader: { select: { userId: true } }, studyCase: { select: { studyId: true } } },
      },
      annotation: { select: { pathologyLabelId: true } },
    },
    orderBy: { id: "asc" },
  });
  const caseIds = [...new Set(rows.map((r) => r.saliencyMap.prediction.image.caseId))];
  const [cases, predictions] = await Promise.all([
    db.case.findMany({
      where: { id: { in: caseIds } },
      select: {
        id: true,
        consensusDecisions: { where: { supersededAt: null }, select: { subtype: true } },
        pathologyLabels: { where: { retractedAt: null, replacedBy: { is: null } }, select: { subtype: true } },
      },
    }),
    db.prediction.findMany({
      where: { modelVersionId: run.modelVersionId, image: { caseId: { in: caseIds }, ...READABLE_IMAGE } },
      select: { probabilities: true, image: { select: { caseId: true } } },
    }),
  ]);
  const truth = new Map(cases.map((c) => [c.id, caseTruth(c)]));
  const { classNames } = run.modelVersion;
  const aiAnswer = new Map(
    caseIds.map((caseId) => {
      const own = predictions.filter((p) => p.image.caseId === caseId).map((p) => p.probabilities);
      const meanProbabilities = classNames.map(
        (_, k) => own.reduce((s, p) => s + (p[k] ?? 0), 0) / Math.max(1, own.length),
      );
      return [caseId, own.length > 0 ? classNames[meanProbabilities.indexOf(Math.max(...meanProbabilities))]! : null];
    }),
  );
  return rows
    .filter((r) => r.source === "ANNOTATION" || run.target !== "STUDY" || r.read?.studyCase.studyId === run.studyId)
    .map((r): ConcordancePair => {
      const image = r.saliencyMap.prediction.image;
      const subtype = truth.get(image.caseId) ?? null;
      const ai = aiAnswer.get(image.caseId) ?? null;
      return {
        source: r.source,
        caseId: image.caseId,
        imageId: image.id,
        laterality: image.laterality,
        view: image.view,
        subtype,
        readerId: r.read?.studyReader.userId ?? null,
        studyId: r.read?.studyCase.studyId ?? null,
        region: r.read && subtype && ai ? regionOf(r.read.answer === subtype, ai === subtype) : null,
        lesionKey: r.annotation?.pathologyLabelId ?? null,
        isPointingHit: r.isPointingHit,
        energyInside: r.energyInside,
        iou: r.iou,
        pixelAuc: r.pixelAuc,
      };
    });
}
