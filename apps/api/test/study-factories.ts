// Test data for reader studies, models and inference (API studies & ML). Unique values per call.
import { randomBytes } from "node:crypto";
import type { ArmKind, Db, Laterality, StudyStatus, Subtype } from "@mammo/db";
import type { BlobStore } from "@mammo/storage";
import sharp from "sharp";
import { readerCaseOrder } from "../src/modules/studies/reader-order.ts";
import { DEFAULT_QUESTIONS, IDC_SUBTYPES } from "../src/modules/studies/study.service.ts";

const unique = () => randomBytes(4).toString("hex");

/** A frozen (empty) dataset version at a site, for model lineage and training requests. */
export async function createDatasetVersion(db: Db, siteId: string, createdById: string) {
  const dataset = await db.dataset.create({
    data: { siteId, name: `Dataset ${unique()}`, filter: { siteIds: [siteId] }, createdById },
  });
  return db.datasetVersion.create({
    data: {
      datasetId: dataset.id,
      version: 1,
      digest: randomBytes(32).toString("hex"),
      unit: "FINDING",
      seed: 1,
      foldCount: 4,
      splitFractions: { train: 0.7, validation: 0.1, test: 0.2 },
      classNames: IDC_SUBTYPES,
      itemCount: 0,
      createdById,
    },
  });
}

/** A published model version of the three IDC subtypes. */
export async function createModelVersion(
  db: Db,
  options: { siteId: string; createdById: string; datasetVersionId?: string; name?: string; version?: number },
) {
  const datasetVersionId =
    options.datasetVersionId ?? (await createDatasetVersion(db, options.siteId, options.createdById)).id;
  const dv = await db.datasetVersion.findUniqueOrThrow({ where: { id: datasetVersionId } });
  return db.modelVersion.create({
    data: {
      siteId: options.siteId,
      name: options.name ?? `idc-${unique()}`,
      version: options.version ?? 1,
      datasetVersionId,
      datasetDigest: dv.digest,
      artifactKey: `models/${unique()}`,
      artifactSha256: randomBytes(32).toString("hex"),
      classNames: IDC_SUBTYPES,
      inputSizePx: 224,
      preset: "quick",
      params: { epochs: 2 },
      metrics: { ensemble: { accuracy: 0.66 } },
      codeRevision: "abc1234",
      backend: "wasm",
      seed: 7,
      trainingStartedAt: new Date("2026-01-01T00:00:00Z"),
      trainingFinishedAt: new Date("2026-01-01T01:00:00Z"),
      createdById: options.createdById,
    },
  });
}

/**
 * A prediction of every active image of a case (or of one breast), with a Grad-CAM heatmap per class stored as a
 * real PNG in the blob store. `probabilities` (aligned with the model's classes) applies to every image.
 */
export async function createCasePredictions(
  db: Db,
  blobs: BlobStore,
  options: {
    modelVersionId: string;
    caseId: string;
    probabilities: number[];
    inferenceRunId?: string;
    /** Only the images of this breast. */
    laterality?: Laterality;
  },
) {
  const model = await db.modelVersion.findUniqueOrThrow({ where: { id: options.modelVersionId } });
  const images = await db.image.findMany({
    where: {
      caseId: options.caseId,
      status: "ACTIVE",
      ...(options.laterality ? { laterality: options.laterality } : {}),
    },
  });
  const best = options.probabilities.indexOf(Math.max(...options.probabilities));
  const maps: string[] = [];
  for (const image of images) {
    const prediction = await db.prediction.create({
      data: {
        modelVersionId: model.id,
        imageId: image.id,
        inferenceRunId: options.inferenceRunId,
        probabilities: options.probabilities,
        predictedClass: model.classNames[best] as Subtype,
      },
    });
    for (let classIndex = 0; classIndex < model.classNames.length; classIndex++) {
      const png = await sharp(Buffer.from(randomBytes(16 * 16)), { raw: { width: 16, height: 16, channels: 1 } })
        .png()
        .toBuffer();
      const stored = await blobs.put(png);
      const map = await db.saliencyMap.create({
        data: {
          predictionId: prediction.id,
          method: "GRAD_CAM",
          layerName: "block5_conv3",
          classIndex,
          storageKey: stored.key,
          widthPx: 16,
          heightPx: 16,
        },
      });
      maps.push(map.id);
    }
  }
  return maps;
}

