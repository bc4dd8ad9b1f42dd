import { createClassifier } from "@mammo/ml-core";
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { inferCommand } from "../src/cli/commands.ts";
import { loadDatasetVersion } from "../src/data/dataset-version.ts";
import { classifierToBytes, encodeHeatmapPng, generatePhantom, HEATMAP_PNG_SIZE } from "../src/ml/ml-core.ts";
import { encodeEnsembleArtifact, type EnsembleManifest } from "../src/registry/ensemble-artifact.ts";
import { MEDIA_TYPES, putBlob } from "../src/shared/blob-rows.ts";
import { useCliEnvironment } from "./trainer-harness.ts";

// Archive scale (issue 18): a dataset version of more images (and cases) than one SQL statement
// may carry bind parameters (Prisma 7 stops at 32 766) goes through inference and concordance, and
// loads for training. The rows are made with SQL: 40 004 cases of one view each, sharing one stored
// PNG, each with a lesion outline. 40 000 images already have a prediction, a heatmap and its
// concordance from an earlier run (as after a worker gave the job back), so the network runs on 4
// images while every list the run builds (target images, existing predictions, regions, measured
// pairs, the pairs' cases) spans all of them.
const IMAGES = 40_004;
const NEW_IMAGES = 4;
const LAYER = "block5_conv3";

const env = useCliEnvironment();

/** Site, ML engineer, 40 004 one-image cases, a frozen dataset version of all of them, a tiny model version. */
async function createArchive() {
  const { db } = env.database;
  const site = await db.site.create({ data: { code: "SCALE", name: "Archive-scale site" } });
  const user = await db.user.create({
    data: {
      email: "ml@scale.example",
      name: "ML engineer",
      memberships: { create: [{ siteId: site.id, role: "ML_ENGINEER" }] },
    },
  });
  const phantom = generatePhantom({
    seed: "scale",
    subtype: "SOLID",
    view: "CC",
    laterality: "R",
    widthPx: 64,
    heightPx: 64,
  });
  const png = await sharp(phantom.image8, { raw: { width: 64, height: 64, channels: 1 } })
    .png()
    .toBuffer();
  const stored = await putBlob(db, env.blobDir.blobs, png, "image/png");
  await db.$executeRaw`
    INSERT INTO "Patient" ("siteId", pseudonym, "dateShiftDays")
    SELECT ${site.id}::uuid, 'P-' || g, 0 FROM generate_series(1, ${IMAGES}::int) g`;
  await db.$executeRaw`
    INSERT INTO "Case" ("siteId", "patientId", "accessionKey", "updatedAt")
    SELECT "siteId", id, 'A-' || pseudonym, now() FROM "Patient" WHERE "siteId" = ${site.id}::uuid`;
  await db.$executeRaw`
    INSERT INTO "Image" ("caseId", laterality, view, "widthPx", "heightPx", "bitsStored", photometric,
      "sourceFormat", "contentSha256", "storageKey")
    SELECT c.id, 'R', 'CC', 64, 64, 8, 'MONOCHROME2', 'PNG', encode(sha256(c.id::text::bytea), 'hex'), ${stored.key}
    FROM "Case" c WHERE c."siteId" = ${site.id}::uuid`;
  await db.$executeRaw`
    INSERT INTO "Annotation" ("imageId", "authorId", purpose, shape, geometry, "updatedAt")
    SELECT i.id, ${user.id}::uuid, 'LESION', 'ELLIPSE', '{"cx": 40, "cy": 30, "rx": 8, "ry": 6, "rotationRad": 0}', now()
    FROM "Image" i JOIN "Case" c ON c.id = i."caseId" WHERE c."siteId" = ${site.id}::uuid`;
  const dataset = await db.dataset.create({
    data: { siteId: site.id, name: "archive", filter: { siteIds: [site.id] }, createdById: user.id },
  });
  const version = await db.datasetVersion.create({
    data: {
      datasetId: dataset.id,
      version: 1,
      digest: "0".repeat(64),
      unit: "CASE",
      seed: 1,
      foldCount: 1,
      splitFractions: { train: 1, validation: 0, test: 0 },
      classNames: ["SOLID", "SCIRRHOUS"],
      itemCount: IMAGES,
      createdById: user.id,
    },
  });
  await db.$executeRaw`
    INSERT INTO "DatasetItem" ("datasetVersionId", "unitId", "imageId", "caseId", "patientId", "siteId", subtype, split, fold)
    SELECT ${version.id}::uuid, c.id, i.id, c.id, c."patientId", c."siteId",
      (CASE WHEN c."accessionKey" < 'A-P-5' THEN 'SOLID' ELSE 'SCIRRHOUS' END)::"Subtype", 'TRAIN', 0
    FROM "Image" i JOIN "Case" c ON c.id = i."caseId" WHERE c."siteId" = ${site.id}::uuid`;

  const preprocessing = {
    inputSize: 32,
    resize: "square" as const,
    resample: "box-bilinear" as const,
    bitDepth: 8 as const,
    normalization: "unit" as const,
  };
  const classifier = createClassifier({
    classNames: ["SOLID", "SCIRRHOUS"],
    preprocessing,
    head: "study",
    seed: 7,
    widthScale: 1 / 32,
    denseUnits: 8,
  });
  const foldTar = await classifierToBytes(classifier);
  classifier.model.dispose();
  const manifest = {
    format: "mammo-ensemble",
    version: 1,
    combine: "sum-softmax",
    classNames: ["SOLID", "SCIRRHOUS"],
    preprocessing,
    gradCamLayer: LAYER,
    models: [{ fold: 0, file: "fold-0.tar", bestEpoch: null }],
    lineage: { datasetVersionId: version.id, note: "random weights: the lists are under test, not the network" },
  } as unknown as EnsembleManifest;
  const artifact = await putBlob(db, env.blobDir.blobs, encodeEnsembleArtifact(manifest, [foldTar]), MEDIA_TYPES.model);
  const model = await db.modelVersion.create({
    data: {
      siteId: site.id,
      name: "archive-model",
      version: 1,
      datasetVersionId: version.id,
      datasetDigest: version.digest,
      artifactKey: artifact.key,
      artifactSha256: artifact.sha256,
      classNames: ["SOLID", "SCIRRHOUS"],
      inputSizePx: 32,
      preset: "quick",
      params: {},
      metrics: {},
      codeRevision: "test",
      backend: "test",
      seed: 7,
      trainingStartedAt: new Date(),
      trainingFinishedAt: new Date(),
      createdById: user.id,
    },
  });
  return { site, user, version, model };
}

