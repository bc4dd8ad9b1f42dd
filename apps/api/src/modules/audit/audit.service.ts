import { Prisma, type Tx } from "@mammo/db";

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
  value === undefined || value === null ? Prisma.DbNull : (JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v))) as Prisma.InputJsonValue);

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
