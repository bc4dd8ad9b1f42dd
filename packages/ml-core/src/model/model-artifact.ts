import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { createTar, parseTar } from "nanotar";
import { MlCoreError } from "../errors/ml-core-error.ts";
import {
  assertClassifierConsistent,
  assertModelMetadata,
  type ClassifierModel,
  METADATA_KEY,
} from "./model-metadata.ts";

/*
 * A saved classifier is a TF.js layers model: `model.json` (topology, weights manifest and
 * `userDefinedMetadata.mammo` = ModelMetadata) plus one `weights.bin`. As bytes (for the
 * content-addressed blob store) it is a POSIX tar of exactly those two files with fixed
 * timestamps, so the same model gives the same bytes and `tar -x` gives a loadable directory.
 */

export const MODEL_JSON = "model.json";
export const WEIGHTS_BIN = "weights.bin";

/** In-memory TF.js layers artifacts, with the metadata attached. */
export async function classifierToArtifacts(classifier: ClassifierModel): Promise<tf.io.ModelArtifacts> {
  assertClassifierConsistent(classifier, "model to save");
  classifier.model.setUserDefinedMetadata({ [METADATA_KEY]: classifier.metadata });
  let saved: tf.io.ModelArtifacts | undefined;
  await classifier.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
    }),
  );
  return { ...saved!, weightData: tf.io.CompositeArrayBuffer.join(saved!.weightData) };
}

export async function classifierFromArtifacts(
  artifacts: tf.io.ModelArtifacts,
  source = "model",
): Promise<ClassifierModel> {
  const metadata = (artifacts.userDefinedMetadata as Record<string, unknown> | undefined)?.[METADATA_KEY];
  assertModelMetadata(metadata, source);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new MlCoreError(
      "ARTIFACT_INVALID",
      `${source}: not a loadable TF.js layers model (${(error as Error).message})`,
      { cause: error },
    );
  }
  const classifier = { model, metadata };
  assertClassifierConsistent(classifier, source);
  return classifier;
}

function toModelJson(artifacts: tf.io.ModelArtifacts): tf.io.ModelJSON {
  return {
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON["modelTopology"],
    format: artifacts.format ?? "layers-model",
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
}

async function fromModelJson(
  json: tf.io.ModelJSON,
  weightsBin: ArrayBuffer | undefined,
  source: string,
): Promise<ClassifierModel> {
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    if (weightsBin === undefined) throw new MlCoreError("ARTIFACT_INVALID", `${source}: ${WEIGHTS_BIN} is missing`);
    const specs = manifest.flatMap((group) => group.weights);
    return [specs, weightsBin];
  });
  return classifierFromArtifacts(artifacts, source);
}

function parseModelJson(text: string, source: string): tf.io.ModelJSON {
  try {
    const json = JSON.parse(text) as tf.io.ModelJSON;
    if (typeof json !== "object" || json === null || !json.modelTopology) throw new Error("no modelTopology");
    return json;
  } catch (error) {
    throw new MlCoreError(
      "ARTIFACT_INVALID",
      `${source}: ${MODEL_JSON} is not a TF.js layers model (${(error as Error).message})`,
    );
  }
}

/** Writes `dir/model.json` and `dir/weights.bin`. */
export async function saveClassifierToDirectory(classifier: ClassifierModel, dir: string): Promise<void> {
  const artifacts = await classifierToArtifacts(classifier);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(artifacts.weightData as ArrayBuffer));
  await writeFile(join(dir, MODEL_JSON), JSON.stringify(toModelJson(artifacts)));
}

export async function loadClassifierFromDirectory(dir: string): Promise<ClassifierModel> {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch (error) {
      throw new MlCoreError(
        "ARTIFACT_INVALID",
        `${dir}: cannot read ${name} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  };
  const json = parseModelJson((await read(MODEL_JSON)).toString("utf8"), dir);
  const bin = await read(WEIGHTS_BIN);
  return fromModelJson(json, new Uint8Array(bin).buffer, dir);
}

const FIXED_TAR_ATTRS = { mtime: 0, uid: 0, gid: 0, user: "", group: "", mode: "644" };

/** The classifier as one tar archive (model.json + weights.bin): what the trainer stores as a blob. */
export async function classifierToBytes(classifier: ClassifierModel): Promise<Uint8Array> {
  const artifacts = await classifierToArtifacts(classifier);
  return tarFiles([
    [MODEL_JSON, new TextEncoder().encode(JSON.stringify(toModelJson(artifacts)))],
    [WEIGHTS_BIN, new Uint8Array(artifacts.weightData as ArrayBuffer)],
  ]);
}

/** Reads a named-file tar (as written by ml-core); throws ARTIFACT_INVALID if it is not one. */
export function readTarFiles(bytes: Uint8Array, source: string): Map<string, Uint8Array> {
  let items: Array<{ name: string; data?: Uint8Array }>;
  try {
    items = parseTar(bytes);
  } catch (error) {
    throw new MlCoreError("ARTIFACT_INVALID", `${source}: not a tar archive (${(error as Error).message})`);
  }
  const files = new Map(items.filter((item) => item.data).map((item) => [item.name, item.data!] as const));
  if (files.size === 0) throw new MlCoreError("ARTIFACT_INVALID", `${source}: not an ml-core archive (no files)`);
  return files;
}

export function tarFiles(files: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  return createTar(files.map(([name, data]) => ({ name, data, attrs: FIXED_TAR_ATTRS })));
}

export async function classifierFromBytes(bytes: Uint8Array, source = "model archive"): Promise<ClassifierModel> {
  const files = readTarFiles(bytes, source);
  const jsonBytes = files.get(MODEL_JSON);
  if (!jsonBytes) throw new MlCoreError("ARTIFACT_INVALID", `${source}: has no ${MODEL_JSON}`);
  const bin = files.get(WEIGHTS_BIN);
  const json = parseModelJson(new TextDecoder().decode(jsonBytes), source);
  return fromModelJson(json, bin ? bin.slice().buffer : undefined, source);
}
