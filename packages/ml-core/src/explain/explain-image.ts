import * as tf from "@tensorflow/tfjs";
import { type GreyImage } from "../data/grey-image.ts";
import { prepareGreyImage, stackPrepared, toModelInput } from "../data/preprocess.ts";
import { type ClassifierModel } from "../model/model-metadata.ts";
import { argMax } from "../train/evaluate.ts";
import { gradCam, type GradCamMethod, type GradCamScore } from "./grad-cam.ts";
import { type Heatmap, heatmapToSourceImage } from "./heatmap.ts";

export type Explanation = {
  /** At the source image's size (padding removed, resize undone), 0..1. */
  heatmap: Heatmap;
  classIndex: number;
  className: string;
  probabilities: number[];
  layerName: string;
  method: GradCamMethod;
  score: GradCamScore;
};

/**
 * Grad-CAM (or ++) of a grey image for `classIndex` (default: the predicted class), preprocessed
 * with the classifier's own settings, at the layer from its metadata unless one is named.
 */
export function explainImage(
  classifier: ClassifierModel,
  image: GreyImage,
  options: { classIndex?: number; layerName?: string; method?: GradCamMethod; score?: GradCamScore } = {},
): Explanation {
  const { model, metadata } = classifier;
  const prepared = prepareGreyImage(image, metadata.preprocessing);
  const input = tf.tidy(() => toModelInput(stackPrepared([prepared]), metadata.preprocessing.normalization));
  try {
    const probabilities = tf.tidy(() => Array.from((model.predict(input) as tf.Tensor).dataSync()));
    const classIndex = options.classIndex ?? argMax(probabilities);
    const layerName = options.layerName ?? metadata.gradCamLayer;
    const method = options.method ?? "gradcam";
    const score = options.score ?? "logit";
    const map = gradCam(model, input, { classIndex, layerName, method, score });
    const size = prepared.size;
    const modelMap = { width: size, height: size, data: map.dataSync() as Float32Array };
    map.dispose();
    return {
      heatmap: heatmapToSourceImage(modelMap, prepared.placement),
      classIndex,
      className: metadata.classNames[classIndex]!,
      probabilities,
      layerName,
      method,
      score,
    };
  } finally {
    input.dispose();
  }
}
