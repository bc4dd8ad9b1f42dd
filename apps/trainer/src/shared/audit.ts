import { Prisma, type Tx } from "@mammo/db";

const toJson = (value: unknown) =>
  value === undefined || value === null
    ? Prisma.DbNull
    : (JSON.parse(
        JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      ) as Prisma.InputJsonValue);

/** An audit event by the system (actor null: a worker acts for the user who requested the job). Call inside the change's transaction. */
export async function recordWorkerAudit(
  tx: Tx,
  entry: {
    siteId: string | null;
    action: string;
    entityType: string;
    entityId: string;
    before?: unknown;
    after?: unknown;
    workerId: string;
  },
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: null,
      siteId: entry.siteId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: toJson(entry.before),
      after: toJson({ ...(entry.after as object | undefined), workerId: entry.workerId }),
    },
  });
}
