import { QUEUES, type JobPayloads, type QueueName } from "@mammo/jobs";

/** The fold value of the train job that evaluates the ensemble and publishes the model version. */
export const PUBLISH_FOLD = -1;

/**
 * The unit of work a job covers, named so that two jobs for the same unit share one lease
 * (job-lease.ts). A train job without a fold plans the run; fold -1 publishes it.
 */
export function unitOfJob<N extends QueueName>(name: N, payload: JobPayloads[N]): string {
  switch (name) {
    case QUEUES.train: {
      const { trainingRunId, fold } = payload as JobPayloads["train"];
      return `train/${trainingRunId}/${fold === undefined ? "plan" : fold === PUBLISH_FOLD ? "publish" : `fold-${fold}`}`;
    }
    case QUEUES.evaluate:
      return `evaluate/${(payload as JobPayloads["evaluate"]).evaluationId}`;
    case QUEUES.infer:
      return `infer/${(payload as JobPayloads["infer"]).inferenceRunId}`;
    case QUEUES.concordance:
      return `concordance/${(payload as JobPayloads["concordance"]).inferenceRunId}`;
    case QUEUES.pacsImport:
      return `pacs-import/${(payload as JobPayloads["pacs-import"]).pacsImportId}`;
    default:
      throw new Error(`unknown queue ${String(name)}`);
  }
}
