import { loadConcordancePairs, summariseConcordance } from "@mammo/concordance";
import { DatasetSplit, type Db, type Prisma, SaliencyMethod, SaliencyScore } from "@mammo/db";
import { chooseRunWeights, PretrainedWeightsError } from "@mammo/pretrained-weights";
import {
  MlCoreError,
  PRESET_NAMES,
  resolveTrainingParams,
  type PresetName,
  type TrainingOverrides,
} from "../ml/ml-core.ts";
import { createJobHandlers } from "../queue/handlers.ts";
import { runInline } from "../queue/inline-runner.ts";
import { PUBLISH_FOLD } from "../queue/job-units.ts";
import { readProgress } from "../training/run-state.ts";
import {
  authorizeContinueCommand,
  authorizeEvaluateCommand,
  authorizeInferCommand,
  authorizeTrainCommand,
} from "./cli-access.ts";
import { CliError, openCli, parseJsonFlag, type CommonFlags } from "./cli-context.ts";
import { createProgressReporter } from "./progress-reporter.ts";

type Flags = CommonFlags & Record<string, string | undefined>;

const audit = (
  actorId: string,
  siteId: string,
  action: string,
  entityType: string,
  entityId: string,
  after: unknown,
) => ({
  actorId,
  siteId,
  action,
  entityType,
  entityId,
  after: JSON.parse(JSON.stringify(after)) as Prisma.InputJsonValue,
});

/** Runs jobs in this process with a progress display; Ctrl-C gives the running job back (it checkpoints) and stops. */
async function withCli<T>(
  flags: Flags,
  body: (
    cli: Awaited<ReturnType<typeof openCli>>,
    inline: (first: Parameters<typeof runInline>[1]) => Promise<Array<Record<string, unknown>>>,
    say: (line: string) => void,
  ) => Promise<T>,
): Promise<T> {
  const reporter = createProgressReporter();
  const cli = await openCli(flags, reporter.log);
  let isStopping = false;
  const onSigint = () => {
    if (isStopping) process.exit(130);
    isStopping = true;
    reporter.log("[trainer] stopping after this batch (Ctrl-C again to quit at once)");
  };
  process.on("SIGINT", onSigint);
  try {
    const handlers = createJobHandlers(cli.services);
    return await body(
      cli,
      (first) =>
        runInline(handlers, first, {
          workerId: cli.workerId,
          log: (l) => reporter.log(`[trainer] ${l}`),
          onProgress: reporter.onProgress,
          isStopRequested: () => isStopping,
        }),
      reporter.log,
    );
  } finally {
    reporter.stop();
    process.off("SIGINT", onSigint);
    await cli.close();
  }
}

/** The run's overrides (--params) checked against the preset, with the registered ImageNet weights it starts from (the API's rule). */
async function requestedParams(db: Db, siteId: string, preset: string, json: string | undefined) {
  const overrides = parseJsonFlag(json, "--params") ?? {};
  try {
    const resolved = resolveTrainingParams(preset as PresetName, overrides as TrainingOverrides);
    const chosen = await chooseRunWeights(db, siteId, preset, overrides, resolved);
    return { params: chosen.overrides, weights: chosen.weights };
  } catch (error) {
    if (error instanceof MlCoreError || error instanceof PretrainedWeightsError)
      throw new CliError(`--params: ${error.message}`);
    throw error;
  }
}

