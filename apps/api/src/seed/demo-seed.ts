import type { BlobStore } from "@mammo/storage";
import type { Db, Laterality, Role, Subtype, Tx, ViewPosition } from "@mammo/db";
import { generatePhantom } from "@mammo/ml-core/phantoms";
import sharp from "sharp";
import { hashPassword } from "../auth/password.ts";
import { seededRandom } from "../lib/seeded-random.ts";
import { freezeSelection } from "../modules/datasets/dataset-version.service.ts";
import { readerCaseOrder } from "../modules/studies/reader-order.ts";

export const DEMO_PASSWORD = "demo-password";

/** `alsoAt`: further sites where the user holds the same role (a multi-site study's coordinator). */
export type DemoAccount = { email: string; role: Role; site: string; alsoAt?: string[] };
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: "admin@north.example", role: "ADMIN", site: "NORTH" },
  { email: "coordinator@north.example", role: "COORDINATOR", site: "NORTH", alsoAt: ["SOUTH"] },
  { email: "annotator@north.example", role: "ANNOTATOR", site: "NORTH" },
  { email: "ml@north.example", role: "ML_ENGINEER", site: "NORTH" },
  { email: "reader1@north.example", role: "READER", site: "NORTH" },
  { email: "reader2@south.example", role: "READER", site: "SOUTH" },
  { email: "annotator@south.example", role: "ANNOTATOR", site: "SOUTH" },
];

const SITES = [
  { code: "NORTH", name: "North University Hospital", cases: 40 },
  { code: "SOUTH", name: "South General Hospital", cases: 20 },
];
const SUBTYPE_CYCLE: Subtype[] = [
  "TUBULE_FORMING",
  "SOLID",
  "SCIRRHOUS",
  "TUBULE_FORMING",
  "SOLID",
  "SCIRRHOUS",
  "NORMAL",
];
const VIEWS: { laterality: Laterality; view: ViewPosition }[] = [
  { laterality: "R", view: "CC" },
  { laterality: "L", view: "CC" },
  { laterality: "R", view: "MLO" },
  { laterality: "L", view: "MLO" },
];
const IMAGE_W = 256;
const IMAGE_H = 320;

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return (await db.site.count()) === 0;
}

type PlannedImage = {
  laterality: Laterality;
  view: ViewPosition;
  sha256: string;
  key: string;
  sizeBytes: number;
  outline?: [number, number][];
};
type PlannedCase = {
  site: string;
  accessionKey: string;
  pseudonym: string;
  subtype: Subtype;
  lesionSide: Laterality;
  images: PlannedImage[];
};
type Ids = { sites: Map<string, string>; users: Map<string, string> };
/** A seeded case: its lesion's finding (none for a normal case). */
type SeededCase = { id: string; subtype: Subtype; lesionFindingId: string | null };

const IDC_CLASSES: Subtype[] = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"];
const FRACTIONS = { train: 0.7, validation: 0.1, test: 0.2 };

/**
 * Demo data for `npm start` on an empty database: two sites, one user per role, 60 cases of four
 * views. Each lesion is a finding on one breast with its pathology label and its outline in CC
 * and MLO; every breast without a lesion is labelled NORMAL (follow-up). Two frozen dataset
 * versions (IDC subtypes by finding; normal or IDC by breast) and an open reader study of twelve
 * findings with two readers. Deterministic (fixed seeds).
 */
export async function seedDemo(db: Db, blobs: BlobStore, log: (line: string) => void = () => {}): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const random = seededRandom(20_200_333);
  // Images first (blob store writes are idempotent), then every row in one transaction.
  const planned = await renderDemoCases(blobs, random);
  log(`seed: rendered ${planned.length * 4} demo images`);
  await db.$transaction(
    async (tx) => {
      const ids = await createSitesAndUsers(tx, passwordHash);
      await tx.blob.createMany({
        data: planned
          .flatMap((c) => c.images)
          .map((i) => ({ sha256: i.sha256, sizeBytes: BigInt(i.sizeBytes), mediaType: "image/png" })),
        skipDuplicates: true,
      });
      const cases: SeededCase[] = [];
      for (const c of planned) cases.push(await createDemoCase(tx, c, ids, random));
      await createDemoDatasets(tx, ids);
      await createDemoStudy(tx, ids, cases);
      await tx.auditEvent.create({
        data: {
          action: "seed.demo",
          entityType: "Database",
          entityId: "demo",
          after: { sites: SITES.length, cases: cases.length },
        },
      });
    },
    { timeout: 120_000 },
  );
  log(`seed: ${planned.length} cases, ${DEMO_ACCOUNTS.length} users, 2 dataset versions, 1 reader study`);
}

