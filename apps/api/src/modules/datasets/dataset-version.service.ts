import { DatasetSplit, type Db, type Prisma, type Subtype, type Tx } from "@mammo/db";
import { z } from "zod";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { blindedCasesWhere } from "../cases/case.service.ts";
import {
  datasetCandidates,
  getVisibleDataset,
  parseStoredFilter,
  visibleDatasetsWhere,
  type Candidate,
} from "./dataset.service.ts";
import { datasetDigest, splitByPatient, type SplitItem } from "./split.ts";

const splitOptions = z
  .object({
    seed: z.number().int().min(0).max(2_147_483_647).default(42),
    fractions: z
      .object({ train: z.number().min(0).max(1), validation: z.number().min(0).max(1), test: z.number().min(0).max(1) })
      .default({ train: 0.7, validation: 0.1, test: 0.2 })
      .refine(
        (f) => Math.abs(f.train + f.validation + f.test - 1) < 1e-6,
        "train, validation and test must add up to 1",
      )
      .refine((f) => f.train > 0, "train must be more than 0"),
    folds: z.number().int().min(1).max(20).default(4),
  })
  .default({ seed: 42, fractions: { train: 0.7, validation: 0.1, test: 0.2 }, folds: 4 });
export type SplitOptions = z.infer<typeof splitOptions>;

type Planned = {
  items: (SplitItem & Candidate)[];
  classNames: Subtype[];
  digest: string;
  excluded: Awaited<ReturnType<typeof datasetCandidates>>["excluded"];
};

/** What freezing would produce now: the filter's images, split by patient, and the digest. */
async function plan(db: Db | Tx, filterJson: unknown, options: SplitOptions): Promise<Planned> {
  const filter = parseStoredFilter(filterJson);
  const { candidates, excluded } = await datasetCandidates(db, filter);
  const split = splitByPatient(candidates, { seed: options.seed, fractions: options.fractions, folds: options.folds });
  const items = split.map((item, i) => ({ ...item, ...candidates[i]! }));
  const present = new Set(items.map((i) => i.subtype));
  const classNames = filter.subtypes.filter((s) => present.has(s));
  return { items, classNames, digest: datasetDigest(items), excluded };
}

type Count = { siteId: string; subtype: Subtype; split: DatasetSplit; images: number; cases: number; patients: number };
function countBy(items: Planned["items"]): Count[] {
  const groups = new Map<
    string,
    { siteId: string; subtype: Subtype; split: DatasetSplit; images: number; cases: Set<string>; patients: Set<string> }
  >();
  for (const i of items) {
    const key = `${i.siteId}|${i.subtype}|${i.split}`;
    const g = groups.get(key) ?? {
      siteId: i.siteId,
      subtype: i.subtype,
      split: i.split,
      images: 0,
      cases: new Set(),
      patients: new Set(),
    };
    g.images++;
    g.cases.add(i.caseId);
    g.patients.add(i.patientId);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({
      siteId: g.siteId,
      subtype: g.subtype,
      split: g.split,
      images: g.images,
      cases: g.cases.size,
      patients: g.patients.size,
    }))
    .sort(
      (a, b) =>
        a.siteId.localeCompare(b.siteId) || a.subtype.localeCompare(b.subtype) || a.split.localeCompare(b.split),
    );
}

/**
 * Before freezing: class balance and the split per site (images, cases, patients), the excluded
 * cases and the digest a freeze would record. Writes nothing.
 */
export async function previewDataset(
  db: Db,
  viewer: Viewer,
  input: { datasetId: string; options?: z.input<typeof splitOptions> },
) {
  const dataset = await getVisibleDataset(db, viewer, input.datasetId);
  const options = parseInput(splitOptions, input.options ?? {});
  const planned = await plan(db, dataset.filter, options);
  return {
    itemCount: planned.items.length,
    caseCount: new Set(planned.items.map((i) => i.caseId)).size,
    patientCount: new Set(planned.items.map((i) => i.patientId)).size,
    classNames: planned.classNames,
    counts: countBy(planned.items),
    excluded: planned.excluded,
    digest: planned.digest,
  };
}

const freezeInput = z.object({
  datasetId: z.uuid(),
  options: splitOptions,
  note: z.string().trim().max(2000).optional(),
});

/**
 * Freezes the dataset's current selection into the next immutable version: items with their
 * truth, split and fold, and a content digest. Needs at least two classes with images.
 */
