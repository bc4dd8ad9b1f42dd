// Tiny phantom datasets for the trainer's tests: real rows (site, patients, cases, PNG images in
// the blob store, pathology labels, lesion outlines, a frozen dataset version) from ml-core's
// synthetic mammograms.
import { createHash, randomBytes } from "node:crypto";
import type { DatasetSplit, Db, Subtype } from "@mammo/db";
import type { BlobStore } from "@mammo/storage";
import sharp from "sharp";
import { generatePhantom } from "../src/ml/ml-core.ts";

const unique = () => randomBytes(4).toString("hex");

export type PhantomCase = {
  caseId: string;
  patientId: string;
  subtype: Subtype;
  split: DatasetSplit;
  labelId: string;
  images: {
    imageId: string;
    view: "CC" | "MLO";
    annotationId: string | null;
    lesionCentre: { x: number; y: number } | null;
  }[];
};

export type PhantomDatasetOptions = {
  classes: Subtype[];
  /** Cases per class in each split; every case is one patient with a CC and an MLO image of the lesion's breast. */
  perClass: { train: number; validation?: number; test: number };
  foldCount?: number;
  /** Classes that get TEST cases (default: all). */
  testClasses?: Subtype[];
  seed?: string;
  sizePx?: number;
};

/** A site, an ML engineer (also coordinator) and a frozen dataset version of phantom cases. */
export async function createPhantomDataset(db: Db, blobs: BlobStore, options: PhantomDatasetOptions) {
  const site = await db.site.create({ data: { code: `T${unique()}`.toUpperCase(), name: "Trainer test site" } });
  const user = await db.user.create({
    data: {
      email: `ml-${unique()}@test.example`,
      name: "ML engineer",
      memberships: {
        create: [
          { siteId: site.id, role: "ML_ENGINEER" },
          { siteId: site.id, role: "COORDINATOR" },
          { siteId: site.id, role: "ANNOTATOR" },
        ],
      },
    },
  });
  const seed = options.seed ?? unique();
  const size = options.sizePx ?? 64;
  const foldCount = options.foldCount ?? 2;
  const cases: PhantomCase[] = [];
  const items: {
    unitId: string;
    findingId: string;
    laterality: "R" | "L";
    imageId: string;
    caseId: string;
    patientId: string;
    subtype: Subtype;
    split: DatasetSplit;
    fold: number | null;
    sha: string;
  }[] = [];
  const splits: [DatasetSplit, number][] = [
    ["TRAIN", options.perClass.train],
    ["VALIDATION", options.perClass.validation ?? 0],
    ["TEST", options.perClass.test],
  ];
  let n = 0;
  for (const [split, count] of splits) {
    for (let i = 0; i < count; i++) {
      for (const subtype of options.classes) {
        if (split === "TEST" && options.testClasses && !options.testClasses.includes(subtype)) continue;
        n++;
        const key = `${seed}-${n}`;
        const patient = await db.patient.create({ data: { siteId: site.id, pseudonym: `P-${key}`, dateShiftDays: 0 } });
        const c = await db.case.create({ data: { siteId: site.id, patientId: patient.id, accessionKey: `A-${key}` } });
        const finding = await db.finding.create({
          data: { caseId: c.id, laterality: n % 2 ? "R" : "L", key: "F1", createdById: user.id },
        });
        const label = await db.pathologyLabel.create({
          data: { findingId: finding.id, authorId: user.id, subtype, source: "SURGERY" },
        });
        const phantomClass =
          subtype === "TUBULE_FORMING" || subtype === "SOLID" || subtype === "SCIRRHOUS" ? subtype : "NORMAL";
        const images: PhantomCase["images"] = [];
        for (const view of ["CC", "MLO"] as const) {
          const phantom = generatePhantom({
            seed: `${key}/${view}`,
            subtype: phantomClass,
            view,
            laterality: n % 2 ? "R" : "L",
            widthPx: size,
            heightPx: size,
          });
          const png = await sharp(phantom.image8, {
            raw: { width: phantom.width, height: phantom.height, channels: 1 },
          })
            .png()
            .toBuffer();
          const stored = await blobs.put(png);
          await db.blob.upsert({
            where: { sha256: stored.sha256 },
            create: { sha256: stored.sha256, sizeBytes: BigInt(stored.sizeBytes), mediaType: "image/png" },
            update: {},
          });
          const image = await db.image.create({
            data: {
              caseId: c.id,
              laterality: phantom.laterality,
              view,
              widthPx: phantom.width,
              heightPx: phantom.height,
              bitsStored: 8,
              photometric: "MONOCHROME2",
              sourceFormat: "PNG",
              contentSha256: stored.sha256,
              storageKey: stored.key,
            },
          });
          const annotation = phantom.lesion
            ? await db.annotation.create({
                data: {
                  imageId: image.id,
                  authorId: user.id,
                  purpose: "LESION",
                  shape: "POLYGON",
                  geometry: { points: phantom.lesion.outline },
                  findingId: finding.id,
                },
              })
            : null;
          images.push({
            imageId: image.id,
            view,
            annotationId: annotation?.id ?? null,
            lesionCentre: phantom.lesion?.centre ?? null,
          });
          items.push({
            unitId: finding.id,
            findingId: finding.id,
            laterality: phantom.laterality,
            imageId: image.id,
            caseId: c.id,
            patientId: patient.id,
            subtype,
            split,
            fold: split === "TEST" ? null : i % foldCount,
            sha: stored.sha256,
          });
        }
        cases.push({ caseId: c.id, patientId: patient.id, subtype, split, labelId: label.id, images });
      }
    }
  }
  const dataset = await db.dataset.create({
    data: { siteId: site.id, name: `phantoms-${seed}`, filter: { siteIds: [site.id] }, createdById: user.id },
  });
  const digest = createHash("sha256")
    .update(
      items
        .map((i) => [i.sha, i.imageId, i.unitId, i.subtype, i.split, i.fold ?? ""].join("\t"))
        .sort()
        .join("\n"),
    )
    .digest("hex");
  const version = await db.datasetVersion.create({
    data: {
      datasetId: dataset.id,
      version: 1,
      digest,
      unit: "FINDING",
      seed: 1,
      foldCount,
      splitFractions: { train: 0.6, validation: 0.1, test: 0.3 },
      classNames: options.classes,
      itemCount: items.length,
      createdById: user.id,
      items: { create: items.map(({ sha: _sha, ...item }) => ({ ...item, siteId: site.id })) },
    },
  });
  return { site, user, dataset, version, cases };
}

/** Tiny and fast: the pipeline, not the network, is under test (a 1/32-width VGG-16 at 32 px). */
export const TINY_PARAMS = {
  epochs: 2,
  batchSize: 4,
  folds: 2,
  preprocessing: { inputSize: 32 },
  model: { widthScale: 1 / 32, denseUnits: 8 },
  optimizer: { learningRate: 1e-3 },
  augmentation: null,
};

/** A QUEUED training run of the quick preset on a dataset version (as the API would create it, without the job). */
export async function createTrainingRun(
  db: Db,
  options: {
    siteId: string;
    datasetVersionId: string;
    requestedById: string;
    params?: Record<string, unknown>;
    seed?: number;
  },
) {
  return db.trainingRun.create({
    data: {
      siteId: options.siteId,
      datasetVersionId: options.datasetVersionId,
      preset: "quick",
      params: (options.params ?? TINY_PARAMS) as object,
      seed: options.seed ?? 5,
      requestedById: options.requestedById,
    },
  });
}