/** ml-core's synthetic mammograms, four views per case: the lesion's morphology follows the subtype. */
async function renderDemoCases(blobs: BlobStore, random: () => number): Promise<PlannedCase[]> {
  const planned: PlannedCase[] = [];
  let n = 0;
  for (const site of SITES) {
    for (let i = 0; i < site.cases; i++, n++) {
      const subtype = SUBTYPE_CYCLE[n % SUBTYPE_CYCLE.length]!;
      const lesionSide: Laterality = random() < 0.5 ? "R" : "L";
      const images: PlannedImage[] = [];
      for (const v of VIEWS) {
        const hasLesion = subtype !== "NORMAL" && v.laterality === lesionSide;
        const phantom = generatePhantom({
          seed: `demo-${n}-${v.laterality}${v.view}`,
          subtype: hasLesion ? (subtype as "TUBULE_FORMING" | "SOLID" | "SCIRRHOUS") : "NORMAL",
          view: v.view as "CC" | "MLO",
          laterality: v.laterality,
          widthPx: IMAGE_W,
          heightPx: IMAGE_H,
        });
        const png = await sharp(phantom.image8, { raw: { width: IMAGE_W, height: IMAGE_H, channels: 1 } })
          .png()
          .toBuffer();
        const stored = await blobs.put(png);
        images.push({
          ...v,
          sha256: stored.sha256,
          key: stored.key,
          sizeBytes: stored.sizeBytes,
          outline: phantom.lesion ? simplifyOutline(phantom.lesion.outline) : undefined,
        });
      }
      planned.push({
        site: site.code,
        accessionKey: `${site.code.slice(0, 1)}-${String(i + 1).padStart(4, "0")}`,
        pseudonym: `${site.code.slice(0, 1)}P-${String(i + 1).padStart(4, "0")}`,
        subtype,
        lesionSide,
        images,
      });
    }
  }
  return planned;
}

async function createSitesAndUsers(tx: Tx, passwordHash: string): Promise<Ids> {
  const sites = new Map<string, string>();
  for (const s of SITES) sites.set(s.code, (await tx.site.create({ data: { code: s.code, name: s.name } })).id);
  const users = new Map<string, string>();
  for (const account of DEMO_ACCOUNTS) {
    const name = account.email.split("@")[0]!.replace(/^\w/, (c) => c.toUpperCase()) + ` (${account.site})`;
    const user = await tx.user.create({ data: { email: account.email, name, passwordHash } });
    for (const site of [account.site, ...(account.alsoAt ?? [])]) {
      await tx.membership.create({ data: { userId: user.id, siteId: sites.get(site)!, role: account.role } });
    }
    users.set(account.email, user.id);
  }
  return { sites, users };
}

/**
 * One case: patient, images, the lesion's finding (its label, outlined on both views of its
 * breast) and a NORMAL finding for each breast without a lesion.
 */
async function createDemoCase(tx: Tx, c: PlannedCase, ids: Ids, random: () => number): Promise<SeededCase> {
  const siteId = ids.sites.get(c.site)!;
  const annotatorId = ids.users.get(c.site === "NORTH" ? "annotator@north.example" : "annotator@south.example")!;
  const patient = await tx.patient.create({
    data: { siteId, pseudonym: c.pseudonym, dateShiftDays: -Math.round(random() * 365) },
  });
  const row = await tx.case.create({
    data: {
      siteId,
      patientId: patient.id,
      accessionKey: c.accessionKey,
      examDate: new Date(Date.UTC(2019, 0, 1 + Math.round(random() * 700))),
    },
  });
  const source = random() < 0.6 ? "SURGERY" : "BIOPSY";
  const specimenDate = new Date(Date.UTC(2019, 6, 1 + Math.round(random() * 500)));
  const lesion =
    c.subtype === "NORMAL"
      ? null
      : await tx.finding.create({
          data: { caseId: row.id, laterality: c.lesionSide, key: "F1", createdById: annotatorId },
        });
  if (lesion)
    await tx.pathologyLabel.create({
      data: { findingId: lesion.id, subtype: c.subtype, source, specimenDate, authorId: annotatorId },
    });
  for (const side of ["R", "L"] as const) {
    if (lesion && side === c.lesionSide) continue;
    const normal = await tx.finding.create({
      data: { caseId: row.id, laterality: side, key: `${side}-normal`, createdById: annotatorId },
    });
    await tx.pathologyLabel.create({
      data: { findingId: normal.id, subtype: "NORMAL", source: "FOLLOW_UP", authorId: annotatorId },
    });
  }
  for (const img of c.images) {
    const image = await tx.image.create({
      data: {
        caseId: row.id,
        laterality: img.laterality,
        view: img.view,
        widthPx: IMAGE_W,
        heightPx: IMAGE_H,
        pixelSpacingRowMm: 0.7,
        pixelSpacingColMm: 0.7,
        bitsStored: 8,
        photometric: "MONOCHROME2",
        sourceFormat: "PNG",
        contentSha256: img.sha256,
        storageKey: img.key,
      },
    });
    if (img.outline && lesion) {
      await tx.annotation.create({
        data: {
          imageId: image.id,
          authorId: annotatorId,
          purpose: "LESION",
          shape: "POLYGON",
          geometry: { points: img.outline },
          findingId: lesion.id,
        },
      });
    }
  }
  return { id: row.id, subtype: c.subtype, lesionFindingId: lesion?.id ?? null };
}

