import { Laterality, READABLE_IMAGE, Subtype, ViewPosition, type Db, type Prisma } from "@mammo/db";
import { z } from "zod";
import { siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { LABEL_STATUSES, labelStatusWhere, truthWhere } from "../pathology/case-truth.ts";

// The case-visibility and blinding rules are shared with the CLIs (@mammo/access): readers see
// cases only through the studies they are assigned to, blinded, whatever other roles they hold.
import { visibleCasesWhere } from "@mammo/access";

export { blindedCasesWhere, CASE_VIEW_ROLES, visibleCasesWhere } from "@mammo/access";

const caseFilter = z.object({
  siteId: z.uuid().optional(),
  subtype: z.enum(Subtype).optional(),
  labelStatus: z.enum(LABEL_STATUSES).optional(),
  datasetVersionId: z.uuid().optional(),
  studyId: z.uuid().optional(),
  search: z.string().trim().max(100).optional(),
});
export type CaseFilter = z.input<typeof caseFilter>;

const cursor = z.object({ accessionKey: z.string(), id: z.uuid() });
const listCasesInput = z.object({
  filter: caseFilter.default({}),
  limit: z.number().int().min(1).max(201),
  after: cursor.optional(),
  before: cursor.optional(),
  inverted: z.boolean(),
});

export type CaseCursor = z.infer<typeof cursor>;

/** The where clause of a filter (each one narrows; authorisation is added by the caller). */
export function caseFilterWhere(filter: z.infer<typeof caseFilter>): Prisma.CaseWhereInput[] {
  const and: Prisma.CaseWhereInput[] = [];
  if (filter.siteId) and.push({ siteId: filter.siteId });
  if (filter.subtype) and.push(truthWhere([filter.subtype]));
  if (filter.labelStatus) and.push(labelStatusWhere(filter.labelStatus));
  if (filter.datasetVersionId) and.push({ datasetItems: { some: { datasetVersionId: filter.datasetVersionId } } });
  if (filter.studyId) and.push({ studyCases: { some: { studyId: filter.studyId } } });
  if (filter.search) and.push({ accessionKey: { contains: filter.search, mode: "insensitive" } });
  return and;
}

const withPatient = { patient: { select: { pseudonym: true } } } as const;

/** A page of cases ordered by (accessionKey, id), for cursor pagination. */
export async function listCases(db: Db, viewer: Viewer, input: z.input<typeof listCasesInput>) {
  const args = parseInput(listCasesInput, input);
  const keyset = (c: CaseCursor, dir: "gt" | "lt"): Prisma.CaseWhereInput => ({
    OR: [{ accessionKey: { [dir]: c.accessionKey } }, { accessionKey: c.accessionKey, id: { [dir]: c.id } }],
  });
  const and: Prisma.CaseWhereInput[] = [visibleCasesWhere(viewer), ...caseFilterWhere(args.filter)];
  if (args.after) and.push(keyset(args.after, "gt"));
  if (args.before) and.push(keyset(args.before, "lt"));
  const direction = args.inverted ? "desc" : "asc";
  return db.case.findMany({
    where: { AND: and },
    orderBy: [{ accessionKey: direction }, { id: direction }],
    take: args.limit,
    include: withPatient,
  });
}

/**
 * The cases around one in the case list's order (accession key, id), among the cases the viewer
 * sees: the previous, the next, and the next one without a pathology label (from the start again
 * past the end), for going through cases one after another.
 */
export async function caseNeighbours(db: Db, viewer: Viewer, current: { id: string; accessionKey: string }) {
  // (accessionKey, id) > (k, id), written so that the range on accessionKey alone is a condition
  // of the (accessionKey, id) index: PostgreSQL reads one row from there instead of a scan.
  const after: Prisma.CaseWhereInput = {
    accessionKey: { gte: current.accessionKey },
    OR: [{ accessionKey: { gt: current.accessionKey } }, { id: { gt: current.id } }],
  };
  const before: Prisma.CaseWhereInput = {
    accessionKey: { lte: current.accessionKey },
    OR: [{ accessionKey: { lt: current.accessionKey } }, { id: { lt: current.id } }],
  };
  const visible = visibleCasesWhere(viewer);
  const unlabelled = labelStatusWhere("UNLABELLED");
  const first = (where: Prisma.CaseWhereInput[], direction: "asc" | "desc") =>
    db.case.findFirst({
      where: { AND: [visible, ...where] },
      orderBy: [{ accessionKey: direction }, { id: direction }],
      include: withPatient,
    });
  const [previous, next, nextUnlabelled] = await Promise.all([
    first([before], "desc"),
    first([after], "asc"),
    first([after, unlabelled], "asc"),
  ]);
  const wrapped = nextUnlabelled ?? (await first([unlabelled, { id: { not: current.id } }], "asc"));
  return { previous, next, nextUnlabelled: wrapped };
}

export async function getCase(db: Db, viewer: Viewer, caseId: string) {
  const id = parseInput(z.uuid(), caseId);
  const found = await db.case.findFirst({ where: { AND: [{ id }, visibleCasesWhere(viewer)] }, include: withPatient });
  if (!found) throw notFound("case");
  return found;
}

/** Cases by id that the viewer may see (node lookup; null where not visible). */
export async function loadVisibleCases(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const cases = await db.case.findMany({
    where: { AND: [{ id: { in: [...ids] } }, visibleCasesWhere(viewer)] },
    include: withPatient,
  });
  return ids.map((id) => cases.find((c) => c.id === id) ?? null);
}

const imageSelection = z.object({ laterality: z.enum(Laterality).optional(), view: z.enum(ViewPosition).optional() });

/**
 * Images of many cases in one query (data loader), hung in reading order (R before L, CC before
 * MLO). Only images of cases the viewer may see.
 */
export async function loadImagesByCaseIds(db: Db, viewer: Viewer | null, caseIds: readonly string[]) {
  if (!viewer) return caseIds.map(() => []);
  const images = await db.image.findMany({
    where: { caseId: { in: [...caseIds] }, case: visibleCasesWhere(viewer) },
    orderBy: [{ laterality: "asc" }, { view: "asc" }, { createdAt: "asc" }],
  });
  return caseIds.map((id) => images.filter((image) => image.caseId === id));
}

/** Narrows a case's images to one laterality and/or view (validated arguments). */
export function selectImages<T extends { laterality: Laterality; view: ViewPosition }>(
  images: T[],
  selection: z.input<typeof imageSelection>,
): T[] {
  const { laterality, view } = parseInput(imageSelection, selection);
  return images.filter((i) => (!laterality || i.laterality === laterality) && (!view || i.view === view));
}

/** Images by id that the viewer may see in the case browser (node lookup). */
export async function loadVisibleImages(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const images = await db.image.findMany({ where: { id: { in: [...ids] }, case: visibleCasesWhere(viewer) } });
  return ids.map((id) => images.find((i) => i.id === id) ?? null);
}

/**
 * The image if the viewer may see it; used by the image HTTP route. Allowed: images of cases
 * the viewer sees in the case browser; the active images of a study's cases to the study's
 * assigned readers (study OPEN or CLOSED) and to the coordinators of the study's site. Nothing
 * else. Throws NOT_FOUND otherwise (never saying whether the image exists). `isStudyOnly`: the
 * viewer sees it only through a study (reading material: never kept in a browser cache).
 */
export async function getVisibleImage(db: Db, viewer: Viewer, imageId: string) {
  const id = parseInput(z.uuid(), imageId);
  const inCaseBrowser = await db.image.findFirst({ where: { id, case: visibleCasesWhere(viewer) } });
  if (inCaseBrowser) return { ...inCaseBrowser, isStudyOnly: false };
  const viaStudy: Prisma.ReaderStudyWhereInput = {
    OR: [
      { status: { in: ["OPEN", "CLOSED"] }, readers: { some: { userId: viewer.userId } } },
      { siteId: { in: siteIdsWithRole(viewer, "COORDINATOR") } },
    ],
  };
  const image = await db.image.findFirst({
    where: {
      id,
      ...READABLE_IMAGE,
      case: { studyCases: { some: { study: viaStudy } } },
    },
  });
  if (!image) throw notFound("image");
  return { ...image, isStudyOnly: true };
}
