import type { ModelVersion } from "@mammo/db";
import type { TrainerServices } from "../services.ts";
import { TrainerError } from "../errors/trainer-error.ts";
import type { ClassifierModel } from "../ml/ml-core.ts";
import { loadEnsembleArtifact, type EnsembleManifest } from "./ensemble-artifact.ts";

export type LoadedModel = { modelVersion: ModelVersion; manifest: EnsembleManifest; classifiers: ClassifierModel[] };

// The last model a worker used stays loaded: inference and concordance jobs of one model follow each other.
let cached: { sha256: string; models: Omit<LoadedModel, "modelVersion"> } | null = null;

/** A published model version's fold models, from its artifact in the blob store. Do not dispose them: the store does. */
export async function loadModelVersion(
  services: Pick<TrainerServices, "db" | "blobs">,
  modelVersionId: string,
): Promise<LoadedModel> {
  const modelVersion = await services.db.modelVersion.findUnique({ where: { id: modelVersionId } });
  if (!modelVersion) throw new TrainerError("NOT_FOUND", `model version ${modelVersionId} does not exist`);
  if (cached?.sha256 !== modelVersion.artifactSha256) {
    const loaded = await loadEnsembleArtifact(
      await services.blobs.get(modelVersion.artifactKey),
      `model ${modelVersion.name} v${modelVersion.version}`,
    );
    for (const c of cached?.models.classifiers ?? []) c.model.dispose();
    cached = { sha256: modelVersion.artifactSha256, models: loaded };
  }
  return { modelVersion, ...cached.models };
}