/** `train`: a new run on a dataset version (or `--run ID` to continue one), trained here. */
export function trainCommand(flags: Flags) {
  return withCli(flags, async ({ services }, inline, say) => {
    const { db } = services;
    let runId = flags.run;
    if (!runId) {
      if (!flags["dataset-version"])
        throw new CliError("--dataset-version ID is required (or --run ID to continue a run)");
      const preset = flags.preset ?? "quick";
      if (!(PRESET_NAMES as readonly string[]).includes(preset))
        throw new CliError(`--preset must be one of ${PRESET_NAMES.join(", ")}`);
      const { actor, version } = await authorizeTrainCommand(db, flags);
      const user = { id: actor.userId };
      const seed = flags.seed !== undefined ? Number(flags.seed) : Math.floor(Math.random() * 2_147_483_647);
      if (!Number.isInteger(seed) || seed < 0) throw new CliError("--seed must be a non-negative integer");
      const { params, weights } = await requestedParams(db, version.dataset.siteId, preset, flags.params);
      const run = await db.$transaction(async (tx) => {
        const created = await tx.trainingRun.create({
          data: {
            siteId: version.dataset.siteId,
            datasetVersionId: version.id,
            preset,
            params: params as Prisma.InputJsonValue,
            seed,
            requestedById: user.id,
            pretrainedWeightsId: weights?.id ?? null,
          },
        });
        await tx.auditEvent.create({
          data: audit(user.id, created.siteId, "trainingRun.request", "TrainingRun", created.id, {
            ...created,
            source: "cli",
          }),
        });
        return created;
      });
      runId = run.id;
      say(`[trainer] training run ${runId}: ${preset} on "${version.dataset.name}" v${version.version}`);
      await inline({ name: "train", payload: { trainingRunId: runId } });
    } else {
      const { run } = await authorizeContinueCommand(db, flags);
      runId = run.id;
      const progress = readProgress(run.progress);
      if (run.status === "QUEUED") await inline({ name: "train", payload: { trainingRunId: runId } });
      else if (run.status !== "RUNNING" || !progress)
        throw new CliError(`--run: the run is ${run.status.toLowerCase()}, nothing to continue`);
      else {
        const missing = Array.from({ length: progress.foldCount }, (_, k) => k).filter((k) => !progress.foldResults[k]);
        say(
          `[trainer] continuing run ${runId}: ${missing.length ? `fold(s) ${missing.map((k) => k + 1).join(", ")}` : "publishing"}`,
        );
        for (const fold of missing) await inline({ name: "train", payload: { trainingRunId: runId, fold } });
        const after = readProgress((await db.trainingRun.findUniqueOrThrow({ where: { id: runId } })).progress);
        if (
          missing.length === 0 ||
          (after &&
            Object.keys(after.foldResults).length === after.foldCount &&
            !(await db.modelVersion.findUnique({ where: { trainingRunId: runId } })))
        ) {
          await inline({ name: "train", payload: { trainingRunId: runId, fold: PUBLISH_FOLD } });
        }
      }
    }
    const done = await db.trainingRun.findUniqueOrThrow({ where: { id: runId }, include: { modelVersion: true } });
    if (done.modelVersion) {
      const accuracy = (done.modelVersion.metrics as { ensemble?: { accuracy?: number } }).ensemble?.accuracy;
      say(
        `[trainer] published ${done.modelVersion.name} v${done.modelVersion.version} (model version ${done.modelVersion.id}); test accuracy ${accuracy?.toFixed(3) ?? "n/a"}`,
      );
    } else if (done.status === "RUNNING") {
      say(
        `[trainer] stopped; the run keeps its checkpoints: continue with \`npm run trainer -- train --run ${runId}\``,
      );
    } else {
      say(`[trainer] run ${runId} is ${done.status.toLowerCase()}${done.error ? `: ${done.error}` : ""}`);
    }
    return done.status === "SUCCEEDED" || done.status === "RUNNING" ? 0 : 1;
  });
}

/** `evaluate`: a model version on a split of a dataset version. */
export function evaluateCommand(flags: Flags) {
  return withCli(flags, async ({ services }, inline, say) => {
    const { db } = services;
    const split = (flags.split ?? "TEST").toUpperCase();
    if (!(split in DatasetSplit)) throw new CliError(`--split must be one of ${Object.keys(DatasetSplit).join(", ")}`);
    const { actor, model, version } = await authorizeEvaluateCommand(db, flags);
    const user = { id: actor.userId };
    const evaluation = await db.$transaction(async (tx) => {
      const key = {
        modelVersionId_datasetVersionId_split: {
          modelVersionId: model.id,
          datasetVersionId: version.id,
          split: split as DatasetSplit,
        },
      };
      const row = await tx.evaluation.upsert({
        where: key,
        create: {
          modelVersionId: model.id,
          datasetVersionId: version.id,
          split: split as DatasetSplit,
          requestedById: user.id,
        },
        update: { status: "QUEUED", error: null, finishedAt: null, requestedById: user.id },
      });
      await tx.auditEvent.create({
        data: audit(user.id, model.siteId, "evaluation.request", "Evaluation", row.id, { ...row, source: "cli" }),
      });
      return row;
    });
    await inline({ name: "evaluate", payload: { evaluationId: evaluation.id } });
    const done = await db.evaluation.findUniqueOrThrow({ where: { id: evaluation.id } });
    const metrics = done.metrics as {
      ensemble?: { accuracy: number; n: number; macro: { f1: number | null; auc: number | null } };
    } | null;
    say(
      `[trainer] evaluation ${done.id}: ${done.status.toLowerCase()}${metrics?.ensemble ? `; accuracy ${metrics.ensemble.accuracy.toFixed(3)} on ${metrics.ensemble.n} images, macro F1 ${metrics.ensemble.macro.f1?.toFixed(3) ?? "n/a"}, macro AUC ${metrics.ensemble.macro.auc?.toFixed(3) ?? "n/a"}` : ""}`,
    );
    return done.status === "SUCCEEDED" ? 0 : 1;
  });
}