/**
 * Two datasets frozen by the platform's own SQL (dataset-selection.ts): the three IDC subtypes by
 * finding, and normal or IDC by breast; both split by patient.
 */
async function createDemoDatasets(tx: Tx, ids: Ids) {
  const coordinatorId = ids.users.get("coordinator@north.example")!;
  const siteIds = [...ids.sites.values()];
  const definitions = [
    {
      name: "IDC subtypes (demo)",
      description: "Tubule forming, solid and scirrhous findings of both sites (the images of each lesion's breast)",
      filter: { unit: "FINDING" as const, siteIds, subtypes: IDC_CLASSES },
    },
    {
      name: "Normal or IDC, by breast (demo)",
      description: "Every breast of both sites: normal, or the subtype of its lesion",
      filter: { unit: "BREAST" as const, siteIds, subtypes: ["NORMAL" as const, ...IDC_CLASSES] },
    },
  ];
  for (const d of definitions) {
    const dataset = await tx.dataset.create({
      data: {
        siteId: ids.sites.get("NORTH")!,
        name: d.name,
        description: d.description,
        filter: d.filter,
        createdById: coordinatorId,
      },
    });
    await freezeSelection(
      tx,
      dataset,
      d.filter,
      { seed: 42, fractions: FRACTIONS, folds: 4 },
      { createdById: coordinatorId },
    );
  }
}

/** An open reader study of twelve findings (the subtype of the marked lesion): reader 1 unaided, reader 2 aided. */
async function createDemoStudy(tx: Tx, ids: Ids, cases: SeededCase[]) {
  const study = await tx.readerStudy.create({
    data: {
      siteId: ids.sites.get("NORTH")!,
      name: "Demo reader study",
      description: "Two readers, twelve findings: the subtype of the marked lesion",
      status: "OPEN",
      unit: "FINDING",
      seed: 7,
      createdById: ids.users.get("coordinator@north.example")!,
      openedAt: new Date(),
    },
  });
  const unaided = await tx.studyArm.create({ data: { studyId: study.id, kind: "UNAIDED", name: "Unaided" } });
  const aided = await tx.studyArm.create({
    data: { studyId: study.id, kind: "AIDED", name: "AI-aided (sequential)" },
  });
  await tx.studyQuestion.createMany({
    data: [
      {
        studyId: study.id,
        kind: "SUBTYPE",
        prompt: "Pathological subtype of the marked lesion",
        options: IDC_CLASSES,
        position: 0,
      },
      { studyId: study.id, kind: "CONFIDENCE", prompt: "Confidence (0-100)", options: [], position: 1 },
      {
        studyId: study.id,
        kind: "ROI",
        prompt: "Mark the lesion (optional)",
        options: [],
        position: 2,
        isRequired: false,
      },
    ],
  });
  const chosen = cases.filter((c) => IDC_CLASSES.includes(c.subtype)).slice(0, 12);
  const studyCases = [];
  for (const [index, c] of chosen.entries()) {
    studyCases.push(
      await tx.studyCase.create({
        data: {
          studyId: study.id,
          caseId: c.id,
          findingId: c.lesionFindingId,
          code: `C-${String(index + 1).padStart(3, "0")}`,
        },
      }),
    );
  }
  for (const [email, arm] of [
    ["reader1@north.example", unaided],
    ["reader2@south.example", aided],
  ] as const) {
    const userId = ids.users.get(email)!;
    const reader = await tx.studyReader.create({ data: { studyId: study.id, userId, armId: arm.id } });
    await tx.readerCaseOrder.createMany({
      data: readerCaseOrder(studyCases, study.seed, userId).map((sc, position) => ({
        studyReaderId: reader.id,
        studyCaseId: sc.id,
        position,
      })),
    });
  }
}

/** At most 48 vertices, rounded to 0.1 px: an outline an annotator could have drawn. */
function simplifyOutline(points: readonly [number, number][]): [number, number][] {
  const step = Math.max(1, Math.ceil(points.length / 48));
  return points.filter((_, i) => i % step === 0).map(([x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10]);
}
