import { createHash } from "node:crypto";
import type { Db, PretrainedWeights } from "@mammo/db";
import { readKerasH5Weights, type KerasWeightsFile } from "@mammo/ml-core/weights-file";
import { contentKey, type BlobStore } from "@mammo/storage";
import { PretrainedWeightsError } from "./weights-error.ts";

const FIELD = "params.model.imagenetWeightsId";

/** The uuid inside a GraphQL global id (base64 of "PretrainedWeights:<uuid>"), or the value itself. */
export function rawWeightsId(id: string): string {
  const decoded = Buffer.from(id, "base64").toString("utf8");
  return decoded.startsWith("PretrainedWeights:") ? decoded.slice("PretrainedWeights:".length) : id;
}

/**
 * The registered weights a run at `siteId` starts from: the one named (it must be registered at
 * that site: another site's, or an unknown id, get the same answer), else the site's newest. A
 * site without any is told how to register them or to train from random weights.
 */
async function weightsForRun(
  db: Db,
  siteId: string,
  requestedId: string | null | undefined,
  preset: string,
): Promise<PretrainedWeights> {
  if (requestedId) {
    const id = rawWeightsId(requestedId);
    const found = /^[0-9a-f-]{36}$/i.test(id) ? await db.pretrainedWeights.findFirst({ where: { id, siteId } }) : null;
    if (!found)
      throw new PretrainedWeightsError("NOT_FOUND", `${FIELD}: no registered weights with this id at the site`, FIELD);
    return found;
  }
  const newest = await db.pretrainedWeights.findFirst({ where: { siteId }, orderBy: { createdAt: "desc" } });
  if (!newest)
    throw new PretrainedWeightsError(
      "VALIDATION",
      `${FIELD}: preset ${preset} starts from ImageNet weights and none are registered at the site: upload Keras' vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 (web: Models, ImageNet weights; CLI: npm run trainer -- weights add), or train from random weights (model.weights "random", or the quick preset)`,
      FIELD,
    );
  return newest;
}

/**
 * A run request's weights, for the API and the CLI alike: with ImageNet weights (the preset's or
 * requested), the registered weights chosen by weightsForRun and their id written into the
 * overrides that are recorded; with random weights, none (naming weights then is an error).
 * `resolved` is the request's parameters as resolveTrainingParams gives them.
 */
export async function chooseRunWeights(
  db: Db,
  siteId: string,
  preset: string,
  overrides: Record<string, unknown>,
  resolved: { model: { weights: "imagenet" | "random"; imagenetWeightsId: string | null } },
): Promise<{ overrides: Record<string, unknown>; weights: PretrainedWeights | null }> {
  if (resolved.model.weights !== "imagenet") {
    if (resolved.model.imagenetWeightsId)
      throw new PretrainedWeightsError("VALIDATION", `${FIELD}: only with model.weights "imagenet"`, FIELD);
    return { overrides, weights: null };
  }
  const weights = await weightsForRun(db, siteId, resolved.model.imagenetWeightsId, preset);
  const model = { ...((overrides.model as Record<string, unknown> | undefined) ?? {}), imagenetWeightsId: weights.id };
  return { overrides: { ...overrides, model }, weights };
}

/** Registered weights read back from the blob store, their digest checked, parsed. */
export async function loadRegisteredWeights(
  db: Db,
  blobs: BlobStore,
  id: string,
): Promise<{ weights: PretrainedWeights; file: KerasWeightsFile; source: string }> {
  const weights = await db.pretrainedWeights.findUnique({ where: { id } });
  if (!weights)
    throw new PretrainedWeightsError("NOT_FOUND", `${FIELD}: the registered weights ${id} do not exist`, FIELD);
  const bytes = await blobs.get(contentKey(weights.sha256));
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== weights.sha256)
    throw new PretrainedWeightsError(
      "CONFLICT",
      `registered weights "${weights.name}": the stored file's digest is ${digest}, not ${weights.sha256}`,
    );
  const source = `registered weights "${weights.name}" (${weights.fileName}, sha256 ${weights.sha256.slice(0, 12)})`;
  return { weights, file: await readKerasH5Weights(bytes, source), source };
}