/**
 * An earlier run's work on every image but the `NEW_IMAGES` last ones (by accession key): a
 * prediction, its GRAD_CAM heatmap (one stored PNG) and the heatmap's concordance with the outline.
 */
async function createEarlierWork(modelVersionId: string, siteId: string) {
  const { db } = env.database;
  const data = new Float32Array(16 * 16).map((_, i) => (i % 16) / 15);
  const heatmap = await putBlob(
    db,
    env.blobDir.blobs,
    await encodeHeatmapPng({ width: 16, height: 16, data }, HEATMAP_PNG_SIZE),
    MEDIA_TYPES.heatmap,
  );
  await db.$executeRaw`
    INSERT INTO "Prediction" ("modelVersionId", "imageId", probabilities, "predictedClass")
    SELECT ${modelVersionId}::uuid, i.id, ARRAY[0.6, 0.4]::float8[], 'SOLID'
    FROM "Image" i JOIN "Case" c ON c.id = i."caseId"
    WHERE c."siteId" = ${siteId}::uuid
    ORDER BY c."accessionKey" LIMIT ${IMAGES - NEW_IMAGES}::int`;
  await db.$executeRaw`
    INSERT INTO "SaliencyMap" ("predictionId", method, "layerName", "classIndex", "storageKey", "widthPx", "heightPx")
    SELECT p.id, 'GRAD_CAM', ${LAYER}, 0, ${heatmap.key}, ${HEATMAP_PNG_SIZE}, ${HEATMAP_PNG_SIZE}
    FROM "Prediction" p WHERE p."modelVersionId" = ${modelVersionId}::uuid`;
  await db.$executeRaw`
    INSERT INTO "ConcordanceResult" ("saliencyMapId", source, "annotationId", "isPointingHit", "energyInside", iou, "iouThreshold")
    SELECT m.id, 'ANNOTATION', a.id, false, 0.1, 0.05, 0.5
    FROM "SaliencyMap" m JOIN "Prediction" p ON p.id = m."predictionId" JOIN "Annotation" a ON a."imageId" = p."imageId"
    WHERE p."modelVersionId" = ${modelVersionId}::uuid`;
}

describe("archive scale: past the bind-parameter limit", () => {
  it(
    `infers and compares heatmaps over a dataset version of ${IMAGES} images, and loads it for training`,
    { timeout: 300_000 },
    async () => {
      const { db } = env.database;
      const { site, user, version, model } = await createArchive();
      await createEarlierWork(model.id, site.id);

      const printed: string[] = [];
      const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (printed.push(String(chunk)), true));
      let code: number;
      try {
        code = await inferCommand({ "model-version": model.id, "dataset-version": version.id, as: user.email });
      } finally {
        spy.mockRestore();
      }
      const output = printed.join("");
      expect(output).not.toMatch(/parameter limit/);
      expect(code).toBe(0);
      expect(output).toContain(`succeeded, ${NEW_IMAGES} new prediction(s) with heatmaps`);
      // Every outline compared once: the earlier pairs kept, the new images' pairs measured now; the
      // summary's pairs (loadConcordancePairs) span all 40 004 cases.
      expect(output).toContain(`concordance: ${IMAGES} heatmap-region pairs`);
      const run = await db.inferenceRun.findFirstOrThrow({ where: { modelVersionId: model.id } });
      expect(await db.prediction.count({ where: { modelVersionId: model.id } })).toBe(IMAGES);
      expect(await db.prediction.count({ where: { inferenceRunId: run.id } })).toBe(NEW_IMAGES);
      expect(await db.concordanceResult.count()).toBe(IMAGES);

      // What training and evaluation load: every item, with its image and case.
      const loaded = await loadDatasetVersion(db, version.id);
      expect(loaded.examples).toHaveLength(IMAGES);
      expect(new Set(loaded.examples.map((e) => e.image.accessionKey)).size).toBe(IMAGES);
    },
  );
});