export async function freezeDatasetVersion(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof freezeInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(freezeInput, input);
  return db.$transaction(
    async (tx) => {
      const dataset = await getVisibleDataset(tx, viewer, args.datasetId);
      if (!hasRole(viewer, dataset.siteId, "COORDINATOR"))
        throw forbidden("only coordinators of the dataset's site can freeze it");
      const filter = parseStoredFilter(dataset.filter);
      if (!filter.siteIds.every((s) => hasRole(viewer, s, "COORDINATOR")))
        throw forbidden("a dataset can only draw cases from sites you coordinate");
      // One freeze of a dataset at a time: version numbers follow each other.
      await tx.$queryRaw`SELECT 1 FROM "Dataset" WHERE id = ${dataset.id}::uuid FOR UPDATE`;
      const planned = await plan(tx, dataset.filter, args.options);
      if (planned.classNames.length < 2) {
        throw new AppError(
          "VALIDATION",
          `filter: needs labelled images of at least two classes (found: ${planned.classNames.join(", ") || "none"})`,
          { field: "filter" },
        );
      }
      const last = await tx.datasetVersion.findFirst({
        where: { datasetId: dataset.id },
        orderBy: { version: "desc" },
        select: { version: true },
      });
      const version = await tx.datasetVersion.create({
        data: {
          datasetId: dataset.id,
          version: (last?.version ?? 0) + 1,
          digest: planned.digest,
          seed: args.options.seed,
          foldCount: args.options.folds,
          splitFractions: args.options.fractions,
          classNames: planned.classNames,
          itemCount: planned.items.length,
          note: args.note || null,
          createdById: viewer.userId,
        },
      });
      await tx.datasetItem.createMany({
        data: planned.items.map((i) => ({
          datasetVersionId: version.id,
          imageId: i.imageId,
          caseId: i.caseId,
          patientId: i.patientId,
          siteId: i.siteId,
          subtype: i.subtype,
          split: i.split,
          fold: i.fold,
        })),
      });
      await recordAudit(tx, {
        actorId: viewer.userId,
        siteId: dataset.siteId,
        action: "datasetVersion.create",
        entityType: "DatasetVersion",
        entityId: version.id,
        after: { ...version, filter: dataset.filter },
        requestId: audit.requestId,
      });
      return version;
    },
    { timeout: 60_000 },
  );
}

export function visibleVersionsWhere(viewer: Viewer): Prisma.DatasetVersionWhereInput {
  return { dataset: visibleDatasetsWhere(viewer) };
}

export async function getVisibleVersion(db: Db, viewer: Viewer, versionId: string) {
  const id = parseInput(z.uuid(), versionId);
  const version = await db.datasetVersion.findFirst({ where: { AND: [{ id }, visibleVersionsWhere(viewer)] } });
  if (!version) throw notFound("dataset version");
  return version;
}

/**
 * A dataset version at a site where the viewer is ML engineer: what a model may be evaluated on or
 * run over. Otherwise NOT_FOUND on the `datasetVersionId` field (existence elsewhere is not told).
 */
export async function getEngineerDatasetVersion(db: Db, viewer: Viewer, datasetVersionId: string | undefined) {
  const version = await db.datasetVersion.findFirst({
    where: { id: datasetVersionId, dataset: { siteId: { in: siteIdsWithRole(viewer, "ML_ENGINEER") } } },
  });
  if (!version)
    throw new AppError("NOT_FOUND", "datasetVersionId: dataset version not found", { field: "datasetVersionId" });
  return version;
}

export async function loadVisibleVersions(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const rows = await db.datasetVersion.findMany({
    where: { AND: [{ id: { in: [...ids] } }, visibleVersionsWhere(viewer)] },
  });
  return ids.map((id) => rows.find((v) => v.id === id) ?? null);
}

/** Versions of many datasets, newest first (data loader; the caller authorised the datasets). */
export async function loadVersionsByDatasetIds(db: Db, viewer: Viewer | null, datasetIds: readonly string[]) {
  if (!viewer) return datasetIds.map(() => []);
  const rows = await db.datasetVersion.findMany({
    where: { datasetId: { in: [...datasetIds] }, ...visibleVersionsWhere(viewer) },
    orderBy: { version: "desc" },
  });
  return datasetIds.map((id) => rows.filter((v) => v.datasetId === id));
}

/** Items per split, class and site of a version (one grouped query). */
export async function versionCounts(db: Db, versionId: string) {
  const groups = await db.datasetItem.groupBy({
    by: ["siteId", "subtype", "split"],
    where: { datasetVersionId: versionId },
    _count: { _all: true },
    orderBy: [{ siteId: "asc" }, { subtype: "asc" }, { split: "asc" }],
  });
  return groups.map((g) => ({ siteId: g.siteId, subtype: g.subtype, split: g.split, images: g._count._all }));
}

const itemsInput = z.object({
  versionId: z.uuid(),
  split: z.enum(DatasetSplit).optional(),
  fold: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(501),
  after: z.uuid().optional(),
  before: z.uuid().optional(),
  inverted: z.boolean(),
});

/**
 * A page of a version's items (by item id). Items of cases in an open study the viewer reads
 * are left out: an item carries the case's truth (blinding, see case.service.ts).
 */
export async function listVersionItems(db: Db, viewer: Viewer, input: z.input<typeof itemsInput>) {
  const args = parseInput(itemsInput, input);
  const version = await getVisibleVersion(db, viewer, args.versionId);
  const and: Prisma.DatasetItemWhereInput[] = [
    { datasetVersionId: version.id },
    { NOT: { case: blindedCasesWhere(viewer) } },
  ];
  if (args.split) and.push({ split: args.split });
  if (args.fold !== undefined) and.push({ fold: args.fold });
  if (args.after) and.push({ id: { gt: args.after } });
  if (args.before) and.push({ id: { lt: args.before } });
  return db.datasetItem.findMany({
    where: { AND: and },
    orderBy: { id: args.inverted ? "desc" : "asc" },
    take: args.limit,
  });
}
