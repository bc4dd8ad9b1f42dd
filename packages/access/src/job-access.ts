// Who may ask the trainer for work: the rules the API's requests (requestTrainingRun,
// requestEvaluation, requestInference) and the trainer CLI's commands both apply, so a command
// run on the server cannot do what the API would refuse (e.g. infer on another site's images).
import type { Db, InferenceTarget } from "@mammo/db";
import { AccessError } from "./access-error.ts";
import { hasRole, siteIdsWithRole, type Actor } from "./actor.ts";
import { visibleCasesWhere, visibleModelVersionsWhere } from "./visibility.ts";

/** A model version the actor may see (ML engineers and coordinators of its site). */
export async function visibleModelVersion(db: Db, actor: Actor, modelVersionId: string) {
  const model = await db.modelVersion.findFirst({
    where: { AND: [{ id: modelVersionId }, visibleModelVersionsWhere(actor)] },
  });
  if (!model) throw new AccessError("NOT_FOUND", "modelVersionId: model version not found", "modelVersionId");
  return model;
}

/** Training on a frozen dataset version: ML engineers of the dataset's site. */
export async function authorizeTrainingRequest(db: Db, actor: Actor, datasetVersionId: string) {
  const version = await db.datasetVersion.findFirst({
    where: { id: datasetVersionId, dataset: { siteId: { in: siteIdsWithRole(actor) } } },
    include: { dataset: { select: { siteId: true, name: true } } },
  });
  if (!version) throw new AccessError("NOT_FOUND", "datasetVersionId: dataset version not found", "datasetVersionId");
  if (!hasRole(actor, version.dataset.siteId, "ML_ENGINEER"))
    throw new AccessError("FORBIDDEN", "only ML engineers of the dataset's site can train on it");
  return version;
}

/** Evaluating a model version on a dataset version: ML engineers of the model's site, on a dataset of theirs. */
export async function authorizeEvaluationRequest(
  db: Db,
  actor: Actor,
  input: { modelVersionId: string; datasetVersionId: string },
) {
  const model = await visibleModelVersion(db, actor, input.modelVersionId);
  if (!hasRole(actor, model.siteId, "ML_ENGINEER"))
    throw new AccessError("FORBIDDEN", "only ML engineers of the model's site can evaluate it");
  const version = await db.datasetVersion.findFirst({
    where: { id: input.datasetVersionId, dataset: { siteId: { in: siteIdsWithRole(actor, "ML_ENGINEER") } } },
  });
  if (!version) throw new AccessError("NOT_FOUND", "datasetVersionId: dataset version not found", "datasetVersionId");
  return { model, version };
}

export type InferenceRequest = {
  modelVersionId: string;
  target: InferenceTarget;
  studyId?: string;
  datasetVersionId?: string;
  imageIds?: string[];
};

/**
 * Inference of a model version: ML engineers of the model's site, on what they may see (a
 * dataset version of theirs, images of cases they may see in the case browser, a study of their
 * site); a study's coordinators may also run the study's comparison model over their study.
 * Returns the model and, for the IMAGES target, the distinct image ids.
 */
export async function authorizeInferenceRequest(db: Db, actor: Actor, input: InferenceRequest) {
  const model = await visibleModelVersion(db, actor, input.modelVersionId);
  const isModelEngineer = hasRole(actor, model.siteId, "ML_ENGINEER");
  const engineersOnly = () => {
    if (!isModelEngineer) throw new AccessError("FORBIDDEN", "only ML engineers of the model's site can run it");
  };
  let imageIds: string[] = [];
  if (input.target === "STUDY") {
    const study = await db.readerStudy.findFirst({
      where: { id: input.studyId, siteId: { in: siteIdsWithRole(actor, "COORDINATOR", "ML_ENGINEER") } },
    });
    if (!study) throw new AccessError("NOT_FOUND", "studyId: reader study not found", "studyId");
    if (!isModelEngineer && !hasRole(actor, study.siteId, "COORDINATOR"))
      throw new AccessError(
        "FORBIDDEN",
        "only ML engineers of the model's site or the study's coordinators can run this",
      );
  } else if (input.target === "DATASET_VERSION") {
    const version = await db.datasetVersion.findFirst({
      where: { id: input.datasetVersionId, dataset: { siteId: { in: siteIdsWithRole(actor, "ML_ENGINEER") } } },
    });
    if (!version) throw new AccessError("NOT_FOUND", "datasetVersionId: dataset version not found", "datasetVersionId");
    engineersOnly();
  } else {
    imageIds = [...new Set(input.imageIds ?? [])];
    const visible = await db.image.count({ where: { id: { in: imageIds }, case: visibleCasesWhere(actor) } });
    if (visible !== imageIds.length)
      throw new AccessError(
        "NOT_FOUND",
        `imageIds: ${imageIds.length - visible} of the images were not found`,
        "imageIds",
      );
    engineersOnly();
  }
  return { model, imageIds };
}
