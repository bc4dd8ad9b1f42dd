import type { Db } from "@mammo/db";
import { type JobPayloads, type JobQueue, type QueueName } from "@mammo/jobs";
import type { TrainerConfig } from "../config/trainer-config.ts";
import { isPermanentError, messageOf } from "../errors/trainer-error.ts";
import { bossOnTransaction } from "./boss-on-transaction.ts";
import type { JobContext, JobHandler, JobHandlers } from "./job-handler.ts";
import { IS_LEASE_FREE_SQL, leaseKey, openLeaseHolder, type LeaseHolder } from "./job-lease.ts";
import { unitOfJob } from "./job-units.ts";

export type WorkerDeps = {
  db: Db;
  boss: JobQueue;
  databaseUrl: string;
  handlers: Partial<JobHandlers>;
  config: TrainerConfig;
  log: (line: string) => void;
};

export type Worker = {
  /** Asks the current job to give itself back (it finishes its batch and checkpoints), then stops taking jobs. */
  stop(): Promise<void>;
  /** Settles when the worker has stopped. */
  stopped: Promise<void>;
};

type FetchedJob = { id: string; name: QueueName; data: unknown; retryCount: number; retryLimit: number };

/** What the parts of a running worker share: the stop flag, and the lease connection (reopened when lost). */
type WorkerState = { stopping: boolean; lease: LeaseHolder };

/**
 * A trainer worker: takes one job at a time from the queues it serves (short jobs first), under
 * a lease (job-lease.ts), and reaps jobs whose worker died. Any number of workers on any number
 * of machines share the queues: pg-boss hands each job to one of them (SELECT ... SKIP LOCKED).
 */
export async function startWorker(deps: WorkerDeps): Promise<Worker> {
  const { config, log } = deps;
  const queues = config.queues.filter((q) => deps.handlers[q]);
  const state: WorkerState = { stopping: false, lease: await openWorkerLease(deps) };
  const pause = createPause();
  const reaper = startReaper(deps, () => state.stopping);
  const stopped = takeJobs(deps, queues, state, pause).finally(async () => {
    clearInterval(reaper);
    await state.lease.close();
  });
  log(`worker ${config.workerId} takes jobs from: ${queues.join(", ")}`);
  return {
    async stop() {
      state.stopping = true;
      pause.wake();
      await stopped;
    },
    stopped,
  };
}

function openWorkerLease(deps: WorkerDeps): Promise<LeaseHolder> {
  return openLeaseHolder(deps.databaseUrl, (error) =>
    deps.log(`lease connection lost (${error.message}); the current job gives itself back`),
  );
}

/** A sleep that `wake()` ends early (so that stop() does not wait out a poll interval). */
function createPause() {
  let wake: (() => void) | null = null;
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      }),
    wake: () => wake?.(),
  };
}

/** The worker's loop: one job at a time until stopped; between jobs, a lost lease connection is reopened. */
async function takeJobs(
  deps: WorkerDeps,
  queues: QueueName[],
  state: WorkerState,
  pause: ReturnType<typeof createPause>,
): Promise<void> {
  const { config, log } = deps;
  while (!state.stopping) {
    try {
      if (!state.lease.isHealthy()) state.lease = await openWorkerLease(deps);
      const job = await fetchNextJob(deps.boss, queues);
      if (job) await runJob(deps, job, state.lease, () => state.stopping);
      else await pause.sleep(config.pollIntervalMs);
    } catch (error) {
      log(`worker: ${messageOf(error)}; retrying in ${config.pollIntervalMs} ms`);
      await pause.sleep(config.pollIntervalMs);
    }
  }
}

/** The next job of the first queue (in the order served) that has one. */
async function fetchNextJob(boss: JobQueue, queues: QueueName[]): Promise<FetchedJob | null> {
  for (const name of queues) {
    const [job] = await boss.fetch<unknown>(name, { batchSize: 1, includeMetadata: true });
    if (job) return { id: job.id, name, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit };
  }
  return null;
}

