import { DatasetSplit, Prisma, type Db, type Subtype, type Tx } from "@mammo/db";
import { z } from "zod";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { blindedCasesWhere } from "../cases/case.service.ts";
import {
  blindedCase,
  insertSelectedItems,
  ITEM_COUNTS,
  selectIntoTemporaryTable,
  summarizeSelection,
  type SelectionCount,
  type SelectionSummary,
} from "./dataset-selection.ts";
import { getVisibleDataset, parseStoredFilter, visibleDatasetsWhere, type DatasetFilter } from "./dataset.service.ts";

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

// Large selections take a while in SQL; the API holds none of it in memory.
const SELECTION_TIMEOUT_MS = 120_000;

/**
 * What the filter selects now, computed in SQL in `tx` (see dataset-selection.ts); without the
 * cases `blindedFor` is blinded to, when given (a preview for that viewer).
 */
async function select(tx: Tx, filter: DatasetFilter, options: SplitOptions, blindedFor?: string) {
  await selectIntoTemporaryTable(tx, filter, options, blindedFor);
  const summary = await summarizeSelection(tx);
  // Class index order is the filter's order, among the classes that have items.
  const classNames = filter.subtypes.filter((s) => summary.subtypes.includes(s));
  return { ...summary, classNames };
}

/**
 * Before freezing: class balance and the split per site (images, units, cases, patients), the
 * units left out and why, and the digest a freeze would record. Writes nothing. Cases of an open
 * study the viewer reads are left out of every figure (blinding: totals would reveal what the
 * rows hide).
 */
export async function previewDataset(
  db: Db,
  viewer: Viewer,
  input: { datasetId: string; options?: z.input<typeof splitOptions> },
): Promise<SelectionSummary & { classNames: Subtype[]; unit: DatasetFilter["unit"] }> {
  const dataset = await getVisibleDataset(db, viewer, input.datasetId);
  const options = parseInput(splitOptions, input.options ?? {});
  const filter = parseStoredFilter(dataset.filter);
  const summary = await db.$transaction((tx) => select(tx, filter, options, viewer.userId), {
    timeout: SELECTION_TIMEOUT_MS,
  });
  return { ...summary, unit: filter.unit };
}

const freezeInput = z.object({
  datasetId: z.uuid(),
  options: splitOptions,
  note: z.string().trim().max(2000).optional(),
});

/**
 * Freezes the dataset's current selection into the next immutable version, in one transaction:
 * items (unit, image, truth, split, fold) copied in SQL, and a content digest. Needs at least
 * two classes with items.
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
      const { version, excluded } = await freezeSelection(tx, dataset, filter, args.options, {
        createdById: viewer.userId,
        note: args.note,
      });
      await recordAudit(tx, {
        actorId: viewer.userId,
        siteId: dataset.siteId,
        action: "datasetVersion.create",
        entityType: "DatasetVersion",
        entityId: version.id,
        after: { ...version, filter: dataset.filter, excluded },
        requestId: audit.requestId,
      });
      return version;
    },
    { timeout: SELECTION_TIMEOUT_MS },
  );
}

/**
 * The dataset's next version, frozen from `filter` inside `tx`: the caller has checked who may
 * freeze and holds the dataset's row lock (the demo seed calls it too). Needs two classes.
 */
export async function freezeSelection(
  tx: Tx,
  dataset: { id: string },
  filter: DatasetFilter,
  options: SplitOptions,
  meta: { createdById: string; note?: string },
) {
  const selected = await select(tx, filter, options);
  if (selected.classNames.length < 2) {
    throw new AppError(
      "VALIDATION",
      `filter: needs labelled ${filter.unit.toLowerCase()}s of at least two classes (found: ${selected.classNames.join(", ") || "none"})`,
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
      digest: selected.digest,
      unit: filter.unit,
      seed: options.seed,
      foldCount: options.folds,
      splitFractions: options.fractions,
      classNames: selected.classNames,
      itemCount: selected.itemCount,
      note: meta.note || null,
      createdById: meta.createdById,
    },
  });
  await insertSelectedItems(tx, version.id);
  return { version, excluded: selected.excluded };
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

/**
 * Images, units, cases and patients per site, class and split of a version (one grouped query),
 * of the items the viewer may see: as `items`, none of a case in an open study the viewer reads.
 */
export async function versionCounts(db: Db, viewer: Viewer, versionId: string) {
  return db.$queryRaw<SelectionCount[]>`
    SELECT "siteId", subtype, split, ${ITEM_COUNTS}
    FROM "DatasetItem" item WHERE item."datasetVersionId" = ${versionId}::uuid
      AND NOT ${blindedCase(viewer.userId, Prisma.sql`item."caseId"`)}
    GROUP BY "siteId", subtype, split
    ORDER BY "siteId", subtype, split`;
}

/** How many items of each version the viewer may see (data loader: one grouped query). */
export async function loadVisibleItemCounts(db: Db, viewer: Viewer | null, versionIds: readonly string[]) {
  if (!viewer) return versionIds.map(() => 0);
  const groups = await db.datasetItem.groupBy({
    by: ["datasetVersionId"],
    where: { datasetVersionId: { in: [...versionIds] }, NOT: { case: blindedCasesWhere(viewer) } },
    _count: { _all: true },
  });
  return versionIds.map((id) => groups.find((g) => g.datasetVersionId === id)?._count._all ?? 0);
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
