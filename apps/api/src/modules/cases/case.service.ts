import type { Db, Prisma, Role } from "@mammo/db";
import { z } from "zod";
import { siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";

// Reading a case shows its pathology truth, so the READER role alone does not grant it: readers
// see cases only through the studies they are assigned to, blinded.
export const CASE_VIEW_ROLES: Role[] = ["ADMIN", "COORDINATOR", "ANNOTATOR", "ML_ENGINEER"];

/** The rows of Case this viewer may see: the where clause every case query starts from. */
export function visibleCasesWhere(viewer: Viewer): Prisma.CaseWhereInput {
  return { siteId: { in: siteIdsWithRole(viewer, ...CASE_VIEW_ROLES) } };
}

const listCasesInput = z.object({
  siteId: z.uuid().optional(),
  limit: z.number().int().min(1).max(201),
  after: z.object({ accessionKey: z.string(), id: z.uuid() }).optional(),
  before: z.object({ accessionKey: z.string(), id: z.uuid() }).optional(),
  inverted: z.boolean(),
});

export type CaseCursor = { accessionKey: string; id: string };

/** A page of cases ordered by (accessionKey, id), for cursor pagination. */
export async function listCases(db: Db, viewer: Viewer, input: z.input<typeof listCasesInput>) {
  const args = parseInput(listCasesInput, input);
  const keyset = (c: CaseCursor, dir: "gt" | "lt"): Prisma.CaseWhereInput => ({
    OR: [{ accessionKey: { [dir]: c.accessionKey } }, { accessionKey: c.accessionKey, id: { [dir]: c.id } }],
  });
  const and: Prisma.CaseWhereInput[] = [visibleCasesWhere(viewer)];
  if (args.siteId) and.push({ siteId: args.siteId });
  if (args.after) and.push(keyset(args.after, "gt"));
  if (args.before) and.push(keyset(args.before, "lt"));
  const direction = args.inverted ? "desc" : "asc";
  return db.case.findMany({
    where: { AND: and },
    orderBy: [{ accessionKey: direction }, { id: direction }],
    take: args.limit,
    include: { patient: { select: { pseudonym: true } } },
  });
}

export async function getCase(db: Db, viewer: Viewer, caseId: string) {
  const id = parseInput(z.uuid(), caseId);
  const found = await db.case.findFirst({
    where: { AND: [{ id }, visibleCasesWhere(viewer)] },
    include: { patient: { select: { pseudonym: true } } },
  });
  if (!found) throw notFound("case");
  return found;
}

/** Images of many cases in one query (for the GraphQL data loader). Caller has authorised the cases. */
export async function loadImagesByCaseIds(db: Db, caseIds: readonly string[]) {
  const images = await db.image.findMany({
    where: { caseId: { in: [...caseIds] } },
    orderBy: [{ laterality: "asc" }, { view: "asc" }, { createdAt: "asc" }],
  });
  return caseIds.map((id) => images.filter((image) => image.caseId === id));
}

/** The image if the viewer may see its case; used by the image HTTP route. */
export async function getVisibleImage(db: Db, viewer: Viewer, imageId: string) {
  const id = parseInput(z.uuid(), imageId);
  const image = await db.image.findFirst({ where: { id, case: visibleCasesWhere(viewer) } });
  if (!image) throw notFound("image");
  return image;
}
