import * as tf from "@tensorflow/tfjs";
import { invalidArgument } from "../errors/ml-core-error.ts";
import { assertPreprocessingSettings, type Normalization, type PreprocessingSettings } from "./preprocess-settings.ts";
import { assertGreyImage, type GreyImage, whiteLevel } from "./grey-image.ts";

/** Where the source image lies inside the model's inputSize x inputSize square (model pixels). */
export type Placement = {
  sourceWidth: number;
  sourceHeight: number;
  offsetX: number;
  offsetY: number;
  contentWidth: number;
  contentHeight: number;
};

/** A single-channel image at the model's input size, values 0..1 (before augmentation and normalisation). */
export type PreparedImage = { size: number; pixels: Float32Array; placement: Placement };

/** Keras `imagenet_utils.preprocess_input(mode="caffe")` means, in BGR order. */
const CAFFE_BGR_MEANS = [103.939, 116.779, 123.68] as const;

/** Where an image of this size lands in the model input. */
export function placementFor(width: number, height: number, settings: PreprocessingSettings): Placement {
  const size = settings.inputSize;
  if (settings.resize === "square")
    return {
      sourceWidth: width,
      sourceHeight: height,
      offsetX: 0,
      offsetY: 0,
      contentWidth: size,
      contentHeight: size,
    };
  const scale = size / Math.max(width, height);
  const contentWidth = Math.max(1, Math.min(size, Math.round(width * scale)));
  const contentHeight = Math.max(1, Math.min(size, Math.round(height * scale)));
  return {
    sourceWidth: width,
    sourceHeight: height,
    offsetX: Math.floor((size - contentWidth) / 2),
    offsetY: Math.floor((size - contentHeight) / 2),
    contentWidth,
    contentHeight,
  };
}

/**
 * Resizes a map [h, w, c] to [newHeight, newWidth, c]: box-averaging first when shrinking by 2x or
 * more (bilinear alone would alias a 3000-pixel mammogram down to 224), then bilinear.
 */
export function resizeSmooth(image: tf.Tensor3D, newHeight: number, newWidth: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [h, w] = image.shape;
    const fy = Math.max(1, Math.floor(h / newHeight));
    const fx = Math.max(1, Math.floor(w / newWidth));
    const pooled = fy > 1 || fx > 1 ? tf.avgPool(image, [fy, fx], [fy, fx], "valid") : image;
    if (pooled.shape[0] === newHeight && pooled.shape[1] === newWidth) return pooled.clone();
    return tf.image.resizeBilinear(pooled, [newHeight, newWidth], false, true);
  });
}

/** Grey image of any size and bit depth -> one channel at inputSize x inputSize, values 0..1. */
export function prepareGreyImage(image: GreyImage, settings: PreprocessingSettings): PreparedImage {
  assertGreyImage(image);
  assertPreprocessingSettings(settings);
  const placement = placementFor(image.width, image.height, settings);
  const size = settings.inputSize;
  const pixels = tf.tidy(() => {
    const source = tf
      .tensor3d(Float32Array.from(image.data), [image.height, image.width, 1])
      .div(whiteLevel(image))
      .clipByValue(0, 1) as tf.Tensor3D;
    const content = resizeSmooth(source, placement.contentHeight, placement.contentWidth);
    const padded = tf.pad(content, [
      [placement.offsetY, size - placement.contentHeight - placement.offsetY],
      [placement.offsetX, size - placement.contentWidth - placement.offsetX],
      [0, 0],
    ]);
    return padded.dataSync() as Float32Array;
  });
  return { size, pixels: Float32Array.from(pixels), placement };
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

/** [batch, h, w, 1] grey in 0..1 -> [batch, h, w, 3] as the network expects. */
export function toModelInput(grey: tf.Tensor4D, normalization: Normalization): tf.Tensor4D {
  return tf.tidy(() => {
    const rgb = tf.tile(grey, [1, 1, 1, 3]) as tf.Tensor4D;
    if (normalization === "unit") return rgb;
    return rgb.mul(255).sub(tf.tensor1d([...CAFFE_BGR_MEANS])) as tf.Tensor4D;
  });
}

/** Grey images -> the model's input [batch, inputSize, inputSize, 3]. */
export function preprocessImages(images: readonly GreyImage[], settings: PreprocessingSettings): tf.Tensor4D {
  const prepared = images.map((image) => prepareGreyImage(image, settings));
  return tf.tidy(() => toModelInput(stackPrepared(prepared), settings.normalization));
}
