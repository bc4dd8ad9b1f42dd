import { trainJob } from "@mammo/jobs";
import type { JobHandler } from "../queue/job-handler.ts";
import { PUBLISH_FOLD } from "../queue/job-units.ts";
import type { TrainerServices } from "../services.ts";
import { planTrainingRun } from "./plan-run.ts";
import { publishTrainingRun } from "./publish-run.ts";
import { markRunFailed } from "./run-status.ts";
import { trainRunFold } from "./train-fold-job.ts";

/** The `train` queue: plan (no fold), one job per fold, publish (fold -1). */
export function trainHandler(services: TrainerServices): JobHandler<"train"> {
  return {
    payload: trainJob,
    run: ({ trainingRunId, fold }, ctx) =>
      fold === undefined
        ? planTrainingRun(services, trainingRunId, ctx)
        : fold === PUBLISH_FOLD
          ? publishTrainingRun(services, trainingRunId, ctx)
          : trainRunFold(services, trainingRunId, fold, ctx),
    markFailed: ({ trainingRunId }, message) =>
      markRunFailed(services.db, trainingRunId, message, services.config.workerId),
  };
}
