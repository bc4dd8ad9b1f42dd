import { concordanceJob, evaluateJob, inferJob, pacsImportJob } from "@mammo/jobs";
import { runConcordance } from "../concordance/concordance-run.ts";
import { markEvaluationFailed, runEvaluation } from "../evaluation/evaluate-run.ts";
import { markInferenceFailed, runInference } from "../inference/infer-run.ts";
import { markPacsImportFailed, runPacsImport } from "../pacs/pacs-import-run.ts";
import type { TrainerServices } from "../services.ts";
import { trainHandler } from "../training/train-handler.ts";
import type { JobHandlers } from "./job-handler.ts";

/** Every queue's handler. */
export function createJobHandlers(services: TrainerServices): JobHandlers {
  return {
    train: trainHandler(services),
    evaluate: {
      payload: evaluateJob,
      run: ({ evaluationId }, ctx) => runEvaluation(services, evaluationId, ctx),
      markFailed: ({ evaluationId }, message) => markEvaluationFailed(services, evaluationId, message),
    },
    infer: {
      payload: inferJob,
      run: ({ inferenceRunId }, ctx) => runInference(services, inferenceRunId, ctx),
      markFailed: ({ inferenceRunId }, message) => markInferenceFailed(services, inferenceRunId, message),
    },
    concordance: {
      payload: concordanceJob,
      run: ({ inferenceRunId }, ctx) => runConcordance(services, inferenceRunId, ctx),
      // Concordance writes no status of its own: a failure is in the job and the worker's log.
      markFailed: async () => {},
    },
    "pacs-import": {
      payload: pacsImportJob,
      run: ({ pacsImportId }, ctx) => runPacsImport(services, pacsImportId, ctx),
      markFailed: ({ pacsImportId }, message) => markPacsImportFailed(services, pacsImportId, message),
    },
  };
}
