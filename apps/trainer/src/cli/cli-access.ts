// The trainer CLI acts as a user (`--as EMAIL`) and gets the same rules as the API
// (@mammo/access): the same visibility of models, dataset versions, studies and images, and the
// same roles. Ids may be given as the database's uuid or as the API's global id.
import {
  AccessError,
  authorizeEvaluationRequest,
  authorizeInferenceRequest,
  authorizeTrainingRequest,
  loadActorByEmail,
  visibleModelVersion,
  type Actor,
  type InferenceRequest,
} from "@mammo/access";
import type { Db, InferenceTarget } from "@mammo/db";
import { CliError } from "./cli-context.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The database id in a flag's value: a uuid as stored, or the API's global id of that type
 * (base64 of "<Type>:<uuid>", as GraphQL returns it). Anything else is refused, naming the flag.
 */
export function idFromFlag(value: string | undefined, type: string, flag: string): string {
  const given = value?.trim() ?? "";
  if (!given) throw new CliError(`${flag} ID is required`);
  if (UUID.test(given)) return given.toLowerCase();
  const decoded = /^[A-Za-z0-9+/=]+$/.test(given) ? Buffer.from(given, "base64").toString("utf8") : "";
  const [typename, id] = [decoded.slice(0, decoded.indexOf(":")), decoded.slice(decoded.indexOf(":") + 1)];
  if (decoded.includes(":") && UUID.test(id)) {
    if (typename === type) return id.toLowerCase();
    throw new CliError(`${flag}: ${given} is the id of a ${typename}, not of a ${type}`);
  }
  throw new CliError(`${flag}: ${JSON.stringify(given)} is not an id (give the uuid or the API's id of a ${type})`);
}

/** Comma-separated ids of one type (e.g. `--images ID,ID`). */
export const idsFromFlag = (value: string | undefined, type: string, flag: string): string[] =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => idFromFlag(s, type, flag));

/** The acting user of `--as`, or a clear refusal. */
export async function actorOfFlag(db: Db, email: string | undefined): Promise<Actor & { email: string }> {
  if (!email?.trim()) throw new CliError("--as EMAIL is required: the user the request is recorded for");
  return asCliError(() => loadActorByEmail(db, email, "--as"));
}

const FLAG_OF_FIELD: Record<string, string> = {
  modelVersionId: "--model-version",
  datasetVersionId: "--dataset-version",
  studyId: "--study",
  imageIds: "--images",
};

/** Runs an access rule; its refusal becomes a CliError naming the flag instead of the API's field. */
async function asCliError<T>(rule: () => Promise<T>): Promise<T> {
  try {
    return await rule();
  } catch (error) {
    if (!(error instanceof AccessError)) throw error;
    const flag = error.field ? FLAG_OF_FIELD[error.field] : undefined;
    throw new CliError(flag ? error.message.replace(`${error.field}:`, `${flag}:`) : error.message);
  }
}

type Flags = Record<string, string | undefined>;

/** `train --dataset-version ID --as EMAIL`: ML engineers of the dataset's site. */
export async function authorizeTrainCommand(db: Db, flags: Flags) {
  const versionId = idFromFlag(flags["dataset-version"], "DatasetVersion", "--dataset-version");
  const actor = await actorOfFlag(db, flags.as);
  const version = await asCliError(() => authorizeTrainingRequest(db, actor, versionId));
  return { actor, version };
}

/** `train --run ID --as EMAIL`: continuing a run, as the API lets its site's ML engineers see and cancel it. */
export async function authorizeContinueCommand(db: Db, flags: Flags) {
  const runId = idFromFlag(flags.run, "TrainingRun", "--run");
  const actor = await actorOfFlag(db, flags.as);
  const run = await db.trainingRun.findUnique({ where: { id: runId } });
  if (!run || !actor.memberships.some((m) => m.siteId === run.siteId && m.role === "ML_ENGINEER"))
    throw new CliError(`--run: training run not found`);
  return { actor, run };
}

/** `evaluate --model-version ID --dataset-version ID --as EMAIL`. */
export async function authorizeEvaluateCommand(db: Db, flags: Flags) {
  const modelVersionId = idFromFlag(flags["model-version"], "ModelVersion", "--model-version");
  const datasetVersionId = idFromFlag(flags["dataset-version"], "DatasetVersion", "--dataset-version");
  const actor = await actorOfFlag(db, flags.as);
  const { model, version } = await asCliError(() =>
    authorizeEvaluationRequest(db, actor, { modelVersionId, datasetVersionId }),
  );
  return { actor, model, version };
}

/** `infer --model-version ID --as EMAIL (--study ID | --dataset-version ID | --images ID,...)`. */
export async function authorizeInferCommand(db: Db, flags: Flags) {
  const given = [
    flags.study && ("STUDY" as const),
    flags["dataset-version"] && ("DATASET_VERSION" as const),
    flags.images && ("IMAGES" as const),
  ].filter((t): t is InferenceTarget => Boolean(t));
  if (given.length !== 1)
    throw new CliError("give exactly one of --study ID, --dataset-version ID, --images ID,ID,...");
  const request: InferenceRequest = {
    modelVersionId: idFromFlag(flags["model-version"], "ModelVersion", "--model-version"),
    target: given[0]!,
    studyId: flags.study ? idFromFlag(flags.study, "ReaderStudy", "--study") : undefined,
    datasetVersionId: flags["dataset-version"]
      ? idFromFlag(flags["dataset-version"], "DatasetVersion", "--dataset-version")
      : undefined,
    imageIds: flags.images ? idsFromFlag(flags.images, "Image", "--images") : undefined,
  };
  const actor = await actorOfFlag(db, flags.as);
  const { model, imageIds } = await asCliError(() => authorizeInferenceRequest(db, actor, request));
  return { actor, model, request: { ...request, imageIds } };
}

/** `export --model-version ID --as EMAIL`: who may see the model version (its site's ML engineers and coordinators). */
export async function authorizeExportCommand(db: Db, flags: Flags) {
  const modelVersionId = idFromFlag(flags["model-version"], "ModelVersion", "--model-version");
  const actor = await actorOfFlag(db, flags.as);
  return asCliError(() => visibleModelVersion(db, actor, modelVersionId));
}
