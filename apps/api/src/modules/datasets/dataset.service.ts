import { Laterality, Subtype, ViewPosition, type Db, type Prisma, type Role, type Tx } from "@mammo/db";
import { z } from "zod";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";

// A dataset is a definition (filters) owned by a coordinating site; training only ever sees a
// frozen version of it (dataset-version.service.ts; what a filter selects: dataset-selection.ts).

/** Who sees a site's datasets: those who build them, train on them, or run the site. */
export const DATASET_VIEW_ROLES: Role[] = ["ADMIN", "COORDINATOR", "ML_ENGINEER"];

/** What one item is: a finding (the images of its breast), a breast, or an image. */
export const DATASET_UNITS = ["FINDING", "BREAST", "IMAGE"] as const;

export const datasetFilterSchema = z.object({
  /** Filters stored before units existed select findings. */
  unit: z.enum(DATASET_UNITS).default("FINDING"),
  siteIds: z.array(z.uuid()).min(1, "name at least one site").max(50),
  subtypes: z
    .array(z.enum(Subtype))
    .min(2, "name at least two classes")
    .max(6)
    .refine((s) => new Set(s).size === s.length, "each class once"),
  views: z.array(z.enum(ViewPosition)).min(1).optional(),
  lateralities: z.array(z.enum(Laterality)).min(1).optional(),
  /** Only units whose truth was adjudicated (not merely agreeing labels). */
  requireConsensus: z.boolean().optional(),
});
export type DatasetFilter = z.infer<typeof datasetFilterSchema>;
export type DatasetFilterInput = z.input<typeof datasetFilterSchema>;

/** The datasets the viewer may see. */
export function visibleDatasetsWhere(viewer: Viewer): Prisma.DatasetWhereInput {
  return { siteId: { in: siteIdsWithRole(viewer, ...DATASET_VIEW_ROLES) } };
}

/** The viewer must coordinate the dataset's site and every site its filter draws cases from. */
function assertMayDefine(viewer: Viewer, siteId: string, filterSiteIds: readonly string[]) {
  if (!hasRole(viewer, siteId, "COORDINATOR")) throw forbidden("only coordinators of the site can define its datasets");
  const foreign = filterSiteIds.filter((s) => !hasRole(viewer, s, "COORDINATOR"));
  if (foreign.length > 0) {
    throw new AppError("FORBIDDEN", "filter.siteIds: a dataset can only draw cases from sites you coordinate", {
      field: "filter.siteIds",
    });
  }
}

const createInput = z.object({
  siteId: z.uuid(),
  name: z.string().trim().min(1, "required").max(200),
  description: z.string().trim().max(2000).optional(),
  filter: datasetFilterSchema,
});

export async function createDataset(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof createInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(createInput, input);
  assertMayDefine(viewer, args.siteId, args.filter.siteIds);
  return db.$transaction(async (tx) => {
    if (
      await tx.dataset.findUnique({
        where: { siteId_name: { siteId: args.siteId, name: args.name } },
        select: { id: true },
      })
    ) {
      throw new AppError("CONFLICT", "name: the site already has a dataset of this name", { field: "name" });
    }
    const dataset = await tx.dataset.create({
      data: {
        siteId: args.siteId,
        name: args.name,
        description: args.description || null,
        filter: args.filter,
        createdById: viewer.userId,
      },
    });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: args.siteId,
      action: "dataset.create",
      entityType: "Dataset",
      entityId: dataset.id,
      after: dataset,
      requestId: audit.requestId,
    });
    return dataset;
  });
}

const updateInput = z.object({
  datasetId: z.uuid(),
  name: z.string().trim().min(1, "required").max(200).optional(),
  description: z.string().trim().max(2000).optional(),
  filter: datasetFilterSchema.optional(),
});

/** Changes the definition; frozen versions keep what they froze. */
export async function updateDataset(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof updateInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(updateInput, input);
  return db.$transaction(async (tx) => {
    const before = await getVisibleDataset(tx, viewer, args.datasetId);
    assertMayDefine(viewer, before.siteId, args.filter?.siteIds ?? storedSiteIds(before.filter));
    const after = await tx.dataset.update({
      where: { id: before.id },
      data: { name: args.name, description: args.description, filter: args.filter },
    });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: after.siteId,
      action: "dataset.update",
      entityType: "Dataset",
      entityId: after.id,
      before,
      after,
      requestId: audit.requestId,
    });
    return after;
  });
}

/** The sites of a stored filter, even one that no longer passes today's rules. */
function storedSiteIds(filter: unknown): string[] {
  const parsed = z.object({ siteIds: z.array(z.string()) }).safeParse(filter);
  return parsed.success ? parsed.data.siteIds : [];
}

export function parseStoredFilter(filter: unknown): DatasetFilter {
  const result = datasetFilterSchema.safeParse(filter);
  if (!result.success)
    throw new AppError("CONFLICT", "the dataset's stored filter is not valid any more; update the dataset's filter");
  return result.data;
}

export async function getVisibleDataset(db: Db | Tx, viewer: Viewer, datasetId: string) {
  const id = parseInput(z.uuid(), datasetId);
  const dataset = await db.dataset.findFirst({ where: { AND: [{ id }, visibleDatasetsWhere(viewer)] } });
  if (!dataset) throw notFound("dataset");
  return dataset;
}

export async function loadVisibleDatasets(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const rows = await db.dataset.findMany({ where: { AND: [{ id: { in: [...ids] } }, visibleDatasetsWhere(viewer)] } });
  return ids.map((id) => rows.find((d) => d.id === id) ?? null);
}

const cursor = z.object({ name: z.string(), id: z.uuid() });
const listInput = z.object({
  siteId: z.uuid().optional(),
  limit: z.number().int().min(1).max(201),
  after: cursor.optional(),
  before: cursor.optional(),
  inverted: z.boolean(),
});
export type DatasetCursor = z.infer<typeof cursor>;

/** A page of visible datasets by name. */
export async function listDatasets(db: Db, viewer: Viewer, input: z.input<typeof listInput>) {
  const args = parseInput(listInput, input);
  const keyset = (c: DatasetCursor, dir: "gt" | "lt"): Prisma.DatasetWhereInput => ({
    OR: [{ name: { [dir]: c.name } }, { name: c.name, id: { [dir]: c.id } }],
  });
  const and: Prisma.DatasetWhereInput[] = [visibleDatasetsWhere(viewer)];
  if (args.siteId) and.push({ siteId: args.siteId });
  if (args.after) and.push(keyset(args.after, "gt"));
  if (args.before) and.push(keyset(args.before, "lt"));
  const direction = args.inverted ? "desc" : "asc";
  return db.dataset.findMany({
    where: { AND: and },
    orderBy: [{ name: direction }, { id: direction }],
    take: args.limit,
  });
}
