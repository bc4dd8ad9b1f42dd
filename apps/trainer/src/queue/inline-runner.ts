import type { JobPayloads, QueueName } from "@mammo/jobs";
import { messageOf } from "../errors/trainer-error.ts";
import type { JobContext, JobHandler, JobHandlers, ProgressEvent } from "./job-handler.ts";

type QueuedJob = { [N in QueueName]: { name: N; payload: JobPayloads[N] } }[QueueName];

/**
 * Runs a job and every follow-up it queues in this process, without the queue: the CLI's headless
 * mode. Follow-ups run after the job that queued them; a failure is recorded on its row and thrown.
 */
export async function runInline(
  handlers: JobHandlers,
  first: QueuedJob,
  options: {
    workerId: string;
    log: (line: string) => void;
    onProgress?: (event: ProgressEvent) => void;
    isStopRequested?: () => boolean;
  },
): Promise<Array<Record<string, unknown>>> {
  const queue: QueuedJob[] = [first];
  const outputs: Array<Record<string, unknown>> = [];
  while (queue.length > 0) {
    const job = queue.shift()!;
    const handler = handlers[job.name] as unknown as JobHandler<QueueName>;
    const followUps: QueuedJob[] = [];
    const ctx: JobContext = {
      jobId: null,
      workerId: options.workerId,
      isFinalAttempt: true,
      log: options.log,
      isStopRequested: options.isStopRequested ?? (() => false),
      completeIn: async () => {},
      enqueueIn: async (_tx, name, payload) => void followUps.push({ name, payload } as QueuedJob),
      onProgress: options.onProgress,
    };
    try {
      outputs.push(await handler.run(job.payload, ctx));
    } catch (error) {
      await handler.markFailed(job.payload, messageOf(error));
      throw error;
    }
    // A give-back (stop requested) queues the same unit again: in-process there is no one to take it.
    if (ctx.isStopRequested()) break;
    queue.push(...followUps);
  }
  return outputs;
}
