/*
 * The reference script of a model export: loads the fold models (TF.js layers models), feeds an
 * image through the documented preprocessing (preprocessing.json, implemented by model-input.ts:
 * the platform's own implementation) and prints the ensemble's class probabilities, without the
 * platform. Needs Node.js with `npm install @tensorflow/tfjs sharp` (sharp only decodes the image).
 *
 *   npx tsx predict.ts IMAGE.png [IMAGE2.png ...]
 *
 * IMAGE is the image's 8-bit display rendering, one grey channel (the platform's display PNG; a
 * colour image is converted to grey). Prints one JSON line per image:
 *   {"image": "...", "probabilities": {"SOLID": 0.8, ...}, "predicted": "SOLID"}
 * probabilities: the mean of the fold models' softmax outputs; predicted: their argmax (the
 * ensemble sums the softmax outputs, the same argmax).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { prepareModelInput, toRgbValues, type ModelInputSpec, type Normalization } from "../data/model-input.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

type Ensemble = { classNames: string[]; models: Array<{ fold: number }> };
type Preprocessing = { settings: ModelInputSpec & { normalization: Normalization } };

/** A TF.js layers model from its model.json and weights.bin (plain @tensorflow/tfjs has no file:// loader in Node). */
export async function loadFoldModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(path.join(dir, "model.json"), "utf8")) as tf.io.ModelJSON;
  const weights = await readFile(path.join(dir, "weights.bin"));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}

/** An image file -> its grey levels (8-bit). */
export async function readGreyImage(file: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  const bytes = await readFile(file);
  const { channels } = await sharp(bytes).metadata();
  const grey = (channels ?? 1) >= 3 ? sharp(bytes).greyscale() : sharp(bytes);
  const { data, info } = await grey.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** The network's input [1, size, size, 3] for an image, as preprocessing.json says. */
export async function modelInputOf(file: string, preprocessing: Preprocessing): Promise<tf.Tensor4D> {
  const image = await readGreyImage(file);
  const { settings } = preprocessing;
  const prepared = prepareModelInput({ ...image, white: 255 }, settings);
  return tf.tensor4d(toRgbValues(prepared, settings.normalization), [1, prepared.size, prepared.size, 3]);
}

async function main(images: string[]) {
  if (images.length === 0) {
    console.error("usage: npx tsx predict.ts IMAGE.png [IMAGE2.png ...]");
    process.exit(2);
  }
  const ensemble = JSON.parse(await readFile(path.join(here, "ensemble.json"), "utf8")) as Ensemble;
  const preprocessing = JSON.parse(await readFile(path.join(here, "preprocessing.json"), "utf8")) as Preprocessing;
  const models = await Promise.all(ensemble.models.map((m) => loadFoldModel(path.join(here, `fold-${m.fold}`))));
  for (const file of images) {
    const input = await modelInputOf(file, preprocessing);
    const mean = tf.tidy(() => tf.addN(models.map((m) => m.predict(input) as tf.Tensor)).div(models.length));
    const probabilities = Array.from(await mean.data());
    tf.dispose([input, mean]);
    const best = probabilities.indexOf(Math.max(...probabilities));
    console.log(
      JSON.stringify({
        image: file,
        probabilities: Object.fromEntries(ensemble.classNames.map((name, k) => [name, probabilities[k]])),
        predicted: ensemble.classNames[best],
      }),
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv.slice(2));
