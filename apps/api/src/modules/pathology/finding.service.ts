import { Laterality, type Db, type Role, type Tx } from "@mammo/db";
import { z } from "zod";
import { hasRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";

// A finding is one lesion (or the statement that a breast is normal) in one breast of a case: its
// labels, consensus decisions and regions belong to it, and its truth is kept by the database
// (case-truth.ts). Annotators of the case's site create and place findings.
export const FINDING_WRITE_ROLES: Role[] = ["ANNOTATOR"];

export type AuditContext = { requestId?: string };
export type PathologyTarget = { id: string; siteId: string };

/**
 * The case, if the viewer sees it and holds one of `roles` at its site, locked for the rest of
 * the transaction: changes to one case's findings, labels and decisions happen one at a time
 * (the truth triggers lock the case row too, in the same order).
 */
export async function lockCaseForPathology(
  tx: Tx,
  viewer: Viewer,
  caseId: string,
  roles: Role[],
  action: string,
): Promise<PathologyTarget> {
  const target = await tx.case.findFirst({
    where: { AND: [{ id: caseId }, visibleCasesWhere(viewer)] },
    select: { id: true, siteId: true },
  });
  if (!target) throw notFound("case");
  if (!hasRole(viewer, target.siteId, ...roles))
    throw forbidden(`only ${roles.join(" or ").toLowerCase()}s of the case's site can ${action}`);
  await tx.$queryRaw`SELECT 1 FROM "Case" WHERE id = ${target.id}::uuid FOR UPDATE`;
  return target;
}

/** A finding of a case the viewer sees, with its case locked (see lockCaseForPathology). */
export async function lockFindingForPathology(
  tx: Tx,
  viewer: Viewer,
  findingId: string,
  roles: Role[],
  action: string,
) {
  const finding = await tx.finding.findFirst({ where: { id: findingId, case: visibleCasesWhere(viewer) } });
  if (!finding) throw notFound("finding");
  const target = await lockCaseForPathology(tx, viewer, finding.caseId, roles, action);
  return { finding, target };
}

/** Refuses a breast the case has no image of: a finding there could never be seen or read. */
export async function assertBreastImaged(tx: Tx, caseId: string, laterality: Laterality, field: string) {
  const image = await tx.image.findFirst({ where: { caseId, laterality }, select: { id: true } });
  if (!image)
    throw new AppError("VALIDATION", `${field}: the case has no image of the ${laterality} breast`, { field });
}

/** The next free "F<n>" key of a case. */
async function nextFindingKey(tx: Tx, caseId: string) {
  const keys = new Set((await tx.finding.findMany({ where: { caseId }, select: { key: true } })).map((f) => f.key));
  let n = keys.size + 1;
  while (keys.has(`F${n}`)) n++;
  return `F${n}`;
}

const findingKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._#-]{0,63}$/, "1-64 letters, digits, spaces, '.', '_', '#' or '-'");
const createInput = z.object({
  caseId: z.uuid(),
  laterality: z.enum(Laterality),
  key: findingKey.optional(),
  note: z.string().trim().max(2000).optional(),
});
export type CreateFindingInput = z.input<typeof createInput>;

/** A new finding on one breast of a case (the breast must have images). Inside the caller's transaction. */
export async function createFindingIn(
  tx: Tx,
  viewer: Viewer,
  target: PathologyTarget,
  args: { laterality: Laterality; key?: string; note?: string },
  audit: AuditContext,
) {
  await assertBreastImaged(tx, target.id, args.laterality, "laterality");
  const key = args.key ?? (await nextFindingKey(tx, target.id));
  if (await tx.finding.findUnique({ where: { caseId_key: { caseId: target.id, key } }, select: { id: true } }))
    throw new AppError("CONFLICT", `key: the case already has a finding ${key}`, { field: "key" });
  const finding = await tx.finding.create({
    data: { caseId: target.id, laterality: args.laterality, key, note: args.note || null, createdById: viewer.userId },
  });
  await recordAudit(tx, {
    actorId: viewer.userId,
    siteId: target.siteId,
    action: "finding.create",
    entityType: "Finding",
    entityId: finding.id,
    after: finding,
    requestId: audit.requestId,
  });
  return finding;
}

export async function createFinding(db: Db, viewer: Viewer, input: CreateFindingInput, audit: AuditContext = {}) {
  const args = parseInput(createInput, input);
  return db.$transaction(async (tx) => {
    const target = await lockCaseForPathology(tx, viewer, args.caseId, FINDING_WRITE_ROLES, "add findings");
    return createFindingIn(tx, viewer, target, args, audit);
  });
}

const updateInput = z.object({
  findingId: z.uuid(),
  laterality: z.enum(Laterality).optional(),
  note: z.string().trim().max(2000).nullable().optional(),
});

/**
 * Places a finding on a breast (a case-level finding carried over from before findings, or a
 * correction of the side) or changes its note. Its regions must lie on that breast's images.
 */
export async function updateFinding(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof updateInput>,
  audit: AuditContext = {},
) {
  const args = parseInput(updateInput, input);
  return db.$transaction(async (tx) => {
    const { finding: before, target } = await lockFindingForPathology(
      tx,
      viewer,
      args.findingId,
      FINDING_WRITE_ROLES,
      "change findings",
    );
    if (args.laterality && args.laterality !== before.laterality) {
      await assertBreastImaged(tx, target.id, args.laterality, "laterality");
      const elsewhere = await tx.annotation.count({
        where: { findingId: before.id, deletedAt: null, image: { laterality: { not: args.laterality } } },
      });
      if (elsewhere > 0)
        throw new AppError(
          "CONFLICT",
          `laterality: ${elsewhere} of the finding's regions are drawn on the other breast's images; move or delete them first`,
          { field: "laterality" },
        );
    }
    const after = await tx.finding.update({
      where: { id: before.id },
      data: { laterality: args.laterality, note: args.note === undefined ? undefined : args.note || null },
    });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: target.siteId,
      action: "finding.update",
      entityType: "Finding",
      entityId: after.id,
      before,
      after,
      requestId: audit.requestId,
    });
    return after;
  });
}

/** Findings of many cases (data loader), by breast then key; only cases the viewer may see. */
export async function loadFindingsByCaseIds(db: Db, viewer: Viewer | null, caseIds: readonly string[]) {
  if (!viewer) return caseIds.map(() => []);
  const findings = await db.finding.findMany({
    where: { caseId: { in: [...caseIds] }, case: visibleCasesWhere(viewer) },
    orderBy: [{ laterality: "asc" }, { key: "asc" }],
  });
  return caseIds.map((id) => findings.filter((f) => f.caseId === id));
}

/** Findings by id (node lookup); null where the viewer may not see the case. */
export async function loadVisibleFindings(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const findings = await db.finding.findMany({ where: { id: { in: [...ids] }, case: visibleCasesWhere(viewer) } });
  return ids.map((id) => findings.find((f) => f.id === id) ?? null);
}

/** The kept truth of each breast of many cases (data loader); only cases the viewer may see. */
export async function loadBreastsByCaseIds(db: Db, viewer: Viewer | null, caseIds: readonly string[]) {
  if (!viewer) return caseIds.map(() => []);
  const breasts = await db.breast.findMany({
    where: { caseId: { in: [...caseIds] }, case: visibleCasesWhere(viewer) },
    orderBy: { laterality: "asc" },
  });
  return caseIds.map((id) => breasts.filter((b) => b.caseId === id));
}
