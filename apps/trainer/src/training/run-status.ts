import type { Db, Tx } from "@mammo/db";
import { recordWorkerAudit } from "../shared/audit.ts";

const ACTIVE = ["QUEUED", "RUNNING", "CANCELLING"] as const;

/** Ends a run whose cancellation was asked for: CANCELLING (or a still-running run) -> CANCELLED. */
export async function markRunCancelled(tx: Tx, runId: string, workerId: string): Promise<boolean> {
  const before = await tx.trainingRun.findUnique({
    where: { id: runId },
    select: { status: true, siteId: true, progress: true },
  });
  const changed = await tx.trainingRun.updateMany({
    where: { id: runId, status: { in: [...ACTIVE] } },
    data: { status: "CANCELLED", finishedAt: new Date() },
  });
  if (changed.count === 1 && before) {
    await tx.$executeRawUnsafe(
      `UPDATE "TrainingRun" SET progress = progress || '{"stage":"cancelled"}'::jsonb WHERE id = $1::uuid AND progress IS NOT NULL`,
      runId,
    );
    await recordWorkerAudit(tx, {
      siteId: before.siteId,
      action: "trainingRun.cancelled",
      entityType: "TrainingRun",
      entityId: runId,
      before: { status: before.status },
      after: { status: "CANCELLED" },
      workerId,
    });
  }
  return changed.count === 1;
}

/** Fails a run with a message for the user (first failure wins; a finished run stays as it is). */
export async function markRunFailed(db: Db, runId: string, message: string, workerId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.trainingRun.findUnique({ where: { id: runId }, select: { status: true, siteId: true } });
    const changed = await tx.trainingRun.updateMany({
      where: { id: runId, status: { in: [...ACTIVE] } },
      data: { status: "FAILED", error: message.slice(0, 4000), finishedAt: new Date() },
    });
    if (changed.count === 1 && before) {
      await tx.$executeRawUnsafe(
        `UPDATE "TrainingRun" SET progress = progress || '{"stage":"failed"}'::jsonb WHERE id = $1::uuid AND progress IS NOT NULL`,
        runId,
      );
      await recordWorkerAudit(tx, {
        siteId: before.siteId,
        action: "trainingRun.fail",
        entityType: "TrainingRun",
        entityId: runId,
        before: { status: before.status },
        after: { status: "FAILED", error: message },
        workerId,
      });
    }
  });
}

export type RunCheck = "running" | "cancel" | "over";

/** Whether a fold should go on: "cancel" when cancellation was asked for, "over" when the run ended otherwise (failed elsewhere). */
export async function checkRun(db: Db, runId: string): Promise<RunCheck> {
  const run = await db.trainingRun.findUnique({
    where: { id: runId },
    select: { status: true, cancelRequestedAt: true },
  });
  if (!run) return "over";
  if (run.status === "CANCELLING" || run.status === "CANCELLED" || run.cancelRequestedAt) return "cancel";
  return run.status === "RUNNING" ? "running" : "over";
}
