import { READABLE_IMAGE, type Db, type InferenceRun, type Prisma } from "@mammo/db";
import { regionOf, type ConcordancePair } from "./concordance-summary.ts";

const breastKey = (caseId: string, laterality: string) => `${caseId}:${laterality}`;

/**
 * The images an inference run covers (its target): every readable image of the study's cases,
 * every image of the dataset version, or the chosen images. The trainer infers these; an
 * inference run's comparisons are those on these images.
 */
export function inferenceRunImagesWhere(
  run: Pick<InferenceRun, "target" | "studyId" | "datasetVersionId" | "imageIds">,
): Prisma.ImageWhereInput {
  if (run.target === "STUDY") return { ...READABLE_IMAGE, case: { studyCases: { some: { studyId: run.studyId! } } } };
  if (run.target === "DATASET_VERSION") return { datasetItems: { some: { datasetVersionId: run.datasetVersionId! } } };
  return { id: { in: run.imageIds } };
}

/**
 * Every ConcordanceResult of an inference run's heatmaps on the run's own target images
 * (predictions are shared between runs of a model version: a summary must not count another
 * run's), with what the summary groups by. A heatmap's truth is its breast's (kept by the
 * database: Breast.truthSubtype); the AI's answer for a breast is the mean of its images'
 * probabilities (as the API's case-ai-answer.ts); a lesion outline is keyed by its finding.
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
        prediction: { modelVersionId: run.modelVersionId, image: inferenceRunImagesWhere(run) },
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
      annotation: { select: { findingId: true } },
    },
    orderBy: { id: "asc" },
  });
  const caseIds = [...new Set(rows.map((r) => r.saliencyMap.prediction.image.caseId))];
  const [breasts, predictions] = await Promise.all([
    db.breast.findMany({
      where: { caseId: { in: caseIds } },
      select: { caseId: true, laterality: true, truthSubtype: true },
    }),
    db.prediction.findMany({
      where: { modelVersionId: run.modelVersionId, image: { caseId: { in: caseIds }, ...READABLE_IMAGE } },
      select: { probabilities: true, image: { select: { caseId: true, laterality: true } } },
    }),
  ]);
  const truth = new Map(breasts.map((b) => [breastKey(b.caseId, b.laterality), b.truthSubtype]));
  const { classNames } = run.modelVersion;
  const probabilitiesOf = new Map<string, number[][]>();
  for (const p of predictions) {
    const key = breastKey(p.image.caseId, p.image.laterality);
    probabilitiesOf.set(key, [...(probabilitiesOf.get(key) ?? []), p.probabilities]);
  }
  const aiAnswer = new Map(
    [...probabilitiesOf].map(([key, own]) => {
      const meanProbabilities = classNames.map((_, k) => own.reduce((s, p) => s + (p[k] ?? 0), 0) / own.length);
      return [key, classNames[meanProbabilities.indexOf(Math.max(...meanProbabilities))]!];
    }),
  );
  return rows
    .filter((r) => r.source === "ANNOTATION" || run.target !== "STUDY" || r.read?.studyCase.studyId === run.studyId)
    .map((r): ConcordancePair => {
      const image = r.saliencyMap.prediction.image;
      const subtype = truth.get(breastKey(image.caseId, image.laterality)) ?? null;
      const ai = aiAnswer.get(breastKey(image.caseId, image.laterality)) ?? null;
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
        lesionKey: r.annotation?.findingId ?? null,
        isPointingHit: r.isPointingHit,
        energyInside: r.energyInside,
        iou: r.iou,
        pixelAuc: r.pixelAuc,
        uniformHitChance: r.uniformHitChance,
        uniformEnergyInside: r.uniformEnergyInside,
        centreBiasHit: r.centreBiasHit,
        centreBiasEnergyInside: r.centreBiasEnergyInside,
      };
    });
}
