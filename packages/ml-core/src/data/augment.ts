import * as tf from "@tensorflow/tfjs";
import { type SeededRng } from "../random/seeded-rng.ts";
import type { AugmentationSettings, FillMode } from "./augment-settings.ts";

/** One image's random draw. Positive rotation turns the content clockwise as displayed (y down); positive shifts move it right and down. */
export type AugmentationDraw = {
  rotationRad: number;
  shiftXPx: number;
  shiftYPx: number;
  brightness: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
};

export const IDENTITY_DRAW: AugmentationDraw = {
  rotationRad: 0,
  shiftXPx: 0,
  shiftYPx: 0,
  brightness: 1,
  flipHorizontal: false,
  flipVertical: false,
};

/** Draws one image's augmentation from the generator (always the same number of draws, so runs stay aligned). */
export function drawAugmentation(
  rng: SeededRng,
  settings: AugmentationSettings,
  width: number,
  height: number,
): AugmentationDraw {
  const rotationRad = rng.uniform(-settings.rotationRangeRad, settings.rotationRangeRad);
  const shiftXPx = rng.uniform(-settings.widthShiftFraction, settings.widthShiftFraction) * width;
  const shiftYPx = rng.uniform(-settings.heightShiftFraction, settings.heightShiftFraction) * height;
  const brightness = rng.uniform(settings.brightnessRange[0], settings.brightnessRange[1]);
  const flipHorizontal = rng.bool() && settings.horizontalFlip;
  const flipVertical = rng.bool() && settings.verticalFlip;
  return { rotationRad, shiftXPx, shiftYPx, brightness, flipHorizontal, flipVertical };
}

/**
 * The projective-transform row tf.image.transform wants: it maps each OUTPUT pixel (x, y) to the
 * INPUT pixel it samples, so this is the inverse of "rotate about the centre, then shift".
 */
function inverseAffineRow(draw: AugmentationDraw, width: number, height: number): number[] {
  const cos = Math.cos(draw.rotationRad);
  const sin = Math.sin(draw.rotationRad);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const ux = cx + draw.shiftXPx;
  const uy = cy + draw.shiftYPx;
  return [cos, sin, cx - cos * ux - sin * uy, -sin, cos, cy + sin * ux - cos * uy, 0, 0];
}

/**
 * Applies one draw per image, in Keras' order: rotation and shift (bilinear, `fillMode`), flips,
 * brightness. images: [batch, h, w, c] in 0..1; returns the same shape, clipped to 0..1.
 */
export function applyAugmentation(
  images: tf.Tensor4D,
  draws: readonly AugmentationDraw[],
  fillMode: FillMode = "reflect",
): tf.Tensor4D {
  const [batch, height, width] = images.shape;
  tf.util.assert(draws.length === batch, () => `applyAugmentation: ${draws.length} draws for a batch of ${batch}`);
  return tf.tidy(() => {
    // One image per call: tfjs 4.22's cpu Transform kernel returns after the first image of a batch.
    const perImage = tf.unstack(images).map((image, i) => {
      const draw = draws[i]!;
      const transform = tf.tensor2d([inverseAffineRow(draw, width, height)]);
      let out = tf.image
        .transform(image.expandDims(0) as tf.Tensor4D, transform, "bilinear", fillMode, 0)
        .squeeze([0]) as tf.Tensor3D;
      if (draw.flipHorizontal) out = tf.reverse(out, 1);
      if (draw.flipVertical) out = tf.reverse(out, 0);
      return out.mul(draw.brightness);
    });
    return tf.stack(perImage).clipByValue(0, 1) as tf.Tensor4D;
  });
}
