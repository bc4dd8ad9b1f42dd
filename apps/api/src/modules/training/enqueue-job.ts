import type { Tx } from "@mammo/db";
import {
  concordanceJob,
  evaluateJob,
  inferJob,
  pacsImportJob,
  trainJob,
  type JobPayloads,
  type JobQueue,
  type QueueName,
} from "@mammo/jobs";
import { AppError } from "../../errors/app-error.ts";

const PAYLOADS = {
  train: trainJob,
  evaluate: evaluateJob,
  infer: inferJob,
  concordance: concordanceJob,
  "pacs-import": pacsImportJob,
} as const;

// pg-boss binds its parameters as node-postgres does (objects as JSON, arrays as arrays); Prisma's
// raw queries want JSON as text and no `undefined`.
const toSqlValue = (value: unknown) =>
  value === undefined
    ? null
    : value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)
      ? JSON.stringify(value)
      : value;

/**
 * Enqueues a job INSIDE the Prisma transaction that writes its row (TrainingRun, InferenceRun,
 * Evaluation): pg-boss inserts the job through the transaction's connection, so the row and its
 * job commit together or not at all (no run without a job, no job for a rolled-back run).
 */
export async function enqueueJob<N extends QueueName>(
  jobs: JobQueue,
  tx: Tx,
  name: N,
  payload: JobPayloads[N],
): Promise<string> {
  const data = PAYLOADS[name].parse(payload);
  const id = await jobs.send(name, data, { db: onTransaction(tx) });
  if (!id) throw new AppError("INTERNAL", `the ${name} job could not be queued`);
  return id;
}

/**
 * Cancels the not-yet-started jobs of a queue whose payload has `key` = `value` (e.g. the train
 * job of a run cancelled while still queued), in the same transaction. Jobs a worker already
 * holds are left alone: workers check the run's status themselves.
 */
export async function cancelWaitingJobs(
  jobs: JobQueue,
  tx: Tx,
  name: QueueName,
  key: string,
  value: string,
): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text AS id FROM pgboss.job WHERE name = $1 AND data->>$2 = $3 AND state IN ('created', 'retry')`,
    name,
    key,
    value,
  );
  if (rows.length > 0)
    await jobs.cancel(
      name,
      rows.map((r) => r.id),
      { db: onTransaction(tx) },
    );
  return rows.length;
}

/** pg-boss's database interface over a Prisma transaction. */
function onTransaction(tx: Tx) {
  return {
    executeSql: async (text: string, values: unknown[] = []) => ({
      rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values.map(toSqlValue)),
    }),
  };
}
