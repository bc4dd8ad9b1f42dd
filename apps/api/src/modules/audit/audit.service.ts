import { Prisma, type Db, type Tx } from "@mammo/db";
import { z } from "zod";
import { hasRole, type Viewer } from "../../auth/viewer.ts";
import { AppError } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";

export type AuditEntry = {
  actorId: string | null;
  siteId: string | null;
  action: string; // "<entity>.<verb>", e.g. "pathologyLabel.create"
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string;
};

const toJson = (value: unknown) =>
  value === undefined || value === null
    ? Prisma.DbNull
    : (JSON.parse(
        JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
      ) as Prisma.InputJsonValue);

/** Records a change. Call inside the transaction that makes the change, so both or neither land. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: entry.actorId,
      siteId: entry.siteId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: toJson(entry.before),
      after: toJson(entry.after),
      requestId: entry.requestId,
    },
  });
}

/**
 * Records a change to a person's own account (API tokens, single sign-on links) once per site
 * the person belongs to, so that each of those sites' admins sees it in their log; once without a
 * site for a person of no site.
 */
export async function recordAccountAudit(tx: Tx, subjectUserId: string, entry: Omit<AuditEntry, "siteId">) {
  const memberships = await tx.membership.findMany({ where: { userId: subjectUserId }, select: { siteId: true } });
  const siteIds = [...new Set(memberships.map((m) => m.siteId))];
  for (const siteId of siteIds.length ? siteIds : [null]) await recordAudit(tx, { ...entry, siteId });
}

const listInput = z.object({
  siteId: z.uuid(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(201),
  after: z.string().regex(/^\d+$/, "not a cursor this API issued").optional(),
  before: z.string().regex(/^\d+$/, "not a cursor this API issued").optional(),
  inverted: z.boolean(),
});

/**
 * A site's audit log, newest first (its admins). Refused to an admin who is an assigned reader of
 * an open study: the log's before/after values carry pathology truth (blinding).
 */
export async function listAuditEvents(db: Db, viewer: Viewer, input: z.input<typeof listInput>) {
  const args = parseInput(listInput, input);
  if (!hasRole(viewer, args.siteId, "ADMIN")) return [];
  const isBlinded = await db.studyReader.count({ where: { userId: viewer.userId, study: { status: "OPEN" } } });
  if (isBlinded > 0)
    throw new AppError(
      "FORBIDDEN",
      "the audit log is closed to you while you are a reader in an open study (blinding)",
    );
  const where: Prisma.AuditEventWhereInput = {
    siteId: args.siteId,
    ...(args.entityType ? { entityType: args.entityType } : {}),
    ...(args.entityId ? { entityId: args.entityId } : {}),
    ...(args.action ? { action: args.action } : {}),
    ...(args.after || args.before
      ? {
          id: {
            ...(args.after ? { lt: BigInt(args.after) } : {}),
            ...(args.before ? { gt: BigInt(args.before) } : {}),
          },
        }
      : {}),
  };
  return db.auditEvent.findMany({ where, orderBy: { id: args.inverted ? "asc" : "desc" }, take: args.limit });
}

/** Names of the actors of audit events (data loader). */
export async function loadActorSummaries(db: Db, ids: readonly string[]) {
  const users = await db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  return ids.map((id) => users.find((u) => u.id === id) ?? null);
}
