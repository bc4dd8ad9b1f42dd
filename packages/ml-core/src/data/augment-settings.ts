// The augmentation settings and their check, free of TensorFlow.js: training presets and the API
// validate with them without loading it.
import { invalidArgument } from "../errors/ml-core-error.ts";

export type FillMode = "reflect" | "constant" | "nearest" | "wrap";

/** What Keras' ImageDataGenerator is given in the study (rotation here in radians). */
export type AugmentationSettings = {
  /** Rotation drawn uniformly in [-rotationRangeRad, +rotationRangeRad]. */
  rotationRangeRad: number;
  /** Horizontal shift drawn uniformly in +-widthShiftFraction of the width (Keras width_shift_range). */
  widthShiftFraction: number;
  heightShiftFraction: number;
  /** Brightness factor drawn uniformly in [min, max]; the result is clipped to 0..1. */
  brightnessRange: readonly [number, number];
  horizontalFlip: boolean;
  verticalFlip: boolean;
  /** How pixels shifted in from outside are filled; "reflect" is d c b a | a b c d | d c b a, as scipy's. */
  fillMode: FillMode;
};

export const STUDY_AUGMENTATION: AugmentationSettings = {
  rotationRangeRad: 0.1,
  widthShiftFraction: 0.1,
  heightShiftFraction: 0.1,
  brightnessRange: [0.9, 1.1],
  horizontalFlip: true,
  verticalFlip: true,
  fillMode: "reflect",
};

export function assertAugmentationSettings(settings: AugmentationSettings): void {
  const nonNegative = ["rotationRangeRad", "widthShiftFraction", "heightShiftFraction"] as const;
  for (const key of nonNegative) {
    if (!(settings[key] >= 0))
      throw invalidArgument(`augmentation.${key}`, `must be a number >= 0, got ${settings[key]}`);
  }
  const [lo, hi] = settings.brightnessRange;
  if (!(lo > 0 && hi >= lo))
    throw invalidArgument("augmentation.brightnessRange", `must be [min, max] with 0 < min <= max, got [${lo}, ${hi}]`);
}