/** `infer`: predictions and Grad-CAM of a model version over a study, a dataset version or images, then concordance. */
export function inferCommand(flags: Flags) {
  return withCli(flags, async ({ services }, inline, say) => {
    const { db } = services;
    const method = (flags.method ?? "GRAD_CAM").toUpperCase().replace(/\+\+$/, "_PLUS_PLUS").replace("-", "_");
    if (!(method in SaliencyMethod)) throw new CliError(`--method must be GRAD_CAM or GRAD_CAM_PLUS_PLUS`);
    const score = (flags.score ?? "LOGIT").toUpperCase().replace("-", "_");
    if (!(score in SaliencyScore))
      throw new CliError(`--score must be one of ${Object.keys(SaliencyScore).join(", ")}`);
    const { actor, model, request } = await authorizeInferCommand(db, flags);
    const user = { id: actor.userId };
    const run = await db.$transaction(async (tx) => {
      const created = await tx.inferenceRun.create({
        data: {
          siteId: model.siteId,
          modelVersionId: model.id,
          target: request.target,
          studyId: request.studyId,
          datasetVersionId: request.datasetVersionId,
          imageIds: request.imageIds ?? [],
          saliencyMethod: method as SaliencyMethod,
          saliencyLayer: flags.layer ?? "block5_conv3",
          saliencyScore: score as SaliencyScore,
          requestedById: user.id,
        },
      });
      await tx.auditEvent.create({
        data: audit(user.id, model.siteId, "inferenceRun.request", "InferenceRun", created.id, {
          ...created,
          source: "cli",
        }),
      });
      return created;
    });
    await inline({ name: "infer", payload: { inferenceRunId: run.id } });
    const done = await db.inferenceRun.findUniqueOrThrow({ where: { id: run.id } });
    const predictions = await db.prediction.count({ where: { modelVersionId: model.id, inferenceRunId: run.id } });
    say(
      `[trainer] inference run ${run.id}: ${done.status.toLowerCase()}, ${predictions} new prediction(s) with heatmaps${done.error ? ` (${done.error})` : ""}`,
    );
    if (done.status === "SUCCEEDED") {
      const summary = summariseConcordance(await loadConcordancePairs(db, run.id));
      say(
        `[trainer] concordance: ${summary.overall.n} heatmap-region pairs; pointing game ${summary.overall.pointingHitRate?.toFixed(3) ?? "n/a"}, energy inside ${summary.overall.meanEnergyInside?.toFixed(3) ?? "n/a"}, IoU ${summary.overall.meanIou?.toFixed(3) ?? "n/a"}; chance on the same regions: pointing game uniform ${summary.overall.chance.uniformHitRate?.toFixed(3) ?? "n/a"} / centre-biased ${summary.overall.chance.centreBiasHitRate?.toFixed(3) ?? "n/a"}, energy inside uniform ${summary.overall.chance.uniformEnergyInside?.toFixed(3) ?? "n/a"} / centre-biased ${summary.overall.chance.centreBiasEnergyInside?.toFixed(3) ?? "n/a"}`,
      );
      for (const [subtype, stats] of Object.entries(summary.bySubtype))
        say(`[trainer]   ${subtype}: ${stats.n} pairs, pointing game ${stats.pointingHitRate?.toFixed(3) ?? "n/a"}`);
      if (summary.viewConsistency.lesions > 0)
        say(
          `[trainer]   CC vs MLO: ${summary.viewConsistency.lesions} lesions, hit agreement ${summary.viewConsistency.hitAgreement?.toFixed(3)}`,
        );
    }
    return done.status === "SUCCEEDED" ? 0 : 1;
  });
}
