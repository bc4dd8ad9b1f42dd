import { z } from "zod";

/**
 * The job queues between the API (which only enqueues) and trainer workers (which run them).
 * Jobs live in PostgreSQL (pg-boss, schema "pgboss"), so any number of workers on any number of
 * machines can share them.
 */
export const QUEUES = {
  train: "train",
  evaluate: "evaluate",
  infer: "infer",
  concordance: "concordance",
  pacsImport: "pacs-import",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const trainJob = z.object({ trainingRunId: z.uuid(), fold: z.number().int().min(-1).optional() });
export const evaluateJob = z.object({ evaluationId: z.uuid() });
export const inferJob = z.object({ inferenceRunId: z.uuid() });
export const concordanceJob = z.object({ inferenceRunId: z.uuid() });
export const pacsImportJob = z.object({ pacsImportId: z.uuid() });

export type JobPayloads = {
  train: z.infer<typeof trainJob>;
  evaluate: z.infer<typeof evaluateJob>;
  infer: z.infer<typeof inferJob>;
  concordance: z.infer<typeof concordanceJob>;
  "pacs-import": z.infer<typeof pacsImportJob>;
};
