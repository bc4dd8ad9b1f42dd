import type { Tx } from "@mammo/db";
import type { JobPayloads, QueueName } from "@mammo/jobs";
import type { z } from "zod";

/** Live training progress, for a CLI progress bar (the database gets the same through TrainingMetric). */
export type ProgressEvent =
  | {
      kind: "batch";
      fold: number;
      folds: number;
      epoch: number;
      epochs: number;
      batch: number;
      batches: number;
      loss: number;
      accuracy: number;
    }
  | {
      kind: "epoch";
      fold: number;
      folds: number;
      epoch: number;
      epochs: number;
      loss: number;
      accuracy: number;
      valLoss: number | null;
      valAccuracy: number | null;
    }
  | { kind: "step"; message: string };

/**
 * What a job sees of the machinery that runs it: the queue in a worker, or nothing in the CLI
 * (which runs the same handlers in-process, follow-up jobs right after).
 */
export type JobContext = {
  /** null when run in-process by the CLI. */
  jobId: string | null;
  workerId: string;
  /** True on the queue's last retry: a transient failure now fails the run for good. */
  isFinalAttempt: boolean;
  log(line: string): void;
  /** SIGTERM: finish the batch, checkpoint and give the job back. */
  isStopRequested(): boolean;
  /** Completes the job inside `tx`, so the job is done exactly when the rows it wrote are. */
  completeIn(tx: Tx, output?: Record<string, unknown>): Promise<void>;
  /** Queues a follow-up job inside `tx` (in the CLI: runs it after this one). */
  enqueueIn<N extends QueueName>(
    tx: Tx,
    name: N,
    payload: JobPayloads[N],
    options?: { startAfterSeconds?: number },
  ): Promise<void>;
  onProgress?: (event: ProgressEvent) => void;
};

export type JobHandler<N extends QueueName> = {
  payload: z.ZodType<JobPayloads[N]>;
  /** Does the work; returns the job's output (stored with the finished job). */
  run(payload: JobPayloads[N], ctx: JobContext): Promise<Record<string, unknown>>;
  /** Records a failure on the job's row (status FAILED, `error`), for the user to read. */
  markFailed(payload: JobPayloads[N], message: string): Promise<void>;
};

export type JobHandlers = { [N in QueueName]: JobHandler<N> };
