import * as tf from "@tensorflow/tfjs";
import { invalidArgument } from "../errors/ml-core-error.ts";
import { assertGreyImage, type GreyImage, whiteLevel } from "./grey-image.ts";
import { NORMALIZATIONS, prepareModelInput, type PreparedImage } from "./model-input.ts";
import { assertPreprocessingSettings, type Normalization, type PreprocessingSettings } from "./preprocess-settings.ts";

export { placementFor, type Placement, type PreparedImage } from "./model-input.ts";

/** Grey image of any size and bit depth -> one channel at inputSize x inputSize, values 0..1 (model-input.ts). */
export function prepareGreyImage(image: GreyImage, settings: PreprocessingSettings): PreparedImage {
  assertGreyImage(image);
  assertPreprocessingSettings(settings);
  return prepareModelInput({ ...image, white: whiteLevel(image) }, settings);
}

/** Stacks prepared images into [batch, size, size, 1]. */
export function stackPrepared(images: readonly PreparedImage[]): tf.Tensor4D {
  if (images.length === 0) throw invalidArgument("images", "is empty");
  const size = images[0]!.size;
  const buffer = new Float32Array(images.length * size * size);
  images.forEach((img, i) => {
    if (img.size !== size) throw invalidArgument("images", `mix sizes ${size} and ${img.size}`);
    buffer.set(img.pixels, i * size * size);
  });
  return tf.tensor4d(buffer, [images.length, size, size, 1]);
}

/** [batch, h, w, 1] grey in 0..1 -> [batch, h, w, 3] as the network expects (NORMALIZATIONS; toRgbValues per image). */
export function toModelInput(grey: tf.Tensor4D, normalization: Normalization): tf.Tensor4D {
  return tf.tidy(() => {
    const rgb = tf.tile(grey, [1, 1, 1, 3]) as tf.Tensor4D;
    const { multiply, subtract } = NORMALIZATIONS[normalization];
    if (multiply === 1 && subtract.every((m) => m === 0)) return rgb;
    return rgb.mul(multiply).sub(tf.tensor1d(subtract)) as tf.Tensor4D;
  });
}

/** Grey images -> the model's input [batch, inputSize, inputSize, 3]. */
export function preprocessImages(images: readonly GreyImage[], settings: PreprocessingSettings): tf.Tensor4D {
  const prepared = images.map((image) => prepareGreyImage(image, settings));
  return tf.tidy(() => toModelInput(stackPrepared(prepared), settings.normalization));
}