export type StudyReaderSpec = { userId: string; arm: ArmKind };

/**
 * A reader study written straight to the database (as the demo seed does): arms for the readers'
 * arm kinds, the standard questions, random codes, and for OPEN/CLOSED studies each reader's order.
 */
export async function createStudy(
  db: Db,
  options: {
    siteId: string;
    createdById: string;
    caseIds: string[];
    /** A FINDING study of these findings (their cases' ids in `caseIds` are then ignored). */
    findingIds?: string[];
    readers: StudyReaderSpec[];
    status?: StudyStatus;
    modelVersionId?: string;
    seed?: number;
  },
) {
  const status = options.status ?? "OPEN";
  const study = await db.readerStudy.create({
    data: {
      siteId: options.siteId,
      name: `Study ${unique()}`,
      status,
      unit: options.findingIds ? "FINDING" : "CASE",
      seed: options.seed ?? 11,
      modelVersionId: options.modelVersionId,
      createdById: options.createdById,
      openedAt: status === "DRAFT" ? null : new Date(),
      closedAt: status === "CLOSED" ? new Date() : null,
    },
  });
  const kinds = [...new Set<ArmKind>(["UNAIDED", ...options.readers.map((r) => r.arm)])];
  const arms = new Map<ArmKind, string>();
  for (const kind of kinds)
    arms.set(kind, (await db.studyArm.create({ data: { studyId: study.id, kind, name: kind } })).id);
  await db.studyQuestion.createMany({
    data: DEFAULT_QUESTIONS.map((q, position) => ({
      studyId: study.id,
      kind: q.kind,
      prompt: q.prompt,
      options: [...q.options],
      isRequired: q.isRequired,
      position,
    })),
  });
  const units = options.findingIds
    ? (await db.finding.findMany({ where: { id: { in: options.findingIds } } })).map((f) => ({
        caseId: f.caseId,
        findingId: f.id,
      }))
    : options.caseIds.map((caseId) => ({ caseId }));
  const studyCases = [];
  for (const unit of units)
    studyCases.push(
      await db.studyCase.create({ data: { studyId: study.id, ...unit, code: `C-${unique().toUpperCase()}` } }),
    );
  const readers = [];
  for (const spec of options.readers) {
    const reader = await db.studyReader.create({
      data: { studyId: study.id, userId: spec.userId, armId: arms.get(spec.arm)! },
    });
    if (status !== "DRAFT") {
      await db.readerCaseOrder.createMany({
        data: readerCaseOrder(studyCases, study.seed, spec.userId).map((sc, position) => ({
          studyReaderId: reader.id,
          studyCaseId: sc.id,
          position,
        })),
      });
    }
    readers.push(reader);
  }
  return { study, studyCases, readers };
}

/** A submitted read written straight to the database. */
export async function createRead(
  db: Db,
  options: {
    studyReaderId: string;
    studyCaseId: string;
    phase?: ArmKind;
    answer: Subtype;
    confidence?: number;
    timeSpentMs?: number;
    roi?: { imageId: string; geometry: Record<string, number> };
    classScores?: Record<string, number>;
  },
) {
  return db.read.create({
    data: {
      studyReaderId: options.studyReaderId,
      studyCaseId: options.studyCaseId,
      phase: options.phase ?? "UNAIDED",
      answer: options.answer,
      confidence: options.confidence ?? 50,
      classScores: options.classScores,
      timeSpentMs: options.timeSpentMs ?? 12_000,
      ...(options.roi
        ? { roiImageId: options.roi.imageId, roiShape: "POINT" as const, roiGeometry: options.roi.geometry }
        : {}),
    },
  });
}