/** Runs one job under the lease of its unit of work, and settles it on the queue whatever happens. */
async function runJob(deps: WorkerDeps, job: FetchedJob, lease: LeaseHolder, isStopping: () => boolean) {
  const { boss, config, log } = deps;
  const handler = deps.handlers[job.name] as unknown as JobHandler<QueueName>;
  const parsed = handler.payload.safeParse(job.data);
  if (!parsed.success) {
    log(`${job.name} job ${job.id}: invalid payload (${parsed.error.message}); failed`);
    await boss.fail(job.name, job.id, { message: `invalid payload: ${parsed.error.message}` });
    return;
  }
  const payload = parsed.data as JobPayloads[QueueName];
  const unit = unitOfJob(job.name, payload);
  if (!(await lease.tryAcquire(unit))) {
    // Another live worker holds this unit (a duplicate job): let the queue retry it later.
    log(`${job.name} job ${job.id}: ${unit} is held by another worker; retried later`);
    await boss.fail(job.name, job.id, {
      message: `${unit} is being worked on by another worker`,
      workerId: config.workerId,
    });
    return;
  }
  const ctx = jobContext(deps, job, unit, () => isStopping() || !lease.isHealthy());
  const started = Date.now();
  log(`${unit}: started (${job.name} job ${job.id}, attempt ${job.retryCount + 1} of ${job.retryLimit + 1})`);
  try {
    const output = await handler.run(payload, ctx);
    if (!ctx.isCompleted()) await boss.complete(job.name, job.id, { ...output, workerId: config.workerId });
    log(`${unit}: ${String(output.outcome ?? "done")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    await settleFailedJob(deps, job, unit, error, ctx.isFinalAttempt, (message) =>
      handler.markFailed(payload, message),
    );
  } finally {
    await releaseLease(lease, unit, log);
  }
}

/** What the handler sees of the queue; `isCompleted` tells whether it completed the job itself (in a transaction). */
function jobContext(
  deps: WorkerDeps,
  job: FetchedJob,
  unit: string,
  isStopRequested: () => boolean,
): JobContext & { isCompleted(): boolean } {
  const { boss, config, log } = deps;
  let isCompleted = false;
  return {
    jobId: job.id,
    workerId: config.workerId,
    isFinalAttempt: job.retryCount >= job.retryLimit,
    log: (line) => log(`${unit}: ${line}`),
    isStopRequested,
    isCompleted: () => isCompleted,
    async completeIn(tx, output = {}) {
      await boss.complete(job.name, job.id, { ...output, workerId: config.workerId }, { db: bossOnTransaction(tx) });
      isCompleted = true;
    },
    async enqueueIn(tx, name, next, options = {}) {
      const id = await boss.send(name, next as object, {
        db: bossOnTransaction(tx),
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      });
      if (!id) throw new Error(`the ${name} job could not be queued`);
    },
  };
}

/**
 * A job that threw: a permanent error (or a transient one on the last attempt) is recorded on the
 * job's row for the user; a permanent one completes the job (retrying cannot help until the input
 * changes), anything else fails it back to the queue for a retry.
 */
async function settleFailedJob(
  deps: WorkerDeps,
  job: FetchedJob,
  unit: string,
  error: unknown,
  isFinalAttempt: boolean,
  markFailed: (message: string) => Promise<void>,
): Promise<void> {
  const { boss, config, log } = deps;
  const message = messageOf(error);
  const isPermanent = isPermanentError(error);
  if (!isPermanent) console.error(error);
  if (isPermanent || isFinalAttempt) {
    log(`${unit}: failed: ${message}`);
    await markFailed(message).catch((e: unknown) => log(`${unit}: could not record the failure: ${messageOf(e)}`));
  } else {
    log(`${unit}: error (${message}); the queue retries it`);
  }
  if (isPermanent)
    await boss.complete(job.name, job.id, { outcome: "failed", error: message, workerId: config.workerId });
  else await boss.fail(job.name, job.id, { message, workerId: config.workerId });
}

/**
 * Gives the unit's lease back after its job. If the unlock fails, the lock may still be held by
 * this worker's connection, which would keep the unit from every other worker for as long as this
 * one lives: so the connection is closed (PostgreSQL drops its locks with it) and the worker's
 * loop opens a new one before the next job.
 */
export async function releaseLease(lease: LeaseHolder, unit: string, log: (line: string) => void): Promise<void> {
  try {
    await lease.release(unit);
  } catch (error) {
    log(`${unit}: could not release its lease (${messageOf(error)}); closing the lease connection to drop it`);
    await lease.close();
  }
}

/** Every `reapIntervalMs`, reaps orphaned jobs (one pass at a time; none once the worker is stopping). */
function startReaper(deps: WorkerDeps, isStopping: () => boolean): ReturnType<typeof setInterval> {
  let isReaping = false;
  return setInterval(() => {
    if (isStopping() || isReaping) return;
    isReaping = true;
    reapOrphanedJobs(deps)
      .catch((error: unknown) => deps.log(`reaper: ${messageOf(error)}`))
      .finally(() => (isReaping = false));
  }, deps.config.reapIntervalMs);
}

/** Fails back to the queue every active job whose worker has died (its lease is free). */
async function reapOrphanedJobs(deps: WorkerDeps): Promise<void> {
  const { db, boss, config, log } = deps;
  const rows = await db.$queryRawUnsafe<
    { id: string; name: QueueName; data: unknown; retry_count: number; retry_limit: number }[]
  >(
    `SELECT id::text AS id, name, data, retry_count, retry_limit FROM pgboss.job
     WHERE name = ANY($1::text[]) AND state = 'active' AND started_on < now() - make_interval(secs => $2::float8)`,
    Object.keys(deps.handlers),
    config.leaseGraceSeconds,
  );
  for (const row of rows) {
    const handler = deps.handlers[row.name] as unknown as JobHandler<QueueName> | undefined;
    const parsed = handler?.payload.safeParse(row.data);
    if (!parsed?.success) continue;
    const unit = unitOfJob(row.name, parsed.data as JobPayloads[QueueName]);
    const [{ free }] = await db.$queryRawUnsafe<{ free: boolean }[]>(IS_LEASE_FREE_SQL, leaseKey(unit));
    if (!free) continue;
    const isLastTry = row.retry_count >= row.retry_limit;
    await boss.fail(row.name, row.id, {
      message: "its worker stopped without finishing (lease released)",
      reapedBy: config.workerId,
    });
    if (isLastTry) {
      // No retry is left: say so on the run rather than leave it RUNNING for ever.
      await handler!.markFailed(
        parsed.data as JobPayloads[QueueName],
        `the worker running ${unit} stopped ${row.retry_count + 1} times without finishing (crashed or killed: see the workers' logs, e.g. for running out of memory)`,
      );
      log(`${unit}: its worker is gone and no retry is left; failed`);
    } else {
      log(`${unit}: its worker is gone; job ${row.id} goes back to the queue`);
    }
  }
}
