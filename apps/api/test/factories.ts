// Test data factories: unique values per call, so tests never collide.
import { randomBytes } from "node:crypto";
import type { Db, Laterality, Role, Subtype, ViewPosition } from "@mammo/db";
import type { BlobStore } from "@mammo/storage";
import sharp from "sharp";

const unique = () => randomBytes(4).toString("hex");

export async function createSite(db: Db, code = `S${unique()}`.toUpperCase()) {
  return db.site.create({ data: { code, name: `Site ${code}` } });
}

export async function createUser(
  db: Db,
  memberships: { siteId: string; role: Role }[],
  options: { email?: string; passwordHash?: string } = {},
) {
  return db.user.create({
    data: {
      email: options.email ?? `user-${unique()}@test.example`,
      name: `User ${unique()}`,
      passwordHash: options.passwordHash,
      memberships: { create: memberships },
    },
  });
}

const FOUR_VIEWS: { laterality: Laterality; view: ViewPosition }[] = [
  { laterality: "R", view: "CC" },
  { laterality: "L", view: "CC" },
  { laterality: "R", view: "MLO" },
  { laterality: "L", view: "MLO" },
];

/** A case with four small, distinct PNG images stored in the blob store (of one breast when `lateralities` says so). */
export async function createCase(
  db: Db,
  blobs: BlobStore,
  siteId: string,
  options: { patientId?: string; lateralities?: Laterality[] } = {},
) {
  const key = unique();
  const patientId =
    options.patientId ?? (await db.patient.create({ data: { siteId, pseudonym: `P-${key}`, dateShiftDays: 0 } })).id;
  const c = await db.case.create({ data: { siteId, patientId, accessionKey: `A-${key}` } });
  for (const [index, v] of FOUR_VIEWS.entries()) {
    if (options.lateralities && !options.lateralities.includes(v.laterality)) continue;
    const png = await sharp(Buffer.alloc(8 * 10, 40 * index + 1), { raw: { width: 8, height: 10, channels: 1 } })
      .png()
      .toBuffer();
    const stored = await blobs.put(png);
    await db.image.create({
      data: {
        caseId: c.id,
        ...v,
        widthPx: 8,
        heightPx: 10,
        bitsStored: 8,
        photometric: "MONOCHROME2",
        sourceFormat: "PNG",
        contentSha256: stored.sha256,
        storageKey: stored.key,
      },
    });
  }
  return c;
}

/** The Relay global id of a row, as the API exposes it. */
export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

/** The case's finding with this key (by default the breast's letter), created on that breast if new. */
export async function findingOf(
  db: Db,
  caseId: string,
  authorId: string,
  laterality: Laterality = "R",
  key: string = laterality,
) {
  return db.finding.upsert({
    where: { caseId_key: { caseId, key } },
    update: {},
    create: { caseId, laterality, key, createdById: authorId },
  });
}

/**
 * A pathology label (as an annotator of the case's site would add it), on the case's finding of
 * the given breast ("R" unless said; `findingId` names another finding): labels of one breast
 * made here describe one lesion, so two that disagree are a CONFLICT.
 */
export async function createLabel(
  db: Db,
  caseId: string,
  authorId: string,
  subtype: Subtype = "SCIRRHOUS",
  extra: { replacesId?: string; note?: string; laterality?: Laterality; findingId?: string } = {},
) {
  const { laterality, findingId, ...rest } = extra;
  return db.pathologyLabel.create({
    data: {
      findingId: findingId ?? (await findingOf(db, caseId, authorId, laterality)).id,
      authorId,
      subtype,
      source: "SURGERY",
      specimenDate: new Date("2020-01-02"),
      ...rest,
    },
  });
}

/** A lesion box on an image, outlining `findingId` when given. */
export async function createAnnotation(db: Db, imageId: string, authorId: string, findingId?: string) {
  return db.annotation.create({
    data: {
      imageId,
      authorId,
      purpose: "LESION",
      shape: "BOX",
      geometry: { x: 1, y: 1, width: 3, height: 4 },
      findingId,
    },
  });
}

/** A dataset of the site and one frozen version holding every image of the given cases (IMAGE units). */
export async function createFrozenDataset(
  db: Db,
  siteId: string,
  createdById: string,
  cases: { id: string; patientId: string; subtype: Subtype }[],
) {
  const dataset = await db.dataset.create({
    data: {
      siteId,
      name: `Dataset ${unique()}`,
      filter: {
        unit: "IMAGE",
        siteIds: [siteId],
        subtypes: [...new Set([...cases.map((c) => c.subtype), "SOLID", "SCIRRHOUS"])],
      },
      createdById,
    },
  });
  const images = await db.image.findMany({ where: { caseId: { in: cases.map((c) => c.id) } } });
  const version = await db.datasetVersion.create({
    data: {
      datasetId: dataset.id,
      version: 1,
      digest: "0".repeat(64),
      unit: "IMAGE",
      seed: 1,
      foldCount: 1,
      splitFractions: { train: 1, validation: 0, test: 0 },
      classNames: [...new Set(cases.map((c) => c.subtype))],
      itemCount: images.length,
      createdById,
      items: {
        create: images.map((image) => {
          const c = cases.find((x) => x.id === image.caseId)!;
          return {
            unitId: image.id,
            imageId: image.id,
            laterality: image.laterality,
            caseId: c.id,
            patientId: c.patientId,
            siteId,
            subtype: c.subtype,
            split: "TRAIN" as const,
            fold: 0,
          };
        }),
      },
    },
  });
  return { dataset, version };
}
