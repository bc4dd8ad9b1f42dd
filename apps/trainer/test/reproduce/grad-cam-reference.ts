/*
 * An independent Grad-CAM over a model export, for the reproduction test: imports nothing from the
 * trainer or ml-core, only plain @tensorflow/tfjs and the export's own files (predict.ts to load
 * the fold models and feed an image as preprocessing.json says). For each image it writes the
 * ensemble's heatmap as the platform documents storing it: each fold model's Grad-CAM (gradient
 * of the class's pre-softmax logit at the layer, averaged over space, as channel weights; ReLU;
 * bilinear to the model input; divided by its maximum), summed over the folds and divided by the
 * maximum, then bilinear to the image's size and to 256 x 256.
 *
 *   node --import tsx grad-cam-reference.ts EXPORT_DIR LAYER OUT_DIR IMAGE:CLASS [IMAGE:CLASS ...]
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";

const [exportDir, layerName, outDir, ...targets] = process.argv.slice(2);
const exported = (await import(pathToFileURL(path.join(exportDir!, "predict.ts")).href)) as {
  loadFoldModel: (dir: string) => Promise<tf.LayersModel>;
  modelInputOf: (file: string, preprocessing: unknown) => Promise<tf.Tensor4D>;
  readGreyImage: (file: string) => Promise<{ width: number; height: number }>;
};
const ensemble = JSON.parse(await readFile(path.join(exportDir!, "ensemble.json"), "utf8")) as {
  models: Array<{ fold: number }>;
};
const preprocessing = JSON.parse(await readFile(path.join(exportDir!, "preprocessing.json"), "utf8")) as {
  settings: { resize: string };
};
if (preprocessing.settings.resize !== "square") throw new Error("this reference maps square inputs only");
const models = await Promise.all(
  ensemble.models.map((m) => exported.loadFoldModel(path.join(exportDir!, `fold-${m.fold}`))),
);

/** One model's class-activation map [H, W] for a class, 0..1. */
function camOf(model: tf.LayersModel, input: tf.Tensor4D, classIndex: number): tf.Tensor2D {
  const index = model.layers.findIndex((l) => l.name === layerName);
  const features = tf.model({ inputs: model.inputs, outputs: model.layers[index]!.output as tf.SymbolicTensor });
  const after = model.layers.slice(index + 1);
  const last = after.at(-1)!;
  const logit = (maps: tf.Tensor) => {
    let x = maps;
    for (const layer of after.slice(0, -1)) x = layer.apply(x) as tf.Tensor; // inference mode
    const [kernel, bias] = last.getWeights();
    return tf
      .add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias!)
      .slice([0, classIndex], [1, 1])
      .sum() as tf.Scalar;
  };
  return tf.tidy(() => {
    const maps = features.predict(input) as tf.Tensor4D;
    const grads = tf.grad(logit)(maps);
    const weights = grads.mean([1, 2], true);
    const cam = tf.relu(maps.mul(weights).sum(3, true)) as tf.Tensor4D;
    const [, h, w] = input.shape;
    const resized = tf.image.resizeBilinear(cam, [h!, w!], false, true).reshape([h!, w!]);
    return resized.div(tf.maximum(resized.max(), 1e-30)) as tf.Tensor2D;
  });
}

for (const target of targets) {
  const [file, classText] = [target.slice(0, target.lastIndexOf(":")), target.slice(target.lastIndexOf(":") + 1)];
  const input = await exported.modelInputOf(file, preprocessing);
  const { width, height } = await exported.readGreyImage(file);
  const stored = tf.tidy(() => {
    const sum = tf.addN(models.map((m) => camOf(m, input, Number(classText))));
    const map = sum.div(tf.maximum(sum.max(), 1e-30)).expandDims(2) as tf.Tensor3D;
    const atImage = tf.image.resizeBilinear(map, [height, width], false, true);
    return tf.image.resizeBilinear(atImage, [256, 256], false, true).reshape([256 * 256]);
  });
  await writeFile(path.join(outDir!, `${path.basename(file)}.json`), JSON.stringify(Array.from(await stored.data())));
  tf.dispose([input, stored]);
}
