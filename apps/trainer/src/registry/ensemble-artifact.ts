import {
  classifierFromBytes,
  withPreprocessingDefaults,
  readTarFiles,
  tarFiles,
  type ClassifierModel,
  type PreprocessingSettings,
} from "../ml/ml-core.ts";

/** Where the model came from: stored in the artifact itself as well as on the ModelVersion row. */
export type Lineage = {
  datasetVersionId: string;
  datasetName: string;
  datasetVersion: number;
  datasetDigest: string;
  trainingRunId: string;
  preset: string;
  params: unknown;
  seed: number;
  codeRevision: string;
  backend: string;
  trainingStartedAt: string;
  trainingFinishedAt: string;
  /** The registered ImageNet weights the folds started from (null: random weights). */
  pretrainedWeights?: { id: string; name: string; sha256: string; source: string; licence: string } | null;
};

export type EnsembleManifest = {
  format: "mammo-ensemble";
  version: 1;
  /** The study's ensemble: sum the fold models' softmax outputs, then argmax. */
  combine: "sum-softmax";
  classNames: string[];
  preprocessing: PreprocessingSettings;
  gradCamLayer: string;
  /** One entry per fold model; `file` is an ml-core classifier tar (TF.js layers model.json + weights.bin). */
  models: Array<{ fold: number; file: string; bestEpoch: number | null }>;
  lineage: Lineage;
};

export const MANIFEST_FILE = "ensemble.json";

/**
 * A model version as ONE blob: a tar of `ensemble.json` and one ml-core classifier tar per fold
 * (`fold-<k>.tar`, each a TF.js layers model with its metadata). Same inputs, same bytes.
 */
export function encodeEnsembleArtifact(manifest: EnsembleManifest, foldTars: readonly Uint8Array[]): Uint8Array {
  if (foldTars.length !== manifest.models.length)
    throw new Error(`the manifest lists ${manifest.models.length} models, ${foldTars.length} given`);
  return tarFiles([
    [MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(manifest, null, 2))],
    ...manifest.models.map((m, i) => [m.file, foldTars[i]!] as const),
  ]);
}

export function readEnsembleArtifact(
  bytes: Uint8Array,
  source = "model artifact",
): { manifest: EnsembleManifest; files: Map<string, Uint8Array> } {
  const files = readTarFiles(bytes, source);
  const manifestBytes = files.get(MANIFEST_FILE);
  if (!manifestBytes) throw new Error(`${source}: has no ${MANIFEST_FILE}`);
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as EnsembleManifest;
  if (manifest.format !== "mammo-ensemble" || manifest.version !== 1)
    throw new Error(`${source}: not a mammo-ensemble v1 artifact`);
  manifest.preprocessing = withPreprocessingDefaults(manifest.preprocessing);
  return { manifest, files };
}

/** The fold models of an artifact, loaded on the current backend. The caller disposes them. */
export async function loadEnsembleArtifact(
  bytes: Uint8Array,
  source = "model artifact",
): Promise<{ manifest: EnsembleManifest; classifiers: ClassifierModel[] }> {
  const { manifest, files } = readEnsembleArtifact(bytes, source);
  const classifiers: ClassifierModel[] = [];
  for (const model of manifest.models) {
    const file = files.get(model.file);
    if (!file) throw new Error(`${source}: ${model.file} is missing`);
    // A copy: the tar reader reads views by their whole buffer.
    classifiers.push(await classifierFromBytes(file.slice(), `${source}/${model.file}`));
  }
  return { manifest, classifiers };
}
